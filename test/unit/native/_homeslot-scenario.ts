/**
 * The memfd scenario of set_mempolicy_home_node (POL-23) and the plain-slot scenario of the padded
 * memslot call (SLOT-20), shared by the native test (./homeslot.test.ts), the emulator test and
 * the reproducer differential (test/unit/cli/repro-differential.test.ts).
 */
import { MPOL, type Op } from '../../../spec/vocab/index.js';
import { st } from './_support.js';

const P = 4096n;
const ALL = (1n << 64n) - 1n;
export const home = (map: number, offset: bigint, length: bigint, node = 0n, flags = 0n): Op =>
  ({ kind: 'setMempolicyHomeNode', map, offset, length, node, flags });
const mb = (map: number, offset: bigint, length: bigint, mode: number, nodes: bigint): Op =>
  ({ kind: 'mbind', map, offset, length, mode: BigInt(mode), nodes, flags: 0 });
const sm = (map: number, offset: bigint): Op => ({ kind: 'smaps', map, offset });
const nm = (map: number, offset: bigint): Op => ({ kind: 'numaMaps', map, offset });
const gp = (map: number, offset: bigint): Op => ({ kind: 'getMempolicy', map, offset, query: 'ADDR' });

export const homeNodeScenario = (): Op[] => [
  { kind: 'createMemfd', id: 0, size: 8n * P },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 8n * P, prot: 3n, shared: true },
  // No VMA policy anywhere: ENOENT once the arguments pass; the argument edges in the kernel's order.
  home(0, 0n, 8n * P), home(0, 1n, P), home(0, 2048n, P, 1n), home(0, 0n, P, 0n, 1n), home(0, 0n, P, 0n, 1n << 32n), home(0, 0n, P, 0n, 1n << 63n),
  home(0, 0n, P, 1n), home(0, 0n, P, 1n << 32n), home(0, 0n, P, ALL), home(0, 0n, 0n), home(0, 0n, ALL), home(0, 0n, 0n, 1n),
  // BIND on two pages: the home node goes there (a VMA of its own), the rest is skipped.
  mb(0, 0n, 2n * P, MPOL.BIND, 1n), home(0, 0n, 8n * P), home(0, 0n, 1n << 40n), home(0, -P, 2n * P), gp(0, 0n), nm(0, 0n), sm(0, 0n),
  // A fresh BIND VMA and the home node on half of it: the VMA splits where the home node starts.
  mb(0, 4n * P, 2n * P, MPOL.BIND, 1n), sm(0, 4n * P), home(0, 5n * P, P), sm(0, 4n * P), sm(0, 5n * P), nm(0, 5n * P),
  // mbind with the same mode and nodes is no longer equal: it resets the home node, the VMAs merge back.
  mb(0, 5n * P, P, MPOL.BIND, 1n), sm(0, 4n * P),
  // PREFERRED after a BIND VMA: EOPNOTSUPP, the BIND VMA before it keeps its change.
  mb(0, 2n * P, P, MPOL.PREFERRED, 1n), home(0, 0n, 4n * P), home(0, 2n * P, P), sm(0, 0n),
  mb(0, 3n * P, P, MPOL.INTERLEAVE, 1n), home(0, 3n * P, P), mb(0, 6n * P, P, MPOL.LOCAL, 0n), home(0, 6n * P, P),
  mb(0, 7n * P, P, MPOL.PREFERRED_MANY, 1n), home(0, 7n * P, P), home(0, 7n * P, 1n << 63n), sm(0, 7n * P),
  mb(0, 6n * P, P, MPOL.BIND | (1 << 15), 1n), home(0, 6n * P, 2n * P), sm(0, 6n * P),
  // A second mapping of the file: shmem's shared policy is BIND on its pages, its VMA has none.
  { kind: 'mmap', fd: 0, id: 1, offset: 0n, length: 2n * P, prot: 3n, shared: true },
  gp(1, 0n), home(1, 0n, 2n * P), st(1, 0n), { kind: 'setMempolicy', mode: MPOL.BIND, nodes: 1n }, home(1, 0n, 2n * P),
  { kind: 'setMempolicy', mode: MPOL.DEFAULT, nodes: 0n },
  // Everything back to DEFAULT: no VMA policy is left.
  mb(0, 0n, 8n * P, MPOL.DEFAULT, 0n), home(0, 0n, 8n * P), sm(0, 0n),
  { kind: 'munmap', map: 0 }, home(0, 0n, P), home(1, 0n, ALL),
];

const ALL32 = 2 ** 32 - 1;
type Uaddr = { kind: 'null' } | { kind: 'map'; map: number; offset: bigint };
const pad = (slot: number, gpa: bigint, size: bigint, pad1: number, pad2: bigint[], flags = 0, uaddr: Uaddr = { kind: 'null' }): Op =>
  ({ kind: 'setMemoryRegionPad', vm: 0, slot, flags, gpa, size, uaddr, gmem: { kind: 'notOpen' }, gmemOffset: 0n, pad1, pad2 });

export const memslotPadScenario = (): Op[] => [
  { kind: 'createVm', id: 0, type: 0n },
  { kind: 'createMemfd', id: 0, size: 4n * P },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * P, prot: 3n, shared: true },
  // Creation with every pad word set, the same request again, a move, a flag change, deletion.
  pad(0, 0n, 2n * P, ALL32, Array.from({ length: 14 }, () => (1n << 64n) - 1n), 0, { kind: 'map', map: 0, offset: 0n }),
  pad(0, 0n, 2n * P, 1, [1n << 63n], 0, { kind: 'map', map: 0, offset: 0n }),
  pad(0, 1n << 20n, 2n * P, 2 ** 31, [0n, 1n << 32n]),
  pad(0, 0n, 2n * P, 0, [], 1, { kind: 'map', map: 0, offset: 0n }),
  pad(1, 0n, P, 1, [1n]), pad(1, 1n << 30n, P, 1, [1n]),
  pad(0, 0n, 0n, ALL32, [5n]),
  // Argument errors are the same with pads: an unaligned GPA, an invalid flag, the gmem flag (no guest_memfd here).
  pad(2, 2048n, P, 1, [1n]), pad(2, 0n, P, 1, [1n], 1 << 3), pad(2, 0n, P, 1, [1n], 4),
  pad(1, 1n << 30n, 0n, 0, [1n << 63n]),
];
