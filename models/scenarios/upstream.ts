/**
 * The 16 tests of the kernel's own tools/testing/selftests/kvm/guest_memfd_test.c (source S3,
 * torvalds/linux @ 01f492e1), re-expressed as op sequences. Each is run in lockstep, so every
 * step is checked against the spec (not against expectations written here), and each names the
 * rule ids its steps must exercise. The upstream driver runs the per-file tests for flags 0, MMAP
 * and MMAP|INIT_SHARED; `flags` says which of those a scenario applies to.
 */
import type { Op } from '../../spec/vocab/index.js';
import { FALLOC, MEM, MPOL, PROT } from '../../spec/vocab/index.js';
import { PAGE_SIZE as P } from '../../spec/vocab/handles.js';

const SIZE = 4n * P;
const RW = PROT.READ | PROT.WRITE;
const { KEEP_SIZE, PUNCH_HOLE } = FALLOC;
const ZERO6 = [0n, 0n, 0n, 0n, 0n, 0n] as const;

export interface Scenario {
  readonly name: string;
  /** Which creation flags the upstream driver runs it with. */
  readonly flags: readonly bigint[];
  /** Rule ids it must exercise; `A|B` accepts either (e.g. the guest path differs by profile). */
  readonly rules: readonly string[];
  /** Op kinds it needs (a target lacking one reports SKIP with its reason). */
  readonly needs?: readonly Op['kind'][];
  build(flags: bigint): Op[];
}

const vm = (): Op => ({ kind: 'createVm', id: 0, type: 0 });
const gmem = (id: number, size: bigint, flags: bigint): Op => ({ kind: 'createGmem', vm: 0, id, size, flags, reserved: ZERO6 });
const mmap = (id: number, length: bigint, shared = true, fd = 0): Op => ({ kind: 'mmap', fd, id, offset: 0n, length, prot: RW, shared });
const load = (map: number, offset: bigint): Op => ({ kind: 'load', map, offset, onUserfault: 'COPY', fill: 0 });
const store = (map: number, offset: bigint, value: number): Op => ({ kind: 'store', map, offset, value, onUserfault: 'COPY', fill: 0 });
const falloc = (mode: number, offset: bigint, len: bigint): Op => ({ kind: 'fallocate', fd: 0, mode, offset, len });
const pageEdges = (pages: bigint): bigint[] => Array.from({ length: Number(pages) }, (_, i) => [BigInt(i) * P, BigInt(i) * P + P - 1n]).flat();

const ALL = [0n, 1n, 3n];
const SHARED = [3n];

