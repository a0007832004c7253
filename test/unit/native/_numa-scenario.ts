/**
 * The memfd scenario of the NUMA ops (get_mempolicy's flags word, numa_maps), shared by the native
 * test (./numa.test.ts) and the reproducer differential (test/unit/cli/repro-differential.test.ts).
 */
import type { Op } from '../../../spec/vocab/index.js';
import { st, ld } from './_support.js';

const P = 4096n;
const gf = (flags: bigint, map = 0, offset = 0n): Op => ({ kind: 'getMempolicyFlags', map, offset, flags });
const nm = (map: number, offset: bigint): Op => ({ kind: 'numaMaps', map, offset });
const mv = (map: number, offset: bigint, pages: number, move = false, node = 0, flags = 0): Op => ({ kind: 'movePages', map, offset, pages, move, node, flags });
const mb = (map: number, offset: bigint, length: bigint, mode: bigint, nodes: bigint): Op => ({ kind: 'mbind', map, offset, length, mode, nodes, flags: 0 });

export const numaScenario = (): Op[] => [
  { kind: 'createMemfd', id: 0, size: 8n * P },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 8n * P, prot: 3n, shared: true },
  // The flags word: every defined combination, bits 3, 31, 32, 63, and an offset outside the mapping.
  gf(0n), gf(1n), gf(2n), gf(3n), gf(4n), gf(5n), gf(6n), gf(7n), gf(8n), gf((1n << 31n) | 2n), gf((1n << 32n) | 2n), gf((1n << 63n) | 2n),
  gf((1n << 32n) | 4n), gf(2n, 0, 8n * P), gf(4n, 0, -(1n << 50n)), gf(1n << 40n, 0, 1n << 52n),
  // numa_maps: empty, after a store and a load, after mbind on a part (the VMA splits), a task policy.
  nm(0, 0n), st(0, 0n), ld(0, P), nm(0, 0n), mb(0, 2n * P, 2n * P, 2n, 1n), nm(0, 0n), nm(0, 2n * P), nm(0, 5n * P),
  { kind: 'setMempolicy', mode: 1, nodes: 1n }, nm(0, 0n), nm(0, 2n * P), gf(2n), gf(2n, 0, 2n * P),
  { kind: 'setMempolicy', mode: 3 | (1 << 15), nodes: 3n }, nm(0, 6n * P), mb(0, 6n * P, P, BigInt(2 | (1 << 14)), 2n), nm(0, 6n * P),
  { kind: 'setMempolicy', mode: 0, nodes: 0n }, mb(0, 4n * P, P, 4n, 0n), nm(0, 4n * P), mb(0, 5n * P, P, 5n, 1n), nm(0, 5n * P), gf(3n, 0, 5n * P),
  // A second mapping of the same file, and a private one with a copy.
  { kind: 'mmap', fd: 0, id: 1, offset: 2n * P, length: 2n * P, prot: 3n, shared: true },
  ld(1, 0n), nm(1, 0n), gf(2n, 1), st(0, 2n * P), nm(0, 2n * P),
  { kind: 'mmap', fd: 0, id: 2, offset: 0n, length: 2n * P, prot: 3n, shared: false },
  st(2, 0n), ld(2, P), nm(2, 0n), nm(2, 2n * P), nm(2, -P),
  // move_pages: query and move to node 0 over mapped, unmapped and outside pages, a copy, the argument edges.
  mv(0, 0n, 8), mv(0, -2n * P, 4), mv(0, 6n * P, 4), mv(1, 0n, 3), mv(2, 0n, 2), mv(0, 0n, 3, true, 0, 2), mv(0, 0n, 3, true, 0, 4), mv(0, 7n * P, 2, true),
  mv(0, 0n, 2, true, 1, 2), mv(0, 0n, 2, true, -1), mv(0, 0n, 0, true, 5), mv(0, 0n, 2, false, 0, 1), mv(0, 0n, 2, false, 0, 8), mv(0, 1n, 2), mv(0, 0n, 0),
  { kind: 'munmap', map: 2 }, nm(2, 0n), gf(4n, 2), mv(2, 0n, 1),
];

