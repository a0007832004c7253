/**
 * Readiness of a gmem or memfd fd (LIFE-14): neither file has a ->poll method, so vfs_poll answers
 * DEFAULT_POLLMASK (readable and writable, never exceptional) at once, and epoll refuses to watch
 * a file that cannot poll (EPERM). A dead handle is fd −1: poll skips a negative fd (revents 0,
 * nothing ready), select is then issued on an empty set (0), epoll_ctl refuses it (EBADF).
 */
import { err, ok } from '../vocab/index.js';
import { only, rule } from '../rule.js';
import type { Ctx } from '../ctx.js';
import { fdDead } from '../lifetime/handles.js';
import { must, type Steps } from '../run.js';

type C = Ctx<'fdPoll'>;

const POLLIN = 0x1;
const POLLOUT = 0x4;
const SELECT_READ = 1;
const SELECT_WRITE = 2;

/** LIFE-14: poll reports POLLIN|POLLOUT of the events asked (POLLIN|POLLOUT|POLLPRI), select the read and write sets, epoll EPERM. */
export const life14 = rule<C>({
  id: 'LIFE-14',
  cite: 'LIFE-14; include/linux/poll.h vfs_poll (no ->poll: DEFAULT_POLLMASK); fs/select.c do_pollfd (fd < 0: revents 0), do_select; fs/eventpoll.c do_epoll_ctl (file_can_poll: EPERM), v7.2 (obs:FD-2x, FDC-11)',
  decide: ({ s, op }) => {
    const dead = fdDead(s, op.fd);
    switch (op.how) {
      case 'poll':
        return only(s, ok({ mask: dead ? 0 : POLLIN | POLLOUT }));
      case 'select':
        return only(s, ok({ mask: dead ? 0 : SELECT_READ | SELECT_WRITE }));
      case 'epollAdd':
        return only(s, err(dead ? 'EBADF' : 'EPERM'));
    }
  },
});

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  fdPoll: (p, s, o) => must({ p, s, op: o }, [life14]),
} satisfies Steps;