export const UPSTREAM_SCENARIOS: readonly Scenario[] = [
  {
    name: 'test_guest_memfd_flags', flags: [0n], rules: ['CRE-2'],
    build: () => [vm(), ...Array.from({ length: 64 }, (_, b) => gmem(b, P, 1n << BigInt(b)))],
  },
  {
    name: 'test_create_guest_memfd_multiple', flags: ALL, rules: ['CRE-1'],
    build: (f) => [vm(), gmem(0, P, f), gmem(1, 2n * P, f), { kind: 'fstat', fd: 0 }, { kind: 'fstat', fd: 1 }, { kind: 'sameInode', fd: 0, other: 1 }],
  },
  {
    name: 'test_create_guest_memfd_invalid_sizes', flags: ALL, rules: ['CRE-4'],
    build: (f) => [vm(), ...Array.from({ length: 4095 }, (_, i) => gmem(i, BigInt(i + 1), f))],
  },
  {
    name: 'test_file_read_write', flags: ALL, rules: ['FIO-1'],
    build: (f) => [vm(), gmem(0, SIZE, f), ...(['read', 'write', 'pread', 'pwrite'] as const).map((call): Op => ({ kind: 'fileIo', fd: 0, call, offset: 0n, len: 4096, value: 0 }))],
  },
  {
    name: 'test_mmap_supported', flags: SHARED, rules: ['MAP-5', 'FIO-9', 'MAP-7'],
    build: (f) => [vm(), gmem(0, SIZE, f), mmap(0, SIZE), ...pageEdges(4n).map((o) => store(0, o, 0xaa)), ...pageEdges(4n).map((o) => load(0, o)),
      falloc(KEEP_SIZE | PUNCH_HOLE, 0n, P), ...pageEdges(4n).map((o) => load(0, o)), store(0, 0n, 0xaa), load(0, 0n)],
  },
  {
    name: 'test_fault_overflow', flags: SHARED, rules: ['MAP-4'],
    build: (f) => [vm(), gmem(0, SIZE, f), mmap(0, 4n * SIZE), ...pageEdges(5n).map((o) => store(0, o, 0xaa)), load(0, SIZE), ...pageEdges(4n).map((o) => load(0, o))],
  },
  {
    name: 'test_numa_allocation', flags: SHARED, rules: ['POL-8'],
    build: (f) => [vm(), gmem(0, SIZE, f), mmap(0, SIZE),
      { kind: 'mbind', map: 0, offset: 0n, length: 2n * P, mode: MPOL.BIND, nodes: 1, flags: 0 },
      store(0, 0n, 1), { kind: 'getMempolicy', map: 0, offset: 0n, query: 'ADDR_NODE' },
      falloc(KEEP_SIZE | PUNCH_HOLE, 0n, SIZE), { kind: 'getMempolicy', map: 0, offset: P, query: 'ADDR_NODE' }],
  },
  {
    name: 'test_collapse', flags: SHARED, rules: ['MAP-8', 'MAP-14'],
    build: (f) => [vm(), gmem(0, 512n * P, f), mmap(0, 512n * P), ...[0n, 255n * P, 511n * P].map((o) => load(0, o)),
      { kind: 'madvise', map: 0, offset: 0n, length: 512n * P, advice: 'HUGEPAGE' },
      { kind: 'madvise', map: 0, offset: 0n, length: 512n * P, advice: 'COLLAPSE' },
      { kind: 'madvise', map: 0, offset: 0n, length: 512n * P, advice: 'DONTNEED' }, load(0, 0n)],
  },
  {
    name: 'test_fault_private', flags: [1n], rules: ['MAP-5'],
    build: (f) => [vm(), gmem(0, SIZE, f), mmap(0, SIZE), load(0, 0n), store(0, P, 1), falloc(KEEP_SIZE, 0n, SIZE), load(0, 2n * P)],
  },
  {
    name: 'test_mmap_cow', flags: [1n, 3n], rules: ['MAP-2'],
    build: (f) => [vm(), gmem(0, SIZE, f), mmap(0, SIZE, false)],
  },
  {
    name: 'test_mbind', flags: [1n, 3n], rules: ['POL-4'],
    build: (f) => [vm(), gmem(0, SIZE, f), mmap(0, SIZE),
      ...([[MPOL.INTERLEAVE, 1], [MPOL.BIND, 1], [MPOL.DEFAULT, 0]] as const).flatMap(([mode, nodes]): Op[] => [
        { kind: 'mbind', map: 0, offset: 0n, length: SIZE, mode, nodes, flags: 0 }, { kind: 'getMempolicy', map: 0, offset: 0n, query: 'ADDR' }]),
      { kind: 'mbind', map: 0, offset: 0n, length: SIZE, mode: 999, nodes: 1, flags: 0 }],
  },
  {
    name: 'test_mmap_not_supported', flags: [0n], rules: ['MAP-1'],
    build: (f) => [vm(), gmem(0, SIZE, f), mmap(0, P), mmap(1, SIZE)],
  },
  {
    name: 'test_file_size', flags: ALL, rules: ['CRE-1'],
    build: (f) => [vm(), gmem(0, SIZE, f), { kind: 'fstat', fd: 0 }],
  },
  {
    name: 'test_fallocate', flags: ALL, rules: ['FIO-6', 'FIO-7', 'FIO-8', 'FIO-10'],
    build: (f) => [vm(), gmem(0, SIZE, f), falloc(KEEP_SIZE, 0n, SIZE), falloc(KEEP_SIZE | PUNCH_HOLE, P - 1n, P),
      falloc(KEEP_SIZE, SIZE, P), falloc(KEEP_SIZE, SIZE + P, P), falloc(KEEP_SIZE | PUNCH_HOLE, SIZE, P),
      falloc(KEEP_SIZE | PUNCH_HOLE, SIZE + P, P), falloc(KEEP_SIZE | PUNCH_HOLE, 0n, P - 1n),
      falloc(KEEP_SIZE | PUNCH_HOLE, 0n, P), falloc(KEEP_SIZE, 0n, SIZE)],
  },
  {
    name: 'test_invalid_punch_hole', flags: ALL, rules: ['FIO-6'],
    build: (f) => [vm(), gmem(0, SIZE, f), ...([[0n, 1n], [0n, P - 1n], [0n, P + 1n], [1n, 1n], [1n, P - 1n], [1n, P], [1n, P + 1n], [P, 1n], [P, P - 1n], [P, P + 1n]] as const)
      .map(([o, l]) => falloc(KEEP_SIZE | PUNCH_HOLE, o, l))],
  },
  {
    name: 'test_guest_memfd_guest', flags: [3n], rules: ['SLOT-14|SLOT-13'], needs: ['guestAccess'],
    build: (f) => [vm(), { kind: 'checkExtension', vm: 0, cap: 244 }, gmem(0, P, f), mmap(0, P), store(0, 0n, 0xaa),
      { kind: 'setMemoryRegion', vm: 0, v1: false, slot: 1, flags: MEM.GUEST_MEMFD, gpa: 1n << 32n, size: P, uaddr: { kind: 'null' }, gmem: { kind: 'fd', fd: 0 }, gmemOffset: 0n },
      { kind: 'guestAccess', vm: 0, gpa: 1n << 32n, write: false, value: 0 }, { kind: 'guestAccess', vm: 0, gpa: 1n << 32n, write: true, value: 0xff },
      { kind: 'munmap', map: 0 }, mmap(1, P), load(1, 0n)],
  },
];
