/**
 * New descriptors of the same open file (LIFE-10, LIFE-12): dup3 onto a free number with or
 * without O_CLOEXEC, fcntl F_DUPFD / F_DUPFD_CLOEXEC, and pidfd_getfd through a pidfd of the
 * process itself. Each names the open file the old fd names (so the VM bindings, the file position
 * and the status flags are shared: they live with the inode here, spec/state/types.ts); only the
 * close-on-exec flag belongs to the new descriptor.
 */
import { ok } from '../vocab/index.js';
import { andThen, rule } from '../rule.js';
import type { Ctx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import { addFdRef } from '../lifetime/release.js';
import { setIn } from '../state/update.js';
import { must, type Steps } from '../run.js';

type C = Ctx<'fdDup'>;

export const dupDead = ebadf<C>(({ s, op }) => fdDead(s, op.fd));

const install = (c: C, cloexec: boolean) => {
  const e = c.s.fds.get(c.op.fd)!;
  return andThen(ok(), () => addFdRef({ ...c.s, fds: setIn(c.s.fds, c.op.id, { inode: e.inode, cloexec }) }, e.inode));
};

/** LIFE-12: dup3 and F_DUPFD give the new descriptor close-on-exec exactly when asked (O_CLOEXEC, F_DUPFD_CLOEXEC). */
export const life12Dup = rule<C>({
  id: 'LIFE-12',
  cite: 'LIFE-12; fs/file.c ksys_dup3 (O_CLOEXEC), do_dup2, f_dupfd; fs/fcntl.c do_fcntl F_DUPFD/F_DUPFD_CLOEXEC, v7.2 (obs:FDC-09)',
  decide: (c) => (c.op.how === 'pidfdGetfd' ? undefined : install(c, c.op.how === 'dup3Cloexec' || c.op.how === 'dupfdCloexec')),
});

/** LIFE-10: pidfd_getfd of one's own fd installs the same file, always close-on-exec. */
export const life10Getfd = rule<C>({
  id: 'LIFE-10',
  cite: 'LIFE-10; kernel/pid.c pidfd_getfd, pidfd_getfd (__pidfd_fget under ptrace_may_access: the caller\'s own thread group passes; receive_fd(file, NULL, O_CLOEXEC)), v7.2 (obs:FDC-09)',
  decide: (c) => install(c, true),
});
export const fdDupChain = [dupDead, life12Dup, life10Getfd] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  fdDup: (p, s, o) => must({ p, s, op: o }, fdDupChain),
} satisfies Steps;
