/**
 * mprotect of a range inside a mapping (issue 15; docs/kernel-surface.md row E07, rule MAP-19).
 * Declared here and spread into ./ops.ts's OPS. The plain `mprotect` op (the whole mapping) stays as
 * it was, so saved traces keep their meaning.
 *
 * A partial mprotect splits the VMA (mm/mprotect.c mprotect_fixup → vma_modify_flags), but the
 * handle keeps naming one contiguous run of pages at its base: the protection becomes a per-page
 * table of the mapping (runs of pages), which the access, GUP and observation rules read per page.
 * A range past the handle's last page meets a hole, as for every ranged op (spec/vocab/CONVENTIONS.md).
 */
import { handle, mapOffset, u64, type Fields } from './field.js';
import { PROT } from './uapi.js';
import type { Footprint, OpDecl } from './ops.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;
const map = handle('map');

export const MPROT_OPS = {
  mprotectRange: decl({
    doc: 'mprotect() of length bytes at a map offset (the prot word is an unsigned long: unknown bits, GROWSDOWN/GROWSUP included)',
    fields: { map, offset: mapOffset(), length: u64(), prot: u64({ bits: PROT, zero: 'NONE' }) },
    footprint: (o): Footprint => ({ map: o.map, offset: o.offset, len: o.length }),
  }),
} as const;
