/**
 * The fd and memslot calls of round 4 (issue 15; spec/vocab/ops-kvmfd.ts), modelled on the kernel
 * paths they take: inotify around a fallocate (the file is a pseudo file, created without
 * notifications).
 */
import { ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { fallocate } from './fallocate.js';

/** Both files are pseudo files (alloc_file_pseudo: FMODE_NONOTIFY), so fsnotify_modify queues nothing. */
export const fdWatch = (k: Kernel, op: OpOf<'fdWatch'>): Outcome => {
  const r = fallocate(k, { kind: 'fallocate', fd: op.fd, mode: op.mode, offset: op.offset, len: op.len });
  if (r.kind !== 'ok') return r;
  const f = k.fds.get(op.fd);
  // Bug: the gmem file is made with notifications on, so a successful fallocate raises IN_MODIFY.
  return ok({ events: k.bug('gmem-fallocate-notifies') && f?.inode.kind === 'gmem' ? 1 : 0 });
};
