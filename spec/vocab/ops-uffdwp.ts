/**
 * userfaultfd write protection (issue 15; docs/kernel-surface.md row I02): UFFDIO_WRITEPROTECT of
 * a range of a mapping, setting (mode WP) or clearing (mode 0) the uffd-wp state of its pages.
 * Declared here and spread into ./ops.ts's OPS, so this family grows without touching the other
 * families' lines.
 */
import { handle, mapOffset, u64, type Fields } from './field.js';
import type { OpDecl } from './ops.js';
import { UFFDIO_WRITEPROTECT_MODE } from './uapi.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;

export const UFFDWP_OPS = {
  uffdWriteProtect: decl({
    doc: 'UFFDIO_WRITEPROTECT of length bytes at a map offset with mode (WP: protect, 0: unprotect and wake, DONTWAKE): ok',
    fields: { uffd: handle('uffd'), map: handle('map'), offset: mapOffset(), length: u64(), mode: u64({ bits: UFFDIO_WRITEPROTECT_MODE }) },
    footprint: (o) => ({ map: o.map, offset: o.offset, len: o.length }),
  }),
} as const;
