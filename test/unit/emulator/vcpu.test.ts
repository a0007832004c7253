/**
 * The vCPU side on the emulator, judged by the spec: the native scenario under the profile of this
 * host's kernel (shadow paging), and the TDP walk of KVM_PRE_FAULT_MEMORY under upstream — partial
 * progress written back, ENOENT at a GPA no slot covers, the gmem pages it allocates (SLOT-23,
 * SLOT-24), which a host mapping then sees resident.
 */
import { describe, expect, it } from 'vitest';
import { linux618NoGmem, upstream } from '../../../spec/profiles/index.js';
import * as SPEC from '../../../spec/index.js';
import { formatOutcome, GMEM_FLAG, isAllowed, MEM, type Op, type Outcome, type Profile } from '../../../spec/vocab/index.js';
import { scenario } from '../native/_vcpu-scenario.js';
import { mmap, P, run } from './_fixtures.js';

const mismatches = (profile: Profile, ops: readonly Op[], observed: readonly Outcome[]): string[] => {
  let s = SPEC.initialState(profile);
  return ops.flatMap((op, i) => {
    const v = SPEC.step(profile, s, op);
    const o = observed[i]!;
    const ok = isAllowed(o, v.allowed);
    s = v.next(ok ? o : v.allowed[0]!);
    return ok ? [] : [`step ${i + 1} ${op.kind}: got ${formatOutcome(o)}, allowed ${v.allowed.map(formatOutcome).join(' | ')}`];
  });
};

const pf = (gpa: bigint, size: bigint): Op => ({ kind: 'preFault', vcpu: 0, gpa, size, flags: 0n, padding: [] });
const gmemSlot = (gpa: bigint, size: bigint, fd = 0, slot = 0): Op => ({
  kind: 'setMemoryRegion', vm: 0, v1: false, slot, flags: MEM.GUEST_MEMFD, gpa, size, uaddr: { kind: 'null' }, gmem: { kind: 'fd', fd }, gmemOffset: 0n,
});

describe('emulator: the vCPU side', () => {
  it('answers the native scenario as the spec allows for this host (shadow paging, no guest_memfd)', async () => {
    const ops = scenario();
    expect(mismatches(linux618NoGmem, ops, await run(linux618NoGmem, ops))).toEqual([]);
  });

  it('on a TDP host, pre-faults page by page: all of a gmem-only slot, partial progress written back, ENOENT outside, the folios allocated', async () => {
    const ops: Op[] = [
      { kind: 'createVm', id: 0, type: 0n }, { kind: 'createVcpu', vm: 0, id: 0, vcpuId: 1n },
      { kind: 'createGmem', vm: 0, id: 0, size: 4n * P, flags: GMEM_FLAG.MMAP | GMEM_FLAG.INIT_SHARED, reserved: [] },
      pf(0n, P), gmemSlot(0n, 2n * P), mmap(0, 0, 4n * P),
      { kind: 'mincore', map: 0, offset: 0n, pages: 4 },
      pf(0n, 2n * P), pf(0n, 4n * P), pf(8n * P, P), pf(P, (1n << 63n) - P),
      { kind: 'mincore', map: 0, offset: 0n, pages: 4 },
      { kind: 'load', map: 0, offset: P, onUserfault: 'COPY', fill: 0 },
    ];
    const observed = await run(upstream, ops);
    expect(mismatches(upstream, ops, observed)).toEqual([]);
    expect(observed.slice(3).map(formatOutcome)).toEqual([
      'errno ENOENT', 'ok', 'ok', 'ok [false,false,false,false]',
      'ok {gpa:0x2000, size:0x0}', 'ok {gpa:0x2000, size:0x2000}', 'errno ENOENT', `ok {gpa:0x2000, size:0x${((1n << 63n) - 2n * P).toString(16)}}`,
      'ok [true,true,false,false]', 'ok {value:0}',
    ]);
  });

  it('on a TDP host, a plain slot longer than its gmem mapping: the walk stops with the pages past the mapping (measured in the 7.2 VM only once the native target stopped faulting this process\'s own memory in)', async () => {
    const ops: Op[] = [
      { kind: 'createVm', id: 0, type: 0n },
      { kind: 'createGmem', vm: 0, id: 0, size: 2n * P, flags: GMEM_FLAG.MMAP | GMEM_FLAG.INIT_SHARED, reserved: [] }, mmap(0, 0, 2n * P),
      { kind: 'setMemoryRegion', vm: 0, v1: false, slot: 0, flags: 0, gpa: 0n, size: 3n * P, uaddr: { kind: 'map', map: 0, offset: 0n }, gmem: { kind: 'fd', fd: 0 }, gmemOffset: 2n * P },
      { kind: 'createVcpu', vm: 0, id: 0, vcpuId: 1n }, pf(0n, 4n * P),
    ];
    const observed = await run(upstream, ops);
    expect(mismatches(upstream, ops, observed)).toEqual([]);
    expect(formatOutcome(observed[5]!)).toBe('ok {gpa:0x2000, size:0x2000}');
  });

  it('the spec allows exactly one answer for a pre-fault across the end of a slot, and never ok for a range it cannot map', () => {
    const ops: Op[] = [
      { kind: 'createVm', id: 0, type: 0n }, { kind: 'createVcpu', vm: 0, id: 0, vcpuId: 1n },
      { kind: 'createGmem', vm: 0, id: 0, size: 4n * P, flags: GMEM_FLAG.MMAP, reserved: [] }, gmemSlot(0n, 2n * P),
    ];
    let s = SPEC.initialState(upstream);
    for (const op of ops) { const v = SPEC.step(upstream, s, op); s = v.next(v.allowed[0]!); }
    const across = SPEC.step(upstream, s, pf(P, 2n * P));
    expect(across.allowed.map(formatOutcome)).toEqual(['ok {gpa:0x2000, size:0x1000}']);
    expect(across.rules[0]).toBe('SLOT-24');
    expect(SPEC.step(upstream, s, pf(4n * P, P)).allowed.map(formatOutcome)).toEqual(['errno ENOENT']);
    expect(SPEC.step(linux618NoGmem, SPEC.initialState(linux618NoGmem), ops[0]!).allowed.map(formatOutcome)).toEqual(['ok']);
  });
});
