/** The fd and memslot calls of round 4 (issue 15; spec/vocab/ops-kvmfd.ts): each handler looks its handles up and turns the raw answer into an Outcome. */
import { DIRTY_LOG_CALL, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Ctx } from './context.js';
import { fromRc } from './outcomes.js';
import { harness } from './ops-fd.js';

/** ok { events } = the inotify events queued (kernel answer: the fallocate's errno when it failed and nothing was queued). */
export const fdWatch = (c: Ctx, op: OpOf<'fdWatch'>): Outcome => {
  const r = harness(c.b.fdWatch(c.t.fd(op.fd), op.mode, op.offset, op.len), 'fdWatch: no inotify instance');
  return r < 0 ? fromRc(r) : ok({ events: r });
};

/** ok: the kernel's 0 (the bitmap itself is not reported: no guest of the native target writes through a plain slot between two calls). */
export const dirtyLog = (c: Ctx, op: OpOf<'dirtyLog'>): Outcome =>
  fromRc(harness(c.b.dirtyLog(c.t.vmFd(op.vm), DIRTY_LOG_CALL[op.call], op.slot, op.firstPage, op.numPages), 'dirtyLog: no bitmap buffer'));

/** ok: the kernel's 0 (the file would be allowed to execute). */
export const fdExecCheck = (c: Ctx, op: OpOf<'fdExecCheck'>): Outcome => fromRc(c.b.fdExecCheck(c.t.fd(op.fd)));
