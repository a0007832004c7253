/**
 * userfaultfd poison markers (issue 15; docs/kernel-surface.md row I05): UFFDIO_POISON of a range
 * of a registered mapping, which puts a poison PTE marker on each empty PTE. Declared here and
 * spread into ./ops.ts's OPS, so this family grows without touching the other families' lines.
 */
import { handle, mapOffset, u64, type Fields } from './field.js';
import type { OpDecl } from './ops.js';
import { UFFDIO_POISON_MODE } from './uapi.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;

export const UFFDSCAN_OPS = {
  uffdPoison: decl({
    doc: 'UFFDIO_POISON of length bytes at a map offset with mode (DONTWAKE): ok { count } = the bytes poisoned',
    fields: { uffd: handle('uffd'), map: handle('map'), offset: mapOffset(), length: u64(), mode: u64({ bits: UFFDIO_POISON_MODE }) },
    footprint: (o) => ({ map: o.map, offset: o.offset, len: o.length }),
  }),
} as const;
