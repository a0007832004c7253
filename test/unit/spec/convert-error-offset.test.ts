/**
 * SHR-23's input side (row A17): convert carries the caller's error_offset (errorOffsetIn). The
 * series refuse a non-zero one with EINVAL — v8 right after flags, RFC v2 first — so only ENOTTY
 * (no ioctl) and EBADF come before it; the emulator agrees. A trace or token recorded before the
 * field existed still replays: the op reads it as 0, what the native target sent then.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { linux618, resolveProfile } from '../../../spec/profiles/index.js';
import { err, ok, type Op, type Outcome } from '../../../spec/vocab/index.js';
import { pack } from '../../../spec/vocab/codec.js';
import { fillAddedFields } from '../../../spec/vocab/validate.js';
import { SPEC } from '../../../models/spec-api.js';
import { TOKEN_PREFIX } from '../../../models/report/token.js';
import { buildTrace, traceJson } from '../../../models/report/trace.js';
import { loadCase } from '../../../cli/case-source.js';
import { PROBE_618 } from '../../support/probe-records.js';
import { run } from '../emulator/_fixtures.js';
import { specMismatches } from '../native/_support.js';

const P = 4096n;
const conv = (api: 'GMEM-ATTR2' | 'GMEM-CONVERT', errorOffsetIn: bigint, fd = 0, toPrivate = true, len = P): Op =>
  ({ kind: 'convert', fd, api, offset: 0n, len, toPrivate, errorOffsetIn });
const setup = (flags: bigint, type = 1n): Op[] => [{ kind: 'createVm', id: 0, type }, { kind: 'createGmem', vm: 0, id: 0, size: 4n * P, flags, reserved: [] }];

const answers = (name: string, ops: readonly Op[]): (readonly Outcome[])[] => {
  const p = resolveProfile(name);
  let s = SPEC.initialState(p);
  return ops.map((o) => {
    const v = SPEC.step(p, s, o);
    s = v.next(v.allowed[0]!);
    return v.allowed;
  });
};

describe('SHR-23: the caller\'s error_offset must go in as 0', () => {
  it('conversion-v8 (KVM_SET_MEMORY_ATTRIBUTES2): non-zero is EINVAL before the range checks, 0 converts; the emulator agrees', async () => {
    const p = resolveProfile('conversion-v8');
    const ops = [...setup(3n), conv('GMEM-ATTR2', 1n), conv('GMEM-ATTR2', 1n << 63n), conv('GMEM-ATTR2', (1n << 64n) - 1n, 0, true, 3n),
      conv('GMEM-ATTR2', P, 0, false), conv('GMEM-ATTR2', 0n), conv('GMEM-ATTR2', 4n, 7), conv('GMEM-CONVERT', 4n)];
    expect(answers('conversion-v8', ops).slice(2)).toEqual([
      [err('EINVAL')], [err('EINVAL')], [err('EINVAL')], [err('EINVAL')], [ok()], [err('EBADF')], [err('ENOTTY')],
    ]);
    expect(specMismatches(p, ops, await run(p, ops))).toEqual([]);
  });

  it('init-private-rfc (KVM_GMEM_CONVERT_*): the same input check, first of all', async () => {
    const p = resolveProfile('init-private-rfc');
    const ops = [...setup(1n, 0n), conv('GMEM-CONVERT', 1n, 0, false), conv('GMEM-CONVERT', 0n, 0, false)];
    expect(answers('init-private-rfc', ops).slice(2)).toEqual([[err('EINVAL')], [ok()]]);
    expect(specMismatches(p, ops, await run(p, ops))).toEqual([]);
  });

  it('SHR-3: an empty range is 0 under RFC v2 (checked after error_offset, before the range) and EINVAL under v8; the emulator agrees', async () => {
    const rfc = resolveProfile('init-private-rfc');
    const rOps = [...setup(1n, 0n), conv('GMEM-CONVERT', 0n, 0, true, 0n), conv('GMEM-CONVERT', 1n, 0, true, 0n)];
    expect(answers('init-private-rfc', rOps).slice(2)).toEqual([[ok()], [err('EINVAL')]]);
    expect(specMismatches(rfc, rOps, await run(rfc, rOps))).toEqual([]);
    const v8 = resolveProfile('conversion-v8');
    const vOps = [...setup(3n), conv('GMEM-ATTR2', 0n, 0, true, 0n)];
    expect(answers('conversion-v8', vOps)[2]).toEqual([err('EINVAL')]);
    expect(specMismatches(v8, vOps, await run(v8, vOps))).toEqual([]);
  });

  it('without the series the ioctl does not exist: ENOTTY whatever error_offset holds', () => {
    expect(answers('linux-6.18', [...setup(0n, 0n), conv('GMEM-ATTR2', 1n)])[2]).toEqual([err('ENOTTY')]);
  });
});

describe('a convert recorded before errorOffsetIn existed', () => {
  const old = { kind: 'convert', fd: 0, api: 'GMEM-ATTR2', offset: 0n, len: P, toPrivate: true };

  it('reads the field as 0 at the boundary, and leaves a present field to the check', () => {
    expect(fillAddedFields(old)).toEqual({ ...old, errorOffsetIn: 0n });
    expect(fillAddedFields({ ...old, errorOffsetIn: 'x' })).toEqual({ ...old, errorOffsetIn: 'x' });
    expect(fillAddedFields({ kind: 'close', fd: 0 })).toEqual({ kind: 'close', fd: 0 });
  });

  it('replays from a trace.json and from a token', () => {
    const ops = [...setup(3n), old] as unknown as Op[];
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'gmc-oldconv-')), 'trace.json');
    const steps = ops.map((op) => ({ op, observed: { kind: 'ok' } as Outcome, allowed: [], rules: [] }));
    const f = { index: ops.length - 1, target: 'emulator', profile: linux618, stateBefore: { files: [], text: '' }, steps };
    const text = traceJson(buildTrace(f, { phase: 'first', probe: { ...PROBE_618, release: 'x' }, bugs: [] }));
    expect(text).not.toContain('errorOffsetIn');
    writeFileSync(file, text);
    for (const arg of [file, TOKEN_PREFIX + pack({ profile: 'linux-6.18', ops })]) {
      expect(loadCase(arg).ops[2]).toEqual({ ...old, errorOffsetIn: 0n });
    }
  });
});
