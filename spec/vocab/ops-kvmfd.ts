/**
 * Calls on the gmem fd and its memslots that the earlier families left out (issue 15, round 4;
 * docs/kernel-surface.md rows B42, A25, B39): inotify around a fallocate, the dirty-log ioctls
 * on a memslot, the exec check of the file. Declared here and spread into ./ops.ts's OPS, so this family grows without touching
 * the other families' lines.
 */
import { enumOf, handle, i64, int, u32, u64, type Fields } from './field.js';
import type { Footprint, OpDecl } from './ops.js';
import { FALLOC } from './uapi.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;
const fd = handle('fd');
const vm = handle('vm');

/** Which dirty-log ioctl: KVM_GET_DIRTY_LOG (a bitmap copied out) or KVM_CLEAR_DIRTY_LOG (an all-zero bitmap copied in: clears nothing). */
export const DIRTY_LOG_CALL = { get: 0, clear: 1 } as const;

export const KVMFD_OPS = {
  fdWatch: decl({
    doc: 'inotify_add_watch("/proc/self/fd/N", IN_MODIFY|IN_ATTRIB) on a fresh non-blocking inotify, then fallocate(fd, mode, offset, len), then read the events queued: ok { events } when fallocate succeeded, its errno when it failed and no event came (an event with a failure is ok { events } too, which no rule allows)',
    fields: { fd, mode: int({ bits: FALLOC }), offset: i64(), len: i64() },
    footprint: (o): Footprint | undefined => (o.offset < 0n || o.len <= 0n ? undefined : { fd: o.fd, offset: o.offset, len: o.len }),
  }),
  fdExecCheck: decl({
    doc: 'execveat(fd, "", {NULL}, {NULL}, AT_EMPTY_PATH | AT_EXECVE_CHECK): every check an exec of the file would make (the open for execution, the mount, the permission), without the format and without running anything: ok, or the errno',
    fields: { fd },
  }),
  dirtyLog: decl({
    doc: 'KVM_GET_DIRTY_LOG (slot; bitmap into a harness buffer sized for the largest slot) or KVM_CLEAR_DIRTY_LOG (slot, firstPage, numPages; an all-zero bitmap): ok, or the errno',
    fields: { vm, call: enumOf(DIRTY_LOG_CALL), slot: u32(), firstPage: u64(), numPages: u32() },
  }),
} as const;
