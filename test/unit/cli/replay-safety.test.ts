/**
 * Issue 12, defects 3, 7 and 10 (replay): a replay token is meant to be pasted from a mailing
 * list, so `gmemcheck replay` treats it (and a trace file) as hostile. Every op is validated before
 * anything runs; it runs on the emulator unless the command line itself names a real target (a
 * trace's recorded target is not followed); a token may not inflate without bound; a trace must be
 * a regular file of bounded size; no error echoes the file's contents; and a replay with no ops
 * does not "conform". Each case failed on the old code. Cases that made the old code hang or read
 * without bound run as child processes with a timeout.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pack, stringify } from '../../../spec/vocab/codec.js';
import { TOKEN_PREFIX } from '../../../models/report/token.js';
import { buildTrace, traceJson } from '../../../models/report/trace.js';
import { cli, inProcess } from './run-cli.js';
import { FAILURE, PROBE } from './fixtures.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/index.js';

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'gmc-replay-safety-'));
const token = (v: unknown): string => TOKEN_PREFIX + pack(v);
const memfdOps = [{ kind: 'createMemfd', id: 0, size: P }, { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3, shared: true }];

describe('gmemcheck replay treats tokens and traces as untrusted', () => {
  it('a trace recorded on the native target replays on the emulator unless --target says otherwise', async () => {
    const f = path.join(tmp(), 'trace.json');
    writeFileSync(f, traceJson(buildTrace(FAILURE, { phase: 'first', probe: PROBE, bugs: [] })));
    const r = await inProcess(['replay', f]);
    expect(r.stdout).toMatch(/^target: emulator \(replay runs on the emulator unless --target names a real target; the trace was recorded on native\)/m);
    expect([0, 1]).toContain(r.code);
    // Asking for the real kernel is explicit (here it cannot be set up: no guest_memfd).
    const n = await inProcess(['replay', f, '--target', 'native']);
    expect(n.stdout).toMatch(/^target: native \(--target native\)/m);
  });

  it('every op is validated before anything runs: hostile fields are a usage error naming op and field', async () => {
    const hostile: [unknown, RegExp][] = [
      [{ kind: 'mmap', fd: 0, id: 1, offset: 0n, length: (1n << 64n) + P, prot: 3, shared: true }, /op 3 \(mmap\).*length/],
      [{ kind: 'madvise', map: 0, offset: 0n, length: 1n << 127n, advice: 'DONTNEED' }, /op 3 \(madvise\).*length/],
      [{ kind: 'fallocate', fd: 0, mode: 0, offset: 0n, len: 'abc' }, /op 3 \(fallocate\).*len/],
      [{ kind: 'createGmem', vm: 0, id: 1, size: P, flags: 0n, reserved: Array(7).fill(0n) }, /op 3 \(createGmem\).*reserved/],
      [{ kind: 'load', map: 0, offset: 0n, onUserfault: 'COPY' }, /op 3 \(load\).*fill/],
      [{ kind: 'store', map: 0, offset: 0n, value: 1, onUserfault: 'COPY', fill: 0, extra: 1 }, /op 3 \(store\).*extra/],
      [{ kind: 'uffdCreate', id: 0, features: 2 ** 40 }, /op 3 \(uffdCreate\).*features/],
      [{ kind: 'fileIo', fd: 0, call: 'read', offset: 0n, len: 1e9, value: 0 }, /op 3 \(fileIo\).*len/],
    ];
    for (const [op, why] of hostile) {
      const r = await inProcess(['replay', token({ profile: 'linux-6.18', ops: [...memfdOps, op] })]);
      expect(r.code, stringify(op)).toBe(2);
      expect(r.stderr).toMatch(why);
      expect(r.stdout, 'nothing may run').not.toMatch(/target:/);
    }
  });

  it('a replay with no ops does not conform: exit 4 (nothing tested)', async () => {
    const r = await inProcess(['replay', token({ profile: 'linux-6.18', ops: [] })]);
    expect(r.code).toBe(4);
    expect(r.stderr + r.stdout).toMatch(/nothing to replay/);
    expect(r.stdout).not.toMatch(/conforms/);
  });

  it('a token that inflates past the limit is refused without inflating it all', async () => {
    const bomb = token({ profile: 'linux-6.18', ops: memfdOps, pad: 'a'.repeat(64 << 20) });
    expect(bomb.length).toBeLessThan(200_000);
    const t0 = Date.now();
    const r = await inProcess(['replay', bomb]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/inflates to more than \d+ MiB/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('errors never echo a file\'s contents', async () => {
    const dir = tmp();
    const secret = path.join(dir, 'secret.json');
    writeFileSync(secret, 'SECRET-CONTENT-0123456789 not json at all');
    const a = await inProcess(['replay', secret]);
    expect(a.code).toBe(2);
    expect(a.stderr).not.toMatch(/SECRET/);
    const kind = path.join(dir, 'kind.json');
    const t = JSON.parse(traceJson(buildTrace(FAILURE, { phase: 'first', probe: PROBE, bugs: [] }))) as { ops: { kind: string }[]; schema: string };
    t.ops[0]!.kind = 'SECRETKIND-abcdef';
    writeFileSync(kind, JSON.stringify(t));
    const b = await inProcess(['replay', kind]);
    expect(b.code).toBe(2);
    expect(b.stderr).not.toMatch(/SECRETKIND/);
    t.schema = 'SECRETSCHEMA';
    writeFileSync(kind, JSON.stringify(t));
    const c = await inProcess(['replay', kind]);
    expect(c.code).toBe(2);
    expect(c.stderr).not.toMatch(/SECRETSCHEMA/);
  });

  it('a trace larger than the limit is refused before it is read', async () => {
    const f = path.join(tmp(), 'big.json');
    writeFileSync(f, `${' '.repeat(17 << 20)}{}`);
    const r = await inProcess(['replay', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/larger than 16 MiB/);
  });

  it('replay /dev/zero and a FIFO fail fast: a trace must be a regular file', () => {
    const zero = cli(['replay', '/dev/zero'], 15_000);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/not a regular file/);
    const fifo = path.join(tmp(), 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const f = cli(['replay', fifo], 15_000);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/not a regular file/);
  });
});
