/**
 * Naming a VMA (issue 15, docs/kernel-surface.md E17): prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME,
 * addr, size, name) over a range of a mapping. Declared here and spread into ./ops.ts's OPS, so
 * this family grows without touching the other families' lines.
 *
 * The name is never a field of free text: it is one of four fixed strings the target owns (NULL,
 * a valid name, one with a character the kernel refuses, one longer than ANON_VMA_NAME_MAX_LEN),
 * so no input reaches the kernel as a pointer. The address is the map's base plus the offset,
 * placed like madvise's range (a range leaving the mapping goes where it meets no VMA,
 * spec/vocab/CONVENTIONS.md).
 */
import { creates, enumOf, handle, mapOffset, u64, variant, type Fields } from './field.js';
import type { Footprint, OpDecl } from './ops.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;
const map = handle('map');

/** The name argument: NULL, "gmemcheck", "gm[x" ('[' is refused), and 100 'a's (the limit is 80 bytes with the NUL). */
export const VMA_NAME = { null: 0, valid: 1, badChar: 2, tooLong: 3 } as const;
/** The strings behind VMA_NAME (the C wrapper and the reproducer hold the same ones). */
export const VMA_NAME_TEXT = { null: null, valid: 'gmemcheck', badChar: 'gm[x', tooLong: 'a'.repeat(100) } as const;
/** prctl option and sub-option (include/uapi/linux/prctl.h). */
export const PR_SET_VMA = 0x53564d41;
export const PR_SET_VMA_ANON_NAME = 0;

/** mremap flag bits (include/uapi/linux/mman.h, v7.2); every other bit is EINVAL. */
export const MREMAP = { MAYMOVE: 1n, FIXED: 2n, DONTUNMAP: 4n } as const;
/** old_size: the mapping's whole page-rounded length, or 0 (the shared-mapping duplicate). */
export const MREMAP_OLD = { whole: 0, zero: 1 } as const;

/**
 * The flags word a target sends for a target placement that does (`placed`) or does not name a
 * live map: MREMAP_FIXED is cleared unless placed (CONVENTIONS.md: a fixed move to address 0 would,
 * for root, unmap whatever lies above it).
 */
export const sentMremapFlags = (flags: bigint, placed: boolean): bigint => (placed ? flags : flags & ~MREMAP.FIXED);

export const MREMAP_OPS = {
  mremap: decl({
    doc: 'mremap() of a mapping: old_size its whole length or 0, a new length, the whole flags word (an unsigned long), new_addr 0 (any) or map T\'s base (over); ok { moved } names the resulting mapping `id`',
    fields: {
      map, id: creates('map'), oldSize: enumOf(MREMAP_OLD), newLength: u64(), flags: u64('hex'),
      to: variant({ any: {}, over: { map } }),
    },
    footprint: (o): Footprint => ({ map: o.map, offset: 0n, len: o.newLength }),
  }),
  setVmaName: decl({
    doc: 'prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME) over a range of a mapping with one of four fixed names (NULL, valid, a refused character, too long)',
    fields: { map, offset: mapOffset(), length: u64(), name: enumOf(VMA_NAME) },
    footprint: (o): Footprint => ({ map: o.map, offset: o.offset, len: o.length }),
  }),
} as const;
