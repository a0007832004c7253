/**
 * The file reached as a path or through an O_PATH descriptor (FIO-23, LIFE-15, LIFE-16). The path
 * /proc/self/fd/N is a magic link to the open file's own path, so the path calls land on the same
 * inode: truncate, chmod, chown and utimensat all end in notify_change, which calls the gmem
 * setattr (EINVAL for everything) — the permission checks before it pass for the owner. linkat
 * with AT_EMPTY_PATH names the file itself: it lives on an internal mount, never the target
 * directory's (EXDEV). An O_PATH descriptor is no open file for the calls that need one (fdget
 * skips FMODE_PATH: EBADF); fstat and fstatfs take it. A memfd takes the same paths as its fd
 * calls do (ftruncate, fchmod, fchown, futimens: GEN-SHMEM-ATTR and the shmem truncation).
 */
import { err, ok, type OpOf, type Profile } from '../vocab/index.js';
import { first, only, rule } from '../rule.js';
import type { Ctx, FileCtx } from '../ctx.js';
import { fdDead } from '../lifetime/handles.js';
import type { Steps } from '../run.js';
import type { Verdict } from '../verdict.js';
import type { SpecState } from '../state/types.js';
import { steps as ftruncate } from '../fileops/ftruncate.js';
import { steps as meta } from './meta.js';

type C = Ctx<'pathCall'>;
type F = FileCtx<'pathCall'>;
type Op = OpOf<'pathCall'>;

const OPATH_FD_CALLS: readonly Op['call'][] = ['opathFtruncate', 'opathFallocate', 'opathMmap', 'opathIoctl', 'opathFchmod'];

/** LIFE-16: truncate refuses a negative length before the path is looked up; a dead handle has no /proc/self/fd entry (ENOENT), and linkat looks the fd itself up (EBADF). */
export const pathEarly = rule<C>({
  id: 'LIFE-16',
  cite: 'LIFE-16, FIO-23; fs/open.c do_sys_truncate (length < 0 before the lookup); fs/proc/fd.c proc_fd_link; fs/namei.c do_linkat (AT_EMPTY_PATH: the fd), v7.2 (obs:FDC-11)',
  decide: ({ s, op }) => {
    if (op.call === 'truncate' && op.arg < 0n) return only(s, err('EINVAL'));
    if (!fdDead(s, op.fd)) return undefined;
    return only(s, err(op.call === 'linkat' ? 'EBADF' : 'ENOENT'));
  },
});

/** LIFE-15 / LIFE-16: linkat across mounts, and the O_PATH descriptor's limits (both files). */
export const life15 = rule<F>({
  id: 'LIFE-15',
  cite: 'LIFE-15, LIFE-16; fs/namei.c do_linkat (old_path.mnt != new_path.mnt: EXDEV); fs/open.c do_sys_ftruncate (length < 0 first), vfs_fallocate via fdget (FMODE_PATH skipped: EBADF); fs/stat.c vfs_fstat, fs/statfs.c fd_statfs (fdget_raw), v7.2 (obs:FD-30, FDC-11)',
  decide: ({ s, op }) => {
    if (op.call === 'linkat') return only(s, err('EXDEV'));
    if (op.call === 'opathFstat' || op.call === 'opathFstatfs') return only(s, ok());
    // do_sys_ftruncate refuses a negative length before it looks at the descriptor (measured, obs:FDC-11).
    if (op.call === 'opathFtruncate' && op.arg < 0n) return only(s, err('EINVAL'));
    return OPATH_FD_CALLS.includes(op.call) ? only(s, err('EBADF')) : undefined;
  },
});

/** FIO-23: every attribute change through the path reaches kvm_gmem_setattr, which refuses it. */
export const fio23Path = rule<F>({
  id: 'FIO-23',
  cite: 'FIO-23; fs/open.c vfs_truncate, do_truncate, chmod_common, chown_common; fs/utimes.c vfs_utimes; fs/attr.c notify_change; virt/kvm/guest_memfd.c kvm_gmem_setattr, v6.18 = v7.2 (obs:FDC-11 for the path walk on memfd)',
  decide: ({ s, ino }) => (ino.kind === 'gmem' ? only(s, err('EINVAL')) : undefined),
});

/** memfd: the path calls do what the fd calls do (the checks in between pass for the owner of a file without seals). */
const asFdCall = (p: Profile, s: SpecState, op: Op): Verdict<SpecState> => {
  switch (op.call) {
    case 'truncate':
      return ftruncate.ftruncate(p, s, { kind: 'ftruncate', fd: op.fd, size: op.arg });
    case 'chmod':
      return meta.fdMeta(p, s, { kind: 'fdMeta', fd: op.fd, call: 'fchmod', mode: Number(BigInt.asUintN(32, op.arg)) });
    case 'chown':
      return meta.fdMeta(p, s, { kind: 'fdMeta', fd: op.fd, call: 'fchown', mode: 0 });
    default:
      return meta.fdMeta(p, s, { kind: 'fdMeta', fd: op.fd, call: 'futimens', mode: 0 });
  }
};

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  pathCall: (p, s, o) => {
    const c: C = { p, s, op: o };
    const early = first(c, [pathEarly]);
    if (early !== undefined) return early;
    const f: F = { ...c, ino: s.inodes.get(s.fds.get(o.fd)!.inode)! };
    return first(f, [life15, fio23Path]) ?? asFdCall(p, s, o);
  },
} satisfies Steps;
