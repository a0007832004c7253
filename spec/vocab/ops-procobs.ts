/**
 * The procfs query ioctls of the observation family (issue 15; docs/kernel-surface.md J06, J08):
 * PROCMAP_QUERY on /proc/self/maps (the VMA holding or following an address, its name and build
 * id) and PAGEMAP_SCAN on /proc/self/pagemap (the page categories of a range, as merged regions).
 * Both take a structure whose `size` and flag words the kernel validates first, so every size,
 * flag and category word is a field of its own and reaches the kernel as given (bigints end to
 * end: bits 32 and 63 are kept). Declared here and spread into ./ops.ts's OPS, so this family
 * grows without touching the other families' lines.
 *
 * Bounds that keep the spec's answer enumerable and every entry point safe: a scan covers at most
 * 4 pages plus an unaligned tail (the kernel rounds the end up), and the target's region buffer
 * holds 8 regions, more than 5 pages can make; a name buffer is at most PATH_MAX (the kernel never
 * copies more, however large `nameSize` says it is).
 */
import { bool, count, enumOf, handle, mapOffset, u32, u64, type Fields } from './field.js';
import type { Footprint, OpDecl } from './ops.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;
const map = handle('map');
const onMap = (map: number, offset: bigint, len: bigint): Footprint => ({ map, offset, len });

/** include/uapi/linux/fs.h enum procmap_query_flags (Linux 6.11+): a __u64 word, bigints. */
export const PROCMAP_QUERY_FLAG = {
  VMA_READABLE: 0x01n, VMA_WRITABLE: 0x02n, VMA_EXECUTABLE: 0x04n, VMA_SHARED: 0x08n,
  COVERING_OR_NEXT_VMA: 0x10n, FILE_BACKED_VMA: 0x20n,
} as const;
/** sizeof(struct procmap_query) at 6.11..7.2; the kernel accepts from offsetofend(query_addr) = 24 up to PAGE_SIZE. */
export const PROCMAP_QUERY_SIZE = 104n;

/**
 * How the build-id pair (build_id_size, build_id_addr) is filled: not at all; a 20-byte buffer
 * (BUILD_ID_SIZE_MAX) with its size; the size without an address; an address with size 0.
 */
export const PROCMAP_BUILD_ID = { none: 0, buffer: 1, sizeOnly: 2, addrOnly: 3 } as const;

/** include/uapi/linux/fs.h PM_SCAN_* flags and PAGE_IS_* categories (Linux 6.7+; GUARD 6.14+). */
export const PM_SCAN_FLAG = { WP_MATCHING: 1n << 0n, CHECK_WPASYNC: 1n << 1n } as const;
export const PAGE_IS = {
  WPALLOWED: 1n << 0n, WRITTEN: 1n << 1n, FILE: 1n << 2n, PRESENT: 1n << 3n, SWAPPED: 1n << 4n,
  PFNZERO: 1n << 5n, HUGE: 1n << 6n, SOFT_DIRTY: 1n << 7n, GUARD: 1n << 8n,
} as const;
/** sizeof(struct pm_scan_arg): the only `size` the kernel takes. */
export const PM_SCAN_ARG_SIZE = 96n;
/** The most pages a scan covers (plus the tail the kernel rounds up), and the regions the target's buffer holds. */
export const PM_SCAN_MAX_PAGES = 4;
export const PM_SCAN_VEC_CAP = 8;

/** What is done with /proc/self/map_files/<start>-<end> of the VMA holding the address: readlink, or open (closed again at once). */
export const MAP_FILES_HOW = { readlink: 0, openRdonly: 1, openRdwr: 2, openPath: 3 } as const;

export const PROCOBS_OPS = {
  procmapQuery: decl({
    doc: 'ioctl(PROCMAP_QUERY) on /proc/self/maps for the address at a map offset, with the given struct size, query flags, a name buffer of nameSize bytes (0: none) and a build-id request; tail puts a non-zero byte right after the 104-byte struct: ok "elsewhere" (the VMA found does not overlap this mapping) or ok { start, end (map-relative), flags (vma_flags), pageSize, offset, name, buildIdSize } with null for a field the struct size cut off, buildIdSize "skipped" where the target did not ask (page 0 of the file not in the page cache)',
    fields: {
      map, offset: mapOffset(), size: u64(),
      queryFlags: u64({ bits: PROCMAP_QUERY_FLAG }),
      nameSize: u32(), buildId: enumOf(PROCMAP_BUILD_ID), tail: bool(),
    },
    footprint: (o) => onMap(o.map, o.offset, 1n),
  }),
  pagemapScan: decl({
    doc: `ioctl(PAGEMAP_SCAN) on /proc/self/pagemap over [offset, offset + pages·4096 + endExtra) of a map (at most ${PM_SCAN_MAX_PAGES} pages and a tail), with the struct size, flags, the four category words, vec NULL or a ${PM_SCAN_VEC_CAP}-region buffer, vec_len and max_pages as given: ok { regions: [[start, end (map-relative), categories]…], walkEnd (map-relative) }`,
    fields: {
      map, offset: mapOffset(), pages: count(PM_SCAN_MAX_PAGES), endExtra: count(4095), size: u64(),
      flags: u64({ bits: PM_SCAN_FLAG, zero: '0' }),
      categoryInverted: u64({ bits: PAGE_IS, zero: '0' }), categoryMask: u64({ bits: PAGE_IS, zero: '0' }),
      categoryAnyof: u64({ bits: PAGE_IS, zero: '0' }), returnMask: u64({ bits: PAGE_IS, zero: '0' }),
      vecNull: bool(), vecLen: u64(), maxPages: u64(),
    },
    footprint: (o) => onMap(o.map, o.offset, BigInt(o.pages) * 4096n + BigInt(o.endExtra)),
  }),
  mapFiles: decl({
    doc: 'the /proc/self/map_files/<start>-<end> entry of the VMA holding a map offset (its exact range from PROCMAP_QUERY; an address no VMA holds names a one-page range): readlink → ok { link }, or open O_RDONLY / O_RDWR / O_PATH (closed again at once) → ok',
    fields: { map, offset: mapOffset(), how: enumOf(MAP_FILES_HOW) },
    footprint: (o) => onMap(o.map, o.offset, 1n),
  }),
} as const;
