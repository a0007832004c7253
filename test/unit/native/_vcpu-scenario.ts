/** The vCPU-side scenario (shared by the native test and the emulator test): see ./vcpu.test.ts. */
import { MEM, type Op, type OpOf } from '../../../spec/vocab/index.js';

const P = 4096n;
const U64 = 1n << 64n;
type On = OpOf<'createGmemMisuse'>['on'];
const vcpu = (id: number, vcpuId: bigint, vm = 0): Op => ({ kind: 'createVcpu', vm, id, vcpuId });
const misuse = (on: On, arg: 'null' | 'guard', ioctlSize: OpOf<'createGmemMisuse'>['ioctlSize'] = 'real'): Op => ({ kind: 'createGmemMisuse', on, arg, ioctlSize });
const pf = (gpa: bigint, size: bigint, flags = 0n, padding: bigint[] = [], v = 0): Op => ({ kind: 'preFault', vcpu: v, gpa, size, flags, padding });
const plainSlot = (size: bigint, flags = 0, gmem: OpOf<'setMemoryRegion'>['gmem'] = { kind: 'notOpen' }, slot = 0, gpa = 0n): Op => ({
  kind: 'setMemoryRegion', vm: 0, v1: false, slot, flags, gpa, size, uaddr: { kind: 'map', map: 0, offset: 0n }, gmem, gmemOffset: 0n,
});

const SIZES = ['real', 'zero', 'short', 'long', 'max'] as const;
const ON: On[] = [{ kind: 'vm', vm: 0 }, { kind: 'kvm' }, { kind: 'vcpu', vcpu: 0 }, { kind: 'fd', fd: 0 }];

export const scenario = (): Op[] => [
  { kind: 'createVm', id: 0, type: 0n }, { kind: 'checkExtension', vm: null, cap: 66n }, { kind: 'checkExtension', vm: 0, cap: 128n },
  // vCPU ids: a fresh one, the same again, the edges of KVM_MAX_VCPU_IDS and of the unsigned long.
  vcpu(0, 1n), vcpu(1, 1n), vcpu(2, 4095n), vcpu(3, 4096n), vcpu(4, (1n << 32n) + 2n), vcpu(5, U64 - 1n), vcpu(6, 1n << 63n), vcpu(7, 2n),
  // The creation request on every fd, every size field, NULL and a page the harness maps PROT_NONE.
  { kind: 'createMemfd', id: 0, size: P }, { kind: 'createMemfd', id: 1, size: 0n }, { kind: 'close', fd: 1 },
  ...ON.flatMap((on) => SIZES.flatMap((s) => [misuse(on, 'null', s), misuse(on, 'guard', s)])),
  misuse({ kind: 'vcpu', vcpu: 3 }, 'null'), misuse({ kind: 'fd', fd: 1 }, 'guard'), misuse({ kind: 'vm', vm: 4 }, 'null'),
  // KVM_PRE_FAULT_MEMORY: validation, then the shadow MMU before any memslot (ENOSPC).
  pf(0n, P), pf(0n, P, 1n), pf(0n, P, 1n << 63n), pf(1n, P), pf(0n, 0n), pf(0n, P + 1n), pf(U64 - P, 2n * P), pf(1n << 63n, 1n << 63n),
  pf(0n, P, 0n, [1n, 0n, 0n, 0n, 1n << 63n]), pf(0n, P, 0n, [], 3),
  // A second VM whose fd is closed: its vCPU still answers, a new vCPU cannot be asked for.
  { kind: 'createVm', id: 1, type: 0n }, vcpu(8, 3n, 1), { kind: 'closeVm', vm: 1 }, pf(0n, P, 0n, [], 8), vcpu(9, 4n, 1),
  // A plain memslot over a memfd mapping, then deleted: the page budget stays (EOPNOTSUPP).
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3n, shared: true }, plainSlot(P), pf(0n, P), pf(1n << 30n, P),
  plainSlot(0n), pf(0n, P), pf(0n, P, 2n),
  // A slot whose userspace_addr is NULL-based: GPAs from 64 KiB in would be faulted through this
  // process's own memory, so the native target answers them in a scratch VM (ops-vcpu.ts).
  { kind: 'setMemoryRegion', vm: 0, v1: false, slot: 2, flags: 0, gpa: 1n << 33n, size: 32n * P, uaddr: { kind: 'null' }, gmem: { kind: 'notOpen' }, gmemOffset: 0n },
  pf((1n << 33n) + 0x10000n, 2n * P), pf(1n << 33n, 32n * P),
  // Without guest_memfd a gmem slot is refused, and the request stays ENOTTY.
  plainSlot(P, MEM.GUEST_MEMFD, { kind: 'fd', fd: 0 }), plainSlot(P, MEM.GUEST_MEMFD, { kind: 'pathFd', fd: 0 }),
  plainSlot(P, 0, { kind: 'pathFd', fd: 0 }, 1, 1n << 32n), { kind: 'createGmem', vm: 0, id: 2, size: P, flags: 0n, reserved: [] },
];
