/**
 * The memfd scenarios of the forked child (spec/vocab/ops-child.ts) and of UFFDIO_MOVE
 * (spec/vocab/ops-uffd-extra.ts): what test/unit/native/child.test.ts and uffd-move.test.ts run on
 * this kernel and test/unit/cli/repro-differential.test.ts replays through the C reproducer.
 * docs/probe-records/linux-6.18.44-nogmem-child.md (CHD-*, UFM-*) restates them.
 */
import type { Op } from '../../../spec/vocab/index.js';

const P = 4096n;
type Act = Extract<Op, { kind: 'child' }>['act'];
const child = (act: Act): Op => ({ kind: 'child', act });
const cload = (map: number, offset: bigint): Op => child({ kind: 'load', map, offset });
const cstore = (map: number, offset: bigint, value: number): Op => child({ kind: 'store', map, offset, value });
const load = (map: number, offset: bigint): Op => ({ kind: 'load', map, offset, onUserfault: 'COPY', fill: 0 });
const store = (map: number, offset: bigint, value: number): Op => ({ kind: 'store', map, offset, value, onUserfault: 'COPY', fill: 0 });
const madv = (map: number, offset: bigint, length: bigint, advice: 'DONTFORK' | 'DOFORK' | 'WIPEONFORK' | 'KEEPONFORK'): Op => ({ kind: 'madvise', map, offset, length, advice });

export const childScenario = (): Op[] => [
  { kind: 'createMemfd', id: 0, size: 4n * P },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * P, prot: 3n, shared: true },
  { kind: 'mmap', fd: 0, id: 1, offset: 0n, length: 4n * P, prot: 3n, shared: false },
  { kind: 'mmap', fd: 0, id: 2, offset: 0n, length: 2n * P, prot: 1n, shared: true },
  // Shared: the child reads the parent's bytes, and its stores reach the file.
  store(0, 5n, 0x11), cload(0, 5n), cstore(0, P + 7n, 0x22), load(0, P + 7n), load(1, P + 7n), cload(0, 3n * P),
  // Private: the child sees the parent's copies; its own stores stay its own.
  store(1, 9n, 0x33), cload(1, 9n), cstore(1, 9n, 0x44), load(1, 9n), load(0, 9n), cstore(1, 2n * P, 0x55), load(0, 2n * P),
  // Protection and EOF hold in the child too; a map offset past the VMA is SEGV_MAPERR.
  cstore(2, 0n, 1), cload(2, 0n), cload(0, 4n * P), cload(0, 8n * P),
  { kind: 'ftruncate', fd: 0, size: 2n * P }, cload(0, 3n * P), cstore(1, 3n * P, 1), cload(1, 0n),
  { kind: 'ftruncate', fd: 0, size: 4n * P },
  // MADV_DONTFORK: the child has no mapping there; DOFORK gives it back. WIPEONFORK is for anonymous memory.
  madv(0, P, P, 'DONTFORK'), cload(0, P), cstore(0, P, 9), cload(0, 0n), cload(0, 2n * P), load(0, P),
  madv(0, 0n, 4n * P, 'DOFORK'), cload(0, P), madv(1, 0n, P, 'DONTFORK'), cstore(1, 0n, 3), cload(1, P),
  madv(0, 0n, P, 'WIPEONFORK'), madv(1, 0n, P, 'WIPEONFORK'), madv(0, 0n, P, 'KEEPONFORK'),
  // The inherited fd reaches the same file: a punch by the child empties the parent's view.
  child({ kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: P }), load(0, 5n), load(1, 9n),
  child({ kind: 'fallocate', fd: 0, mode: 0, offset: 4n * P, len: P }), { kind: 'fstat', fd: 0 },
  child({ kind: 'fallocate', fd: 0, mode: 0x40, offset: 0n, len: P }), child({ kind: 'fallocate', fd: 0, mode: 1, offset: -1n, len: P }),
  child({ kind: 'ftruncate', fd: 0, size: 6n * P }), { kind: 'fstat', fd: 0 }, child({ kind: 'ftruncate', fd: 0, size: -1n }),
  { kind: 'munmap', map: 2 }, cload(2, 0n),
  { kind: 'close', fd: 0 }, child({ kind: 'fallocate', fd: 0, mode: 0, offset: 0n, len: P }), child({ kind: 'ftruncate', fd: 0, size: P }), cload(0, 0n),
  // A VM ioctl from the child: EIO (kvm_vm_ioctl's mm check); a closed VM fd: EBADF.
  { kind: 'createVm', id: 0, type: 0n }, { kind: 'checkExtension', vm: 0, cap: 3n }, child({ kind: 'vmIoctl', vm: 0 }),
  { kind: 'closeVm', vm: 0 }, child({ kind: 'vmIoctl', vm: 0 }), child({ kind: 'vmIoctl', vm: 3 }),
];

export const mv = (src: number, srcOffset: bigint, map: number, offset: bigint, length = P, mode = 0n, uffd = 0): Op => ({ kind: 'uffdMove', uffd, src, srcOffset, map, offset, length, mode });

export const moveScenario = (): Op[] => [
  { kind: 'createMemfd', id: 0, size: 4n * P },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * P, prot: 3n, shared: true },
  { kind: 'mmap', fd: 0, id: 1, offset: 0n, length: 4n * P, prot: 3n, shared: false },
  { kind: 'uffdCreate', id: 0, features: 1n << 16n },
  { kind: 'uffdRegister', uffd: 0, map: 1, offset: 0n, length: 4n * P, mode: 1n },
  { kind: 'store', map: 1, offset: 0n, value: 9, onUserfault: 'COPY', fill: 1 },
  // Both VMAs found: shared, private and registered, private to shared — all refused.
  mv(0, 0n, 0, P), mv(1, 0n, 1, P), mv(1, 0n, 1, P, P, 2n), mv(0, 0n, 1, 2n * P), mv(1, 0n, 0, 2n * P, 2n * P, 3n),
  // The argument checks before any VMA: unaligned starts and lengths, length 0, unknown mode bits.
  mv(1, 1n, 1, P), mv(1, 0n, 1, P + 1n), mv(1, 0n, 1, P, 1n), mv(1, 0n, 1, P, 0n), mv(1, 0n, 1, P, P, 4n), mv(1, 0n, 1, P, P, 1n << 63n),
  // A range that runs past its VMA, a start far outside it (nothing mapped 1 TiB below; 128 TiB above
  // passes TASK_SIZE wherever the map lies: EINVAL — 1 TiB above did only for maps the kernel placed
  // high, not for the targets' arena below the dead zone).
  mv(1, 0n, 1, 3n * P, 2n * P), mv(1, -(1n << 40n), 1, P), mv(1, 0n, 1, -(1n << 40n)), mv(1, 0n, 1, 1n << 47n),
  // Without the MOVE feature; a closed uffd; a dead map.
  { kind: 'uffdCreate', id: 1, features: 0n }, mv(1, 0n, 1, P, P, 0n, 1),
  { kind: 'munmap', map: 0 }, mv(0, 0n, 1, P), mv(1, 0n, 0, P), mv(1, 0n, 1, P, P, 0n, 5),
  { kind: 'load', map: 1, offset: 0n, onUserfault: 'COPY', fill: 1 },
];
