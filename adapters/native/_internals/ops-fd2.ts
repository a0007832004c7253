/** The rest of the fd-level calls (issue 15): each handler looks its fd up and turns the raw answer into an Outcome. */
import { FD_ADVISE_CALL, FD_DUP_HOW, FD_IOCTL, FD_POLL_HOW, PATH_CALL, URING_RW_OP, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Ctx } from './context.js';
import { create } from './context.js';
import { fromRc } from './outcomes.js';
import { harness } from './ops-fd.js';

/** The new fd becomes the new handle (closed with the others at close()); it shares the file's bindings. */
export const fdDup = (c: Ctx, op: OpOf<'fdDup'>): Outcome => {
  const rc = create(c.t.fds, op.id, 'fd', () => harness(c.b.fdDup(c.t.fd(op.fd), FD_DUP_HOW[op.how]), 'fdDup: /dev/null or a pidfd of this process could not be opened'));
  if (rc >= 0) c.t.slots.fileDuplicated(op.fd, op.id);
  return fromRc(rc);
};

/** ok { value } = what the ioctl wrote (spec/vocab/ops-fd2.ts). */
export const fdIoctl = (c: Ctx, op: OpOf<'fdIoctl'>): Outcome => {
  const [rc, value] = c.b.fdIoctl(c.t.fd(op.fd), FD_IOCTL[op.req], op.arg);
  return fromRc(harness(rc, 'fdIoctl'), () => ({ value }));
};

/** ok. */
export const fdAdvise = (c: Ctx, op: OpOf<'fdAdvise'>): Outcome =>
  fromRc(harness(c.b.fdAdvise(c.t.fd(op.fd), FD_ADVISE_CALL[op.call], op.offset, op.len, op.word), 'fdAdvise'));

/** ok { mask } (poll's revents, select's sets as bits 1/2/4; epoll 0). */
export const fdPoll = (c: Ctx, op: OpOf<'fdPoll'>): Outcome => {
  const r = harness(c.b.fdPoll(c.t.fd(op.fd), FD_POLL_HOW[op.how]), 'fdPoll: no epoll instance, or an fd past FD_SETSIZE for select');
  return r < 0 ? fromRc(r) : ok({ mask: r });
};

/** ok { count } = the completion's result; GM_NO_RING (io_uring unavailable here) breaks the target with its reason. */
export const fdUring = (c: Ctx, op: OpOf<'fdUring'>): Outcome =>
  fromRc(harness(c.b.fdUring(c.t.fd(op.fd), URING_RW_OP[op.call], op.offset, BigInt(op.len), op.rwf, op.value), 'fdUring: no io_uring ring (io_uring_setup refused, or its memory could not be mapped)'), (count) => ({ count }));

/** ok; the path is /proc/self/fd/N of the handle's fd (−1 for a dead handle: no such entry). */
export const pathCall = (c: Ctx, op: OpOf<'pathCall'>): Outcome =>
  fromRc(harness(c.b.pathCall(c.t.fd(op.fd), PATH_CALL[op.call], op.arg), 'pathCall'));
