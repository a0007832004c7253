/**
 * The remaining userfaultfd calls of the wider kernel surface (issue 15; docs/kernel-surface.md
 * section I): UFFDIO_MOVE with a gmem (or any file) mapping as source or destination. Declared
 * here and spread into ./ops.ts's OPS, so this family grows without touching the other families'
 * lines.
 */
import { handle, i64, mapOffset, u64, type Fields } from './field.js';
import type { OpDecl } from './ops.js';
import { UFFDIO_MOVE_MODE } from './uapi.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;

export const UFFD_EXTRA_OPS = {
  uffdMove: decl({
    doc: 'UFFDIO_MOVE of length bytes from src + srcOffset to map + offset (the destination), with mode (DONTWAKE|ALLOW_SRC_HOLES): ok { count } = the bytes moved',
    // The source map comes first: the minimiser shifts the offset of the last map field (`map`).
    fields: { uffd: handle('uffd'), src: handle('map'), srcOffset: i64(), map: handle('map'), offset: mapOffset(), length: u64(), mode: u64({ bits: UFFDIO_MOVE_MODE }) },
    footprint: (o) => ({ map: o.map, offset: o.offset, len: o.length }),
  }),
} as const;
