/**
 * The exec check of a gmem or memfd file (LIFE-15; docs/kernel-surface.md B39): execveat(fd, "",
 * AT_EMPTY_PATH | AT_EXECVE_CHECK) does what an exec does up to the point of loading the binary —
 * do_open_execat's open for execution (may_open: path_noexec, then the MAY_EXEC permission), then
 * the credential checks — and returns 0 instead of loading (fs/exec.c bprm_execve, is_check;
 * AT_EXECVE_CHECK exists since v6.14). The flag makes the question safe to ask in-process: a real
 * exec of a memfd whose bytes a sequence wrote could run them.
 *
 * gmem: its mount is noexec (6.18: anon_inodefs, SB_I_NOEXEC; v7.2: the guest_memfd pseudo fs,
 * kvm_gmem_init_fs_context sets SB_I_NOEXEC), so may_open refuses with EACCES whatever the
 * inode's mode. memfd: the internal shmem mount allows exec, so the inode's mode decides: a
 * process with CAP_DAC_OVERRIDE (root, as every native run here) passes MAY_EXEC when any x bit
 * is set; another owner needs the owner's x bit. Both answers are allowed where the x bits are
 * set but not the owner's (the spec does not know the caller's credentials).
 */
import { err, ok } from '../vocab/index.js';
import { cases, only, rule, type Decision } from '../rule.js';
import type { Ctx, FileCtx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import { onFile, type Steps } from '../run.js';
import { MEMFD_ST_MODE } from './meta.js';

type C = Ctx<'fdExecCheck'>;
type F = FileCtx<'fdExecCheck'>;

const S_IXUSR = 0o100;
const S_IXUGO = 0o111;

export const execDead = ebadf<C>(({ s, op }) => fdDead(s, op.fd));

/** LIFE-15 (exec half): gmem's noexec mount refuses; memfd's mode decides. */
export const life15Exec = rule<F>({
  id: 'LIFE-15',
  cite: 'LIFE-15; fs/exec.c do_open_execat, bprm_execve (AT_EXECVE_CHECK: is_check returns before exec_binprm); fs/namei.c may_open (path_noexec: EACCES), generic_permission (MAY_EXEC with CAP_DAC_OVERRIDE needs an x bit); fs/anon_inodes.c anon_inodefs_init_fs_context (SB_I_NOEXEC), v6.18; virt/kvm/guest_memfd.c kvm_gmem_init_fs_context (SB_I_NOEXEC), v7.2 (obs:KFD-06)',
  decide: ({ s, ino }): Decision => {
    if (ino.kind === 'gmem') return only(s, err('EACCES'));
    const mode = ino.mode ?? MEMFD_ST_MODE;
    if ((mode & S_IXUGO) === 0) return only(s, err('EACCES'));
    return (mode & S_IXUSR) !== 0 ? only(s, ok()) : cases([[ok(), () => s], [err('EACCES'), () => s]], 'LIFE-15: x bits without the owner\'s: root passes, another owner does not (the caller\'s credentials are not modelled)');
  },
});

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  fdExecCheck: (p, s, o) => onFile({ p, s, op: o }, [execDead], o.fd, () => [life15Exec]),
} satisfies Steps;
