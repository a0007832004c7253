/**
 * Calls on the gmem fd and its memslots that the earlier families left out (issue 15, round 4;
 * docs/kernel-surface.md rows B42, B24, B39, A12, A25): inotify around a fallocate. Declared here
 * and spread into ./ops.ts's OPS, so this family grows without touching the other families' lines.
 */
import { handle, i64, int, type Fields } from './field.js';
import type { Footprint, OpDecl } from './ops.js';
import { FALLOC } from './uapi.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;
const fd = handle('fd');

export const KVMFD_OPS = {
  fdWatch: decl({
    doc: 'inotify_add_watch("/proc/self/fd/N", IN_MODIFY|IN_ATTRIB) on a fresh non-blocking inotify, then fallocate(fd, mode, offset, len), then read the events queued: ok { events } when fallocate succeeded, its errno when it failed and no event came (an event with a failure is ok { events } too, which no rule allows)',
    fields: { fd, mode: int({ bits: FALLOC }), offset: i64(), len: i64() },
    footprint: (o): Footprint | undefined => (o.offset < 0n || o.len <= 0n ? undefined : { fd: o.fd, offset: o.offset, len: o.len }),
  }),
} as const;
