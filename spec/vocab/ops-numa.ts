/**
 * The NUMA family of the wider kernel surface (issue 15, docs/kernel-surface.md rows H02, H07/J04):
 * get_mempolicy with its whole `unsigned long` flags word, and the /proc numa_maps line of the VMA
 * holding a map offset, move_pages of the pages at a map offset (G16, H05). Declared here and spread into ./ops.ts's OPS.
 */
import { bool, count, handle, int, mapOffset, u64, type Fields } from './field.js';
import { MPOL_MF } from './uapi.js';
import type { Footprint, OpDecl } from './ops.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;
const map = handle('map');
const onMap = (map: number, offset: bigint, len: bigint): Footprint => ({ map, offset, len });

/** get_mempolicy's flag bits (include/uapi/linux/mempolicy.h): an unsigned long, so bigints. */
export const GET_MEMPOLICY_FLAG = { NODE: 1n << 0n, ADDR: 1n << 1n, MEMS_ALLOWED: 1n << 2n } as const;

/** The most pages one movePages op names (the per-page answers the spec enumerates stay few). */
export const MOVE_PAGES_MAX = 8;

export const NUMA_OPS = {
  getMempolicyFlags: decl({
    doc: 'get_mempolicy(&mode, &nodes, 64, addr of a map offset, flags) with the whole unsigned long flags word: ADDR → ok { mode, nodes }, ADDR|NODE → ok { node }, MEMS_ALLOWED → ok { mode: 0, nodes } (the allowed nodes); any other word → EINVAL',
    fields: { map, offset: mapOffset(), flags: u64({ bits: GET_MEMPOLICY_FLAG }) },
    footprint: (o) => onMap(o.map, o.offset, 1n),
  }),
  numaMaps: decl({
    doc: 'the /proc/thread-self/numa_maps line of the VMA holding a map offset: ok { start (map-relative), policy (the kernel\'s text), file (the escaped path), pages (mapped=, or anon=/dirty= when the kernel leaves mapped= out), anon, n0 (N0=) } or ok null outside the mapping (dirty=, active=, mapmax= are not reported)',
    fields: { map, offset: mapOffset() },
    footprint: (o) => onMap(o.map, o.offset, 1n),
  }),
  movePages: decl({
    doc: 'move_pages(0, pages, the addresses of `pages` pages from a map offset (one no VMA holds for a page outside the mapping), move ? every node = node : NULL, status, flags): ok { status: per page its node or the errno name, notMoved (the positive return, when there is one) }',
    fields: { map, offset: mapOffset(), pages: count(MOVE_PAGES_MAX), move: bool(), node: int(), flags: int({ bits: MPOL_MF }) },
    footprint: (o) => onMap(o.map, o.offset, BigInt(o.pages) * 4096n),
  }),
} as const;
