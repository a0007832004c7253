/**
 * The fd reaching the file by other routes (LIFE-10, LIFE-16, LIFE-17): passed over SCM_RIGHTS,
 * re-opened through /proc/self/fd/N, inherited across fork + exec.
 */
import { err, ok } from '../vocab/index.js';
import { andThen, cases, only, rule } from '../rule.js';
import type { Ctx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import { addFdRef } from '../lifetime/release.js';
import { setIn } from '../state/update.js';
import { dropPosixLocks } from '../fileops/fd.js';
import { must, type Steps } from '../run.js';
import { MEMFD_ST_MODE } from './meta.js';

type P = Ctx<'passFd'>;
type R = Ctx<'fdReach'>;

export const passDead = ebadf<P>(({ s, op }) => fdDead(s, op.fd));

/** LIFE-10: the received fd names the same open file (as dup); close-on-exec only with MSG_CMSG_CLOEXEC. */
export const life10 = rule<P>({
  id: 'LIFE-10',
  cite: 'LIFE-10; net/core/scm.c scm_fp_copy, scm_detach_fds (receive_fd with O_CLOEXEC for MSG_CMSG_CLOEXEC), v7.2 (obs:FDC-07)',
  decide: ({ s, op }) => {
    const e = s.fds.get(op.fd)!;
    return andThen(ok(), () => addFdRef({ ...s, fds: setIn(s.fds, op.id, { inode: e.inode, cloexec: op.cloexec }) }, e.inode));
  },
});
export const passChain = [passDead, life10] as const;

const S_IRUSR = 0o400;
const S_IWUSR = 0o200;

/**
 * LIFE-16: a gmem inode keeps the VFS default i_fop, whose open refuses (ENXIO); O_PATH never calls
 * ->open. memfd re-opens like any shmem file; closing the new fd drops the process's POSIX locks
 * (filp_flush; not for an O_PATH file). A dead fd: /proc/self/fd/-1 does not exist (ENOENT).
 */
export const life16 = rule<R>({
  id: 'LIFE-16',
  cite: 'LIFE-16; fs/inode.c no_open; fs/open.c do_dentry_open, filp_flush; fs/proc/fd.c proc_fd_link, v7.2 (obs:FD-11/12, FDC-07)',
  decide: ({ s, op }) => {
    if (op.how === 'execKeeps') return undefined;
    const e = s.fds.get(op.fd);
    if (e === undefined) return only(s, err('ENOENT'));
    if (op.how === 'reopenPath') return only(s, ok());
    const ino = s.inodes.get(e.inode)!;
    if (ino.kind === 'gmem') return only(s, err('ENXIO'));
    const next = () => dropPosixLocks(s, e.inode);
    // may_open checks the mode; root passes whatever it is (CAP_DAC_OVERRIDE), others need the owner bits.
    const need = op.how === 'reopenRdwr' ? S_IRUSR | S_IWUSR : S_IRUSR;
    if (((ino.mode ?? MEMFD_ST_MODE) & need) === need) return andThen(ok(), next);
    return cases([[ok(), next], [err('EACCES'), () => s]], 'LIFE-16: an fchmod took the owner bits away; root opens anyway (CAP_DAC_OVERRIDE), others get EACCES');
  },
});

/** LIFE-17: across exec an fd stays open unless close-on-exec (memfd: not fixed by the vocabulary). */
export const life17 = rule<R>({
  id: 'LIFE-17',
  cite: 'LIFE-17, LIFE-4; fs/exec.c begin_new_exec (do_close_on_exec), v7.2 (obs:FD-10, FDC-07)',
  decide: ({ s, op }) => {
    const e = s.fds.get(op.fd);
    if (e === undefined) return only(s, ok({ open: false }));
    if (e.cloexec !== null) return only(s, ok({ open: !e.cloexec }));
    return cases([[ok({ open: false }), () => s], [ok({ open: true }), () => s]], 'memfd: the op vocabulary does not fix MFD_CLOEXEC (CRE-7)');
  },
});
export const reachChain = [life16, life17] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  passFd: (p, s, o) => must({ p, s, op: o }, passChain),
  fdReach: (p, s, o) => must({ p, s, op: o }, reachChain),
} satisfies Steps;
