/**
 * The generic ioctls on a gmem or memfd fd, and close_range's close-on-exec (FIO-28, LIFE-12,
 * GEN-SHMEM-IOCTL). fs/ioctl.c do_vfs_ioctl answers a fixed set of numbers for every file; for
 * the others, and for several of its own cases, it asks whether the inode is a regular file that
 * is not an anonymous inode (IS_ANON_FILE). A gmem inode is S_IFREG and anonymous (made by
 * alloc_anon_inode on both 6.18 and 7.2, S_ANON_INODE), so those cases fall through to
 * vfs_ioctl, which finds no unlocked_ioctl: ENOTTY. A memfd is a shmem file: not anonymous,
 * with fileattr methods and a superblock UUID. Where the two files answer alike one rule says
 * so (FIO-28); where memfd differs GEN-SHMEM-IOCTL says how.
 */
import { O_FLAG, err, ok, type OpOf } from '../vocab/index.js';
import { andThen, cases, only, rule, type Decision } from '../rule.js';
import type { Ctx, FileCtx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import { setIn, withInode } from '../state/update.js';
import type { SpecState } from '../state/types.js';
import { imRuns } from '../state/imap.js';
import { onFile, type Steps } from '../run.js';
import { flOf } from './file-state.js';

type C = Ctx<'fdIoctl'>;
type F = FileCtx<'fdIoctl'>;
type Req = OpOf<'fdIoctl'>['req'];

/** The int the ioctl reads (FIONBIO, FIOASYNC): the harness stores arg as an int. */
const intOf = (arg: number): number => arg | 0;
const value = (s: SpecState, v: number): Decision => only(s, ok({ value: v }));
const setCloexec = (c: C, on: boolean): Decision =>
  andThen(ok({ value: 0 }), () => ({ ...c.s, fds: setIn(c.s.fds, c.op.fd, { ...c.s.fds.get(c.op.fd)!, cloexec: on }) }));

/** LIFE-12: close_range(fd, fd, CLOSE_RANGE_CLOEXEC) sets the flag; a dead handle is fd −1 (~0U), a range that holds no descriptor: 0. */
export const life12CloseRange = rule<C>({
  id: 'LIFE-12',
  cite: 'LIFE-12; fs/file.c SYSCALL close_range, __range_cloexec (max_fd clamps the range to the open descriptors), v7.2 (obs:FDC-09)',
  decide: (c) => {
    if (c.op.req !== 'closeRangeCloexec') return undefined;
    return fdDead(c.s, c.op.fd) ? value(c.s, 0) : setCloexec(c, true);
  },
});
export const ioctlDead = ebadf<C>(({ s, op }) => fdDead(s, op.fd));

/** LIFE-12: FIOCLEX / FIONCLEX set and clear the descriptor's close-on-exec, whatever the file. */
export const life12Fioclex = rule<C>({
  id: 'LIFE-12',
  cite: 'LIFE-12, FIO-28; fs/ioctl.c do_vfs_ioctl FIOCLEX/FIONCLEX (set_close_on_exec), v7.2 (obs:FDC-09)',
  decide: (c) => (c.op.req === 'FIOCLEX' ? setCloexec(c, true) : c.op.req === 'FIONCLEX' ? setCloexec(c, false) : undefined),
});

/** Numbers no generic switch knows and no unlocked_ioctl of either file handles. */
const RAW: readonly Req[] = ['KVM_CREATE_GUEST_MEMFD', 'rawUnknown', 'rawBit31', 'rawAllOnes', 'rawZero'];

/**
 * FIO-28: what both files answer alike. FIONBIO sets or clears O_NONBLOCK (F_GETFL shows it);
 * FIOASYNC with 0 changes nothing (0) and with anything else needs ->fasync, which neither file
 * has (ENOTTY; F_SETFL never keeps O_ASYNC, LIFE-11, so the state never changes); FIGETBSZ writes
 * s_blocksize, PAGE_SIZE on the pseudo filesystems and tmpfs alike; FS_IOC_FIEMAP needs
 * i_op->fiemap (EOPNOTSUPP on both); FS_IOC_GETFSSYSFSPATH needs a sysfs name neither
 * superblock has (ENOTTY); the raw numbers reach vfs_ioctl: ENOTTY. The conversion series add an
 * unlocked_ioctl to gmem whose default branch is ENOTTY too.
 */
export const fio28Common = rule<F>({
  id: 'FIO-28',
  cite: 'FIO-28; fs/ioctl.c do_vfs_ioctl, ioctl_fionbio, ioctl_fioasync, ioctl_fiemap, ioctl_get_fs_sysfs_path, vfs_ioctl; fs/libfs.c pseudo_fs_fill_super (s_blocksize PAGE_SIZE); mm/shmem.c shmem_fill_super, v7.2; "[PATCH RFC v5 11/53] KVM: guest_memfd: Ensure pages are not in use before conversion" series kvm_gmem_ioctl (default -ENOTTY) (obs:FDC-09)',
  decide: ({ s, op, ino }) => {
    const on = intOf(op.arg) !== 0;
    switch (op.req) {
      case 'FIONBIO': {
        const fl = on ? flOf(ino) | O_FLAG.O_NONBLOCK : flOf(ino) & ~O_FLAG.O_NONBLOCK;
        return andThen(ok({ value: 0 }), () => withInode(s, { ...ino, fl }));
      }
      case 'FIOASYNC':
        return on ? only(s, err('ENOTTY')) : value(s, 0);
      case 'FIGETBSZ':
        return value(s, 4096);
      case 'FS_IOC_FIEMAP':
        return only(s, err('EOPNOTSUPP'));
      case 'FS_IOC_GETFSSYSFSPATH':
        return only(s, err('ENOTTY'));
      default:
        return RAW.includes(op.req) ? only(s, err('ENOTTY')) : undefined;
    }
  },
});

/**
 * FIO-28 (gmem): an anonymous regular inode. FIOQSIZE refuses it (ENOTTY); FIONREAD and FIBMAP go
 * to vfs_ioctl (ENOTTY); the fileattr ioctls find no i_op->fileattr_get/set (-ENOIOCTLCMD, then
 * vfs_ioctl: ENOTTY); FS_IOC_GETFSUUID finds no UUID on the pseudo superblock (ENOTTY).
 */
export const fio28Gmem = rule<F>({
  id: 'FIO-28',
  cite: 'FIO-28; fs/ioctl.c do_vfs_ioctl (IS_ANON_FILE for FIOQSIZE, FIONREAD and the default branch), ioctl_getfsuuid; fs/file_attr.c vfs_fileattr_get, vfs_fileattr_set; fs/libfs.c alloc_anon_inode (S_ANON_INODE); virt/kvm/guest_memfd.c __kvm_gmem_create, v7.2 (obs:FD-26..29)',
  decide: ({ s, ino }) => (ino.kind === 'gmem' ? only(s, err('ENOTTY')) : undefined),
});

const INT32 = (b: bigint): number => Number(BigInt.asIntN(32, b));

/**
 * GEN-SHMEM-IOCTL (memfd): FIOQSIZE writes i_blocks in bytes (the pages allocated); FIONREAD the
 * size minus the file position as an int (negative past EOF); FIBMAP has no ->bmap (EINVAL; EPERM
 * first without CAP_SYS_RAWIO); GETFLAGS/FSGETXATTR read the shmem flags (0: nothing sets them,
 * SETFLAGS/FSSETXATTR write zero); FS_IOC_GETFSUUID writes the 16-byte UUID tmpfs generates.
 */
export const shmemIoctl = rule<F>({
  id: 'GEN-SHMEM-IOCTL',
  cite: 'fs/ioctl.c do_vfs_ioctl FIOQSIZE (inode_get_bytes), FIONREAD, file_ioctl, ioctl_fibmap (CAP_SYS_RAWIO, bmap without ->bmap: -EINVAL), ioctl_getfsuuid; fs/file_attr.c ioctl_getflags, ioctl_setflags, ioctl_fsgetxattr, ioctl_fssetxattr; mm/shmem.c shmem_fileattr_get, shmem_fileattr_set, shmem_fill_super (super_set_uuid), shmem_recalc_inode, v7.2 (obs:FDC-09)',
  decide: ({ s, op, ino }) => {
    switch (op.req) {
      case 'FIOQSIZE':
        return value(s, imRuns(ino.folios).reduce((n, r) => n + (r.e - r.s), 0) * 4096);
      case 'FIONREAD':
        return value(s, INT32(ino.sizeBytes - ino.pos));
      case 'FIBMAP':
        return cases([[err('EINVAL'), () => s], [err('EPERM'), () => s]], 'GEN-SHMEM-IOCTL: FIBMAP asks for CAP_SYS_RAWIO before it finds no ->bmap');
      case 'FS_IOC_GETFSUUID':
        return value(s, 16);
      default:
        return value(s, 0);
    }
  },
});
export const ioctlChain = [life12Fioclex, fio28Common, fio28Gmem, shmemIoctl] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  fdIoctl: (p, s, o) => onFile({ p, s, op: o }, [life12CloseRange, ioctlDead], o.fd, () => ioctlChain),
} satisfies Steps;
