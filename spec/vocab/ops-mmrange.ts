/**
 * Partial munmap (issue 15; docs/kernel-surface.md row E08, rule MAP-20). Declared here and
 * spread into ./ops.ts's OPS, so this family grows without touching the other families' lines.
 * The plain `munmap` op (the whole mapping) stays as it was, so saved traces keep their meaning.
 *
 * How a split mapping is named: a handle is always one contiguous run of pages at its own base
 * (every rule reads a mapping that way). munmapPart of [offset, offset+length) leaves the pages
 * before the range under the old handle (dead if there are none) and the pages after it under the
 * new handle `id` (dead if there are none), whose base is the old base + the range's page-rounded
 * end. So no mapping ever has a hole, and what lies past a handle's last page is, as for every
 * mapping, a range where the handle meets no VMA (spec/vocab/CONVENTIONS.md).
 */
import { creates, handle, mapOffset, u64, type Fields } from './field.js';
import type { Footprint, OpDecl } from './ops.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;
const map = handle('map');

export const MMRANGE_OPS = {
  munmapPart: decl({
    doc: 'munmap() of length bytes at a map offset: the pages before the range keep the map handle, the pages after it become map `id`',
    fields: { map, offset: mapOffset(), length: u64(), id: creates('map') },
    footprint: (o): Footprint => ({ map: o.map, offset: o.offset, len: o.length }),
  }),
} as const;
