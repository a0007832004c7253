/**
 * KVM's binary statistics (LVL-10) in the emulator, judged by the spec: the layout, the end of the
 * file, the refused writes, the ids, and the VM's page counters — 0 without memslots, 0 under
 * kvm_pvm (P-GUEST-PATH UADDR), and pages_4k counted under the GMEM path once the guest touched a
 * gmem page, where the shared half through userspace_addr would be the host's business.
 */
import { describe, expect, it } from 'vitest';
import { linux618 } from '../../../spec/profiles/index.js';
import { GMEM_FLAG, err, ok, type Op } from '../../../spec/vocab/index.js';
import { gmem, judged, P, slot, vm, withProfile } from './_fixtures.js';

const GMEMPATH = withProfile({ variants: { guestPath: 'GMEM' } });
type At = 'end' | 'tail' | 'far' | 'negative';
const st = (at: At = 'end', write: 'write' | 'pwrite' = 'write', vmId = 0): Op => ({ kind: 'kvmStats', on: { kind: 'vm', vm: vmId }, at, write });
const stc = (vcpu: number, at: At = 'end'): Op => ({ kind: 'kvmStats', on: { kind: 'vcpu', vcpu }, at, write: 'pwrite' });
const VM_HAS = ['remote_tlb_flush', 'pages_4k', 'pages_2m', 'pages_1g', 'nx_lpage_splits'];
const vmOut = (small: boolean, readAt: number | string = 0, write = 'EBADF') => ok({ id: 'kvm-PID', layout: 'ok', has: VM_HAS, pages: { small, huge: false }, readAt, write });
const access: Op = { kind: 'guestAccess', vm: 0, gpa: 0n, write: true, value: 7 };

describe('KVM binary statistics (emulator, judged by the spec)', () => {
  it('LVL-10: the VM and vCPU files, their end, their refused writes, a dead handle', async () => {
    const got = await judged(linux618, [vm(), st('end'), st('tail', 'pwrite'), st('far'), st('negative'),
      { kind: 'createVcpu', vm: 0, id: 0, vcpuId: 5n }, stc(0), stc(0, 'tail'), { kind: 'closeVm', vm: 0 }, st(), stc(0), stc(1)]);
    expect(got.slice(1, 5)).toEqual([vmOut(false), vmOut(false, 4, 'ESPIPE'), vmOut(false, 0), vmOut(false, 'EINVAL')]);
    const vcpuOut = (readAt: number) => ok({ id: 'kvm-PID/vcpu-5', layout: 'ok', has: ['halt_exits', 'exits', 'pf_taken', 'pf_fixed', 'blocking'], pages: null, readAt, write: 'ESPIPE' });
    // The vCPU keeps its VM alive after the VM fd closed: its stats still read.
    expect(got.slice(6)).toEqual([vcpuOut(0), vcpuOut(4), ok(), err('EBADF'), vcpuOut(0), err('EBADF')]);
  });

  it('LVL-10: pages_4k counts the gmem pages the guest touched under the GMEM path, none after the slot is gone', async () => {
    const del: Op = { kind: 'setMemoryRegion', vm: 0, v1: false, slot: 0, flags: 4, gpa: 0n, size: 0n, uaddr: { kind: 'null' }, gmem: { kind: 'fd', fd: 0 }, gmemOffset: 0n };
    const got = await judged(GMEMPATH, [vm(), gmem(0, 4n * P, GMEM_FLAG.MMAP), st(), slot(0, 0, 0n, 4n * P, 0), st(), access, st(), del, st()]);
    expect([got[2], got[4], got[6], got[8]]).toEqual([vmOut(false), vmOut(false), vmOut(true), vmOut(false)]);
  });

  it('LVL-10: kvm_pvm (UADDR) counts no SPTEs, and the spec allows it', async () => {
    const got = await judged(linux618, [vm(), gmem(0, 4n * P, GMEM_FLAG.MMAP), slot(0, 0, 0n, 4n * P, 0), access, st()]);
    expect(got[4]).toEqual(vmOut(false));
  });
});

describe('kpageflags of a mapped page (emulator, judged by the spec)', () => {
  const kp = (map: number, offset = 0n): Op => ({ kind: 'kpageFlags', map, offset });
  const page = (flags: string[], count: number) => ok({ flags, count });

  it('MAP-41: a gmem page is up to date, mapped, unevictable, never anon or swap-backed; its count is its PTEs', async () => {
    const got = await judged(linux618, [vm(), gmem(0, 4n * P), mmapOp(0), kp(0), { kind: 'store', map: 0, offset: 0n, value: 1, onUserfault: 'COPY', fill: 0 },
      kp(0), mmapOp(1), { kind: 'load', map: 1, offset: 0n, onUserfault: 'COPY', fill: 0 }, kp(1), kp(0, 4n * P), kp(0, -P), { kind: 'munmap', map: 0 }, kp(0), kp(1)]);
    expect(got.slice(3)).toEqual([ok(null), ok(), page(['uptodate', 'lru', 'mmap', 'unevictable'], 1), ok(), ok({ value: 1 }),
      page(['uptodate', 'lru', 'mmap', 'unevictable'], 2), ok(null), ok(null), ok(), err('EFAULT'), page(['uptodate', 'lru', 'mmap', 'unevictable'], 1)]);
  });

  it('MAP-41: a memfd page is swap-backed; a private copy is anonymous and mapped once', async () => {
    const got = await judged(linux618, [{ kind: 'createMemfd', id: 0, size: 4n * P }, mmapOp(0), { kind: 'store', map: 0, offset: 0n, value: 1, onUserfault: 'COPY', fill: 0 }, kp(0),
      mmapOp(1, false), { kind: 'store', map: 1, offset: 0n, value: 2, onUserfault: 'COPY', fill: 0 }, kp(1), kp(0)]);
    expect([got[3], got[6], got[7]]).toEqual([page(['uptodate', 'lru', 'mmap', 'swapbacked'], 1), page(['uptodate', 'lru', 'mmap', 'anon', 'swapbacked'], 1), page(['uptodate', 'lru', 'mmap', 'swapbacked'], 1)]);
  });
});

const mmapOp = (id: number, shared = true): Op => ({ kind: 'mmap', fd: 0, id, offset: 0n, length: 4n * P, prot: 3n, shared });
