/**
 * fcntl on a gmem or memfd fd (LIFE-11, LIFE-12, LIFE-13). do_fcntl keeps its unsigned long
 * argument in an int (`argi`): bits 32..63 never arrive, bit 31 makes it negative.
 *  - F_GETFD/F_SETFD: close-on-exec (argi & FD_CLOEXEC).
 *  - F_GETFL/F_SETFL: O_RDWR|O_LARGEFILE plus what SETFL_MASK keeps; neither file has
 *    FMODE_CAN_ODIRECT (O_DIRECT → EINVAL) nor fasync (O_ASYNC is silently not kept).
 *  - Seals: only shmem/hugetlb files have seals (gmem → EINVAL); our memfds are created without
 *    MFD_ALLOW_SEALING, so they carry F_SEAL_SEAL: adding any known seal → EPERM.
 *  - Locks: whole-file locks of two owners, the process (POSIX) and the open file (OFD); they
 *    conflict with each other when either is a write lock. A close of any fd of the file drops the
 *    process's POSIX locks (spec/fileops/fd.ts).
 *  - Leases: taken, read back and released within the op (spec/vocab/ops-fd.ts says why).
 */
import { O_FLAG, err, ok, type Outcome, type Profile } from '../vocab/index.js';
import { andThen, cases, only, rule, type Decision } from '../rule.js';
import type { Ctx, FileCtx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import { setIn, withInode } from '../state/update.js';
import type { Inode, SpecState } from '../state/types.js';
import { onFile, type Steps } from '../run.js';
import { BASE_FL, SETFL_KEPT, flOf } from './file-state.js';

type C = Ctx<'fcntl'>;
type F = FileCtx<'fcntl'>;

const F_RDLCK = 0;
const F_WRLCK = 1;
const F_UNLCK = 2;
const F_SEAL_SEAL = 1;
const F_ALL_SEALS = 0x3f;

/** do_fcntl: `int argi = (int)arg`. */
export const argiOf = (arg: bigint): number => Number(BigInt.asIntN(32, arg));
/** The harness puts arg's low 16 bits in struct flock's `short l_type`. */
export const lockTypeOf = (arg: bigint): number => Number(BigInt.asIntN(16, arg));

export const fcntlDead = ebadf<C>(({ s, op }) => fdDead(s, op.fd));

const value = (s: SpecState, v: number): Decision => only(s, ok({ value: v }));

/** LIFE-12: F_GETFD / F_SETFD (the flag is per fd, not per open file). */
export const life12 = rule<F>({
  id: 'LIFE-12',
  cite: 'LIFE-12; fs/fcntl.c do_fcntl F_GETFD/F_SETFD (argi & FD_CLOEXEC), v7.2 (obs:FDC-04)',
  decide: ({ s, op }) => {
    const e = s.fds.get(op.fd)!;
    if (op.cmd === 'F_SETFD') {
      const cloexec = (argiOf(op.arg) & 1) !== 0;
      return andThen(ok({ value: 0 }), () => ({ ...s, fds: setIn(s.fds, op.fd, { ...e, cloexec }) }));
    }
    if (op.cmd !== 'F_GETFD') return undefined;
    if (e.cloexec !== null) return value(s, e.cloexec ? 1 : 0);
    return cases([[ok({ value: 0 }), () => s], [ok({ value: 1 }), () => s]], 'memfd: the op vocabulary does not fix MFD_CLOEXEC (CRE-7)');
  },
});

/** LIFE-11: F_GETFL / F_SETFL and seals. */
export const life11 = rule<F>({
  id: 'LIFE-11',
  cite: 'LIFE-11; fs/fcntl.c setfl (FMODE_CAN_ODIRECT, SETFL_MASK, ->fasync), mm/memfd.c memfd_add_seals, memfd_get_seals, v7.2 (obs:FD-08, FD-09, FDC-04)',
  decide: ({ s, op, ino }) => {
    const argi = argiOf(op.arg);
    switch (op.cmd) {
      case 'F_GETFL':
        return value(s, BASE_FL | flOf(ino));
      case 'F_SETFL':
        if ((argi & O_FLAG.O_DIRECT) !== 0) return only(s, err('EINVAL'));
        return andThen(ok({ value: 0 }), () => withInode(s, { ...ino, fl: argi & SETFL_KEPT }));
      case 'F_ADD_SEALS':
        // memfd_add_seals: FMODE_WRITE (both have it), unknown seal bits, then the file's seals.
        if (ino.kind === 'gmem' || (argi & ~F_ALL_SEALS) !== 0) return only(s, err('EINVAL'));
        return only(s, err('EPERM'));
      case 'F_GET_SEALS':
        return ino.kind === 'gmem' ? only(s, err('EINVAL')) : value(s, F_SEAL_SEAL);
      default:
        return undefined;
    }
  },
});

const conflicts = (mine: number, other: 0 | 1 | undefined): boolean => other !== undefined && (mine === F_WRLCK || other === F_WRLCK);

/** LIFE-13 (locks): whole-file POSIX and OFD locks, as on any file (no ->lock method on either). */
export const life13Locks = rule<F>({
  id: 'LIFE-13',
  cite: 'LIFE-13; fs/locks.c fcntl_setlk, fcntl_getlk, posix_lock_inode (POSIX and OFD owners conflict), v7.2 (obs:FDC-05)',
  decide: ({ s, op, ino }) => {
    const ofd = op.cmd === 'F_OFD_SETLK' || op.cmd === 'F_OFD_GETLK';
    if (!ofd && op.cmd !== 'F_SETLK' && op.cmd !== 'F_GETLK') return undefined;
    const type = lockTypeOf(op.arg);
    const other = ofd ? ino.posixLock : ino.ofdLock;
    if (op.cmd === 'F_GETLK' || op.cmd === 'F_OFD_GETLK') {
      // fcntl_getlk refuses UNLCK for F_GETLK only; for F_OFD_GETLK an UNLCK query reports the
      // lock this open file itself holds (posix_test_locks_conflict: same owner), measured obs:FDC-05.
      if (ofd && type === F_UNLCK) return value(s, ino.ofdLock ?? F_UNLCK);
      if (type !== F_RDLCK && type !== F_WRLCK) return only(s, err('EINVAL'));
      return value(s, conflicts(type, other) ? other! : F_UNLCK);
    }
    if (type !== F_RDLCK && type !== F_WRLCK && type !== F_UNLCK) return only(s, err('EINVAL'));
    if (type !== F_UNLCK && conflicts(type, other)) return only(s, err('EAGAIN'));
    const held = type === F_UNLCK ? undefined : (type as 0 | 1);
    const next: Inode = ofd ? { ...ino, ofdLock: held } : { ...ino, posixLock: held };
    return andThen(ok({ value: 0 }), () => withInode(s, next));
  },
});

/**
 * May the kernel use the generic lease code on a file without ->setlease? 6.18: yes
 * (kernel_setlease falls back to generic_setlease). Since "[PATCH 23/24] filelock: default to
 * returning -EINVAL when ->setlease operation is NULL" (Jeff Layton, 8 Jan 2026; in v7.2
 * fs/locks.c kernel_setlease) a gmem file refuses every F_SETLEASE with EINVAL. The profiles carry
 * no release number: P-FSMAGIC=ANON is the 6.18 file; a GMEMFS kernel may be 6.19 (generic) or
 * 7.0 and later (EINVAL), so both are allowed there.
 */
const leaseModels = (p: Profile, ino: Inode): readonly ('generic' | 'einval')[] =>
  ino.kind === 'memfd' ? ['generic'] : p.variants.fsMagic === 'ANON' ? ['generic'] : ['generic', 'einval'];

/** generic_setlease with no lease held: RDLCK granted (nobody counts as a writer: i_writecount 0), WRLCK EAGAIN (the fd itself has FMODE_WRITE), UNLCK EAGAIN (nothing to remove). */
const genericLease = (type: number): Outcome =>
  type === F_RDLCK ? ok({ value: F_RDLCK }) : err('EAGAIN');

/** LIFE-13 (leases). */
export const life13Leases = rule<F>({
  id: 'LIFE-13',
  cite: 'LIFE-13; fs/locks.c fcntl_setlease, lease_alloc (type check first), vfs_setlease, kernel_setlease, generic_setlease, lease_open_conflict, fcntl_getlease, v7.2 (obs:FD-19..29b, FDC-05)',
  decide: ({ p, s, op, ino }) => {
    if (op.cmd === 'F_GETLEASE') return value(s, F_UNLCK);
    if (op.cmd !== 'F_SETLEASE') return undefined;
    const type = argiOf(op.arg);
    // F_UNLCK goes straight to vfs_setlease; any other type is checked by lease_alloc first.
    if (type !== F_UNLCK && type !== F_RDLCK && type !== F_WRLCK) return only(s, err('EINVAL'));
    const outs = leaseModels(p, ino).map((m) => (m === 'einval' ? err('EINVAL') : genericLease(type)));
    if (outs.length === 1) return only(s, outs[0]!);
    return cases(outs.map((o) => [o, () => s] as const), 'LIFE-13: a gmem file without ->setlease uses the generic lease code before 7.0 and refuses leases (EINVAL) since');
  },
});
/**
 * LIFE-11 (dnotify, pipe size): F_NOTIFY with no event bit (DN_MULTISHOT alone counts as none)
 * removes this process's dnotify watches of the file, of which there are none: 0; with any event
 * bit it needs a directory: ENOTDIR. Both are EINVAL where dnotify is switched off
 * (fs.dir-notify-enable = 0, or a kernel built without CONFIG_DNOTIFY). F_SETPIPE_SZ and
 * F_GETPIPE_SZ need a pipe: EBADF.
 */
export const life11Notify = rule<F>({
  id: 'LIFE-11',
  cite: 'LIFE-11; fs/fcntl.c do_fcntl (F_NOTIFY: fcntl_dirnotify(argi); F_SETPIPE_SZ/F_GETPIPE_SZ: pipe_fcntl); fs/notify/dnotify/dnotify.c fcntl_dirnotify (dir_notify_enable, DN_MULTISHOT, S_ISDIR); fs/pipe.c pipe_fcntl (get_pipe_info), v7.2 (obs:FDC-11)',
  decide: ({ s, op }) => {
    if (op.cmd === 'F_SETPIPE_SZ' || op.cmd === 'F_GETPIPE_SZ') return only(s, err('EBADF'));
    if (op.cmd !== 'F_NOTIFY') return undefined;
    const DN_MULTISHOT = 0x80000000;
    const enabled = (argiOf(op.arg) & ~DN_MULTISHOT) === 0 ? ok({ value: 0 }) : err('ENOTDIR');
    return cases([[enabled, () => s], [err('EINVAL'), () => s]], 'LIFE-11: dnotify may be switched off (fs.dir-notify-enable = 0 or no CONFIG_DNOTIFY): every F_NOTIFY is then EINVAL');
  },
});
export const fcntlChain = [life12, life11, life11Notify, life13Locks, life13Leases] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  fcntl: (p, s, o) => onFile({ p, s, op: o }, [fcntlDead], o.fd, () => fcntlChain),
} satisfies Steps;

