/**
 * A failure is headed by the rule whose own allowed set excluded the observation (spec/blame.ts),
 * not by whichever rule happened to decide the verdict. Issue 14: the README's punch-no-zero
 * example was titled "MAP-5 violated" although the fault succeeded as MAP-5 says; the broken rule
 * is FIO-11 (stale bytes visible).
 */
import { describe, expect, it } from 'vitest';
import type { Op, Outcome } from '../../../spec/vocab/index.js';
import { linux618, resolveProfile } from '../../../spec/profiles/index.js';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { lockstep } from '../../../models/lockstep.js';
import { SPEC } from '../../../models/spec-api.js';
import { FailureArtifacts } from '../../../models/report/artifacts.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const P = 4096n;
const RESERVED = [0n, 0n, 0n, 0n, 0n, 0n];
const prologue: Op[] = [
  { kind: 'createVm', id: 0, type: 0 },
  { kind: 'createGmem', vm: 0, id: 0, size: P, flags: 3n, reserved: RESERVED },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3, shared: true },
  { kind: 'store', map: 0, offset: 0n, value: 1, onUserfault: 'COPY', fill: 0 },
];
const load: Op = { kind: 'load', map: 0, offset: 0n, onUserfault: 'COPY', fill: 0 };

const failing = async (ops: readonly Op[], bug: string, profile = linux618, emulatorProfile = profile) => {
  const r = await lockstep(SPEC, profile, createEmulator({ profile: emulatorProfile, seed: 1, bugs: bug ? [bug] : [] }), ops);
  expect(r.failure, 'the sequence fails').toBeDefined();
  return r.failure!;
};

