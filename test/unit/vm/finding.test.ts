import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { slug, writeFinding } from '../../../cli/vm/finding.js';
import { decodeToken } from '../../../models/report/token.js';
import { parse } from '../../../spec/vocab/codec.js';
import type { Op } from '../../../spec/vocab/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ops: Op[] = [{ kind: 'createVm', id: 0, type: 0n }, { kind: 'createGmem', vm: 0, id: 0, size: 8192n, flags: 3n, reserved: [] }];

describe('a guest kernel report as a finding', () => {
  it('writes console log, the sequence in flight and a replay token that holds it', () => {
    const results = mkdtempSync(path.join(tmpdir(), 'gmc-finding-'));
    const dir = writeFinding({
      resultsDir: results, consoleFile: path.join(here, 'fixtures/console-panic.log'), title: 'Kernel panic - not syncing: sysrq triggered crash',
      flight: { profile: 'probed(native: 7.2.13+deb14-amd64)', ops, cases: 3, opsTotal: 40, truncated: false },
      release: '7.2.13+deb14-amd64', vmArgs: ['--kernel', 'debian'], argv: ['run', '--seed', '1'],
    }, new Date('2026-12-06T18:58:06Z'));
    expect(path.basename(dir)).toMatch(/^20261206T185806Z-guest-kernel-panic-[0-9a-f]{8}$/);
    expect(readdirSync(dir).sort()).toEqual(['console.log', 'inflight.json', 'report.md']);
    const md = readFileSync(path.join(dir, 'report.md'), 'utf8');
    expect(md).toContain('**Kernel panic - not syncing: sysrq triggered crash**');
    expect(md).toContain('write_sysrq_trigger');
    expect(md).toContain('2 ops of the current sequence; 38 ops in 2 earlier sequences passed');
    const token = /gmemcheck vm --kernel debian -- replay (gmc1\.\S+)/.exec(md)![1]!;
    expect(decodeToken(token)).toMatchObject({ profile: 'probed(native: 7.2.13+deb14-amd64)', ops });
    expect((parse(readFileSync(path.join(dir, 'inflight.json'), 'utf8')) as { ops: Op[] }).ops).toEqual(ops);
  });

  it('with nothing in flight it says so and gives no token', () => {
    const dir = writeFinding({
      resultsDir: mkdtempSync(path.join(tmpdir(), 'gmc-finding-')), consoleFile: path.join(here, 'fixtures/console-warn.log'),
      title: 'WARNING: CPU: 1 PID: 131 at x', flight: { profile: undefined, ops: [], cases: 0, opsTotal: 0, truncated: false },
      release: 'r', vmArgs: [], argv: ['probe'],
    });
    const md = readFileSync(path.join(dir, 'report.md'), 'utf8');
    expect(md).toContain('No op had been issued');
    expect(md).not.toContain('gmc1.');
    expect(path.basename(dir)).toContain('-guest-kernel-WARN-');
  });

  it('names folders by report kind', () => {
    expect(slug('BUG: unable to handle page fault')).toBe('BUG');
    expect(slug('kernel BUG at mm/x.c:1!')).toBe('BUG');
    expect(slug('watchdog: BUG: soft lockup - CPU#0 stuck')).toBe('lockup');
    expect(slug('KASAN: use-after-free')).toBe('sanitizer');
    expect(slug('Oops: 0000 [#1]')).toBe('Oops');
  });
});
