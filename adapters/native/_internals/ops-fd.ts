/** The fd-level calls (issue 15): each handler looks its fd up and turns the raw answer into an Outcome. */
import { FCNTL_CMD, FD_META_CALL, FD_REACH, FILE_IOV_CALL, SPLICE_CALL, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Ctx } from './context.js';
import { create } from './context.js';
import { fromRc } from './outcomes.js';
import { TargetBrokenError } from '../../../spec/vocab/errors.js';

/**
 * The generated glue of spliceLike, passFd and fdReach returns gm_sys.h's harness codes as numbers
 * (GM_NO_PIPE -100000, GM_NO_RING -100001, GM_NO_SCRATCH -100002, GM_BAD_ARG -100003): far below any -errno, and never a
 * kernel answer, so they break the target with the call's own words instead of becoming an outcome.
 */
export const harness = (rc: number, what: string): number => {
  if (rc <= -100000) throw new TargetBrokenError(`${what} (harness code ${rc}: ${HARNESS[rc] ?? 'unknown'})`);
  return rc;
};
/** gm_sys.h's harness codes of these wrappers. */
export const GM_NO_PIPE = -100000;
export const GM_NO_RING = -100001;
export const GM_NO_SCRATCH = -100002;
export const GM_BAD_ARG = -100003;
const HARNESS: Readonly<Record<number, string>> = {
  [GM_NO_PIPE]: 'no pipe of 1 MiB: pipe2 or F_SETPIPE_SZ failed',
  [GM_NO_RING]: 'no io_uring ring could be set up or mapped',
  [GM_NO_SCRATCH]: 'no scratch memfd, socket or child',
  [GM_BAD_ARG]: 'an argument outside what the wrapper supports',
};

/** ok { offset } (the whence goes to the kernel as the raw unsigned int). */
export const lseek = (c: Ctx, op: OpOf<'lseek'>): Outcome => {
  const r = c.b.lseek(c.t.fd(op.fd), op.offset, op.whence);
  return typeof r === 'bigint' ? ok({ offset: r }) : fromRc(r);
};

/** ok { count }; the RWF word reaches the kernel only with the *v2 calls. */
export const fileIoV = (c: Ctx, op: OpOf<'fileIoV'>): Outcome => {
  const v2 = op.call === 'preadv2' || op.call === 'pwritev2';
  return fromRc(c.b.fileIov(c.t.fd(op.fd), FILE_IOV_CALL[op.call], op.offset, op.len, op.iovcnt, v2 ? op.rwf : 0, op.value), (count) => ({ count }));
};

/** ok, or ok { type, bsize, namelen } for fstatfs. */
export const fdMeta = (c: Ctx, op: OpOf<'fdMeta'>): Outcome => {
  const r = c.b.fdMeta(c.t.fd(op.fd), FD_META_CALL[op.call], op.mode);
  if (typeof r === 'number') return fromRc(r);
  const [rc, type, bsize, namelen] = r;
  return fromRc(rc, () => ({ type, bsize, namelen }));
};

/** ok { value } (spec/vocab/ops-fd.ts). */
export const fcntl = (c: Ctx, op: OpOf<'fcntl'>): Outcome => {
  const [rc, value] = c.b.fcntl(c.t.fd(op.fd), FCNTL_CMD[op.cmd], op.arg);
  return fromRc(rc, () => ({ value }));
};

/** ok { count }. */
export const spliceLike = (c: Ctx, op: OpOf<'spliceLike'>): Outcome =>
  fromRc(harness(c.b.spliceLike(c.t.fd(op.fd), SPLICE_CALL[op.call], op.offset, BigInt(op.len), op.flags, op.value), 'spliceLike'), (count) => ({ count }));

/** The received fd becomes the new handle (closed with the others at close()). */
export const passFd = (c: Ctx, op: OpOf<'passFd'>): Outcome =>
  fromRc(create(c.t.fds, op.id, 'fd', () => harness(c.b.passFd(c.t.fd(op.fd), op.cloexec ? 1 : 0), 'passFd: the socketpair round trip failed')));

/** ok, or ok { open } for execKeeps. */
export const fdReach = (c: Ctx, op: OpOf<'fdReach'>): Outcome => {
  const r = harness(c.b.fdReach(c.t.fd(op.fd), FD_REACH[op.how]), 'fdReach: /bin/sh could not be run to test exec inheritance');
  return op.how === 'execKeeps' ? fromRc(r, (open) => ({ open: open === 1 })) : fromRc(r);
};