describe('the headline rule is the one whose allowed set excluded the observation', () => {
  it('punch-no-zero through MADV_REMOVE (the README example): FIO-11, not MAP-5', async () => {
    const f = await failing([...prologue, { kind: 'madvise', map: 0, offset: 0n, length: P, advice: 'REMOVE' }, load], 'punch-no-zero');
    const step = f.steps[f.index]!;
    expect(step.observed).toEqual({ kind: 'ok', value: { value: 1 } });
    expect(step.rules[0]).toBe('FIO-11');
    // MAP-5 still decided that the fault succeeds: it is listed, after the rule that was broken.
    expect(step.rules).toContain('MAP-5');
  });

  it('the report and the artifact folder are named after it', async () => {
    const f = await failing([...prologue, { kind: 'madvise', map: 0, offset: 0n, length: P, advice: 'REMOVE' }, load], 'punch-no-zero');
    const dir = mkdtempSync(path.join(tmpdir(), 'gmc-blame-'));
    const probe = await createEmulator({ profile: linux618, seed: 0 }).probe();
    const w = new FailureArtifacts({ resultsDir: dir, probe, replay: { bugs: ['punch-no-zero'], target: 'emulator' } }).write(f, 'shrunk');
    expect(w.dir).toMatch(/-FIO-11-[0-9a-f]{8}/);
    expect(readFileSync(path.join(w.dir, 'report.md'), 'utf8')).toMatch(/^# gmemcheck: FIO-11 violated at step 6 of 6/);
  });

  it('data lost after MADV_DONTNEED: MAP-6 (the data outlives DONTNEED), not MAP-5', async () => {
    const f = await failing([...prologue, { kind: 'madvise', map: 0, offset: 0n, length: P, advice: 'DONTNEED' }, load], 'dontneed-frees');
    expect(f.steps[f.index]!.rules[0]).toBe('MAP-6');
  });

  it('a wrong errno is the deciding rule\'s (SLOT-7: an overlapping bind)', async () => {
    const slot = (id: number, gpa: bigint, off: bigint): Op => ({
      kind: 'setMemoryRegion', vm: 0, v1: false, slot: id, flags: 4, gpa, size: 2n * P, uaddr: { kind: 'null' }, gmem: { kind: 'fd', fd: 0 }, gmemOffset: off,
    });
    const ops: Op[] = [prologue[0]!, { kind: 'createGmem', vm: 0, id: 0, size: 4n * P, flags: 3n, reserved: RESERVED }, slot(0, 0n, 0n), slot(1, 1n << 20n, P)];
    const f = await failing(ops, 'bind-overlap-accepted');
    expect(f.steps[f.index]!.rules[0]).toBe('SLOT-7');
  });

  it('6.18 judged as upstream: a policy not seen through a second mapping breaks POL-1 (6.18 does POL-1′)', async () => {
    const ops: Op[] = [
      prologue[0]!, prologue[1]!,
      { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3, shared: true },
      { kind: 'mmap', fd: 0, id: 1, offset: 0n, length: P, prot: 3, shared: true },
      { kind: 'mbind', map: 0, offset: 0n, length: P, mode: 1, nodes: 1, flags: 0 },
      { kind: 'getMempolicy', map: 1, offset: 0n, query: 'ADDR' },
    ];
    const f = await failing(ops, '', resolveProfile('upstream'), linux618);
    expect(f.steps[f.index]!.rules[0]).toBe('POL-1');
    // Judged under its own profile the same kernel conforms, and the rule that decided is POL-1′.
    const own = await lockstep(SPEC, linux618, createEmulator({ profile: linux618, seed: 1 }), ops);
    expect(own.failure).toBeUndefined();
    expect(own.steps.at(-1)!.rules[0]).toBe('POL-2');
    const viaFirst = await lockstep(SPEC, linux618, createEmulator({ profile: linux618, seed: 1 }), [...ops.slice(0, 5), { kind: 'getMempolicy', map: 0, offset: 0n, query: 'ADDR' }]);
    expect(viaFirst.steps.at(-1)!.rules[0]).toBe('POL-1′');
  });
});

describe('the same deviation names the same rule', () => {
  it('6.18 judged as upstream, after mbind(DEFAULT) through the first mapping: the second keeps its VMA policy — POL-1, not POL-2', async () => {
    const bind = (map: number, mode: number, nodes: number): Op => ({ kind: 'mbind', map, offset: 0n, length: P, mode, nodes, flags: 0 });
    const ops: Op[] = [
      prologue[0]!, prologue[1]!,
      { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3, shared: true },
      { kind: 'mmap', fd: 0, id: 1, offset: 0n, length: P, prot: 3, shared: true },
      bind(0, 2, 1), bind(1, 2, 1), bind(0, 0, 0),
      { kind: 'getMempolicy', map: 1, offset: 0n, query: 'ADDR' },
    ];
    const f = await failing(ops, '', resolveProfile('upstream'), linux618);
    expect(f.index).toBe(7);
    // Upstream's answer comes from POL-2 (nothing recorded reads as DEFAULT); what 6.18 broke is
    // POL-1 (the recorded policy is the inode's), so a run reports one deviation, not two.
    expect(f.steps[f.index]!.rules.slice(0, 2)).toEqual(['POL-1', 'POL-2']);
  });
});

describe('excludedBy on nested outcomes', async () => {
  const { excludedBy } = await import('../../../spec/blame.js');
  const ev = { write: false, minor: false, wp: false, offset: 0n };
  const uffd = (access: Outcome): Outcome => ({ kind: 'uffd', event: ev, resolve: { kind: 'ok', value: { count: 4096 } }, access });
  const v = { allowed: [uffd({ kind: 'ok', value: { value: 0 } })], rules: ['UFD-4', 'UFD-6', 'FIO-11'], parts: [{ rule: 'FIO-11', path: ['access', 'value', 'value'] }] };
  it('a wrong byte inside a userfault\'s access is the part\'s rule', () => {
    expect(excludedBy(v, uffd({ kind: 'ok', value: { value: 7 } }))).toBe('FIO-11');
  });
  it('another shape (the access faulted) is the deciding rule\'s', () => {
    expect(excludedBy(v, uffd({ kind: 'signal', signal: 'SIGBUS', code: 'BUS_ADRERR', offset: 0n }))).toBe('UFD-4');
    expect(excludedBy(v, { kind: 'ok', value: { value: 0 } })).toBe('UFD-4');
  });
});
