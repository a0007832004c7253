/**
 * Sync, attribute and identity calls on an fd (FIO-14, FIO-22, FIO-23, CRE-16, GEN-SHMEM-ATTR,
 * GEN-STATFS). gmem has no fsync method and a setattr that refuses everything; memfd is shmem
 * (noop_fsync, shmem_setattr).
 */
import { err, ok } from '../vocab/index.js';
import { andThen, only, rule } from '../rule.js';
import type { Ctx, FileCtx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import { withInode } from '../state/update.js';
import { onFile, type Steps } from '../run.js';

type C = Ctx<'fdMeta'>;
type F = FileCtx<'fdMeta'>;

/** memfd_create's inode: S_IFREG | 0777 (GEN-MEMFD). */
export const MEMFD_ST_MODE = 0o100777;
const S_IFREG = 0o100000;
const S_ISUID = 0o4000;
const S_ISGID = 0o2000;
const S_IXGRP = 0o010;
/** f_type of each backing filesystem (include/uapi/linux/magic.h; GUEST_MEMFD_MAGIC from virt/kvm/guest_memfd.c, v7.2). */
export const FS_MAGIC = { ANON: 0x09041934, GMEMFS: 0x474d454d, TMPFS: 0x01021994 } as const;

export const metaDead = ebadf<C>(({ s, op }) => fdDead(s, op.fd));

/** CRE-16: the gmem fd's filesystem: anon_inodefs on 6.18, the guest_memfd pseudo fs since (P-FSMAGIC). */
export const cre16 = rule<F>({
  id: 'CRE-16',
  cite: 'CRE-16; virt/kvm/guest_memfd.c __kvm_gmem_create (v6.18 anon_inode_create_getfile; v7.2 alloc_file_pseudo on the guest_memfd mount); fs/libfs.c simple_statfs (obs:FD-04)',
  decide: ({ p, s, op, ino }) =>
    op.call === 'fstatfs' && ino.kind === 'gmem'
      ? only(s, ok({ type: FS_MAGIC[p.variants.fsMagic], bsize: 4096, namelen: 255 }))
      : undefined,
});

/** GEN-STATFS: memfd lives on the internal tmpfs mount (shmem_statfs). */
export const memfdStatfs = rule<F>({
  id: 'GEN-STATFS',
  cite: 'mm/shmem.c shmem_statfs, v7.2 (obs:FDC-03)',
  decide: ({ s, op }) => (op.call === 'fstatfs' ? only(s, ok({ type: FS_MAGIC.TMPFS, bsize: 4096, namelen: 255 })) : undefined),
});

/** FIO-14 / FIO-22: no fsync method → fsync and fdatasync EINVAL; syncfs of the pseudo sb → 0. */
export const fio22 = rule<F>({
  id: 'FIO-22',
  cite: 'FIO-14, FIO-22; fs/sync.c vfs_fsync_range (no ->fsync: EINVAL), sync_filesystem, v7.2 (obs:HF-54..56)',
  decide: ({ s, op, ino }) => {
    if (ino.kind !== 'gmem') return undefined;
    if (op.call === 'fsync' || op.call === 'fdatasync') return only(s, err('EINVAL'));
    return op.call === 'syncfs' ? only(s, ok()) : undefined;
  },
});

/** FIO-23: every attribute change reaches kvm_gmem_setattr, which refuses it. */
export const fio23 = rule<F>({
  id: 'FIO-23',
  cite: 'FIO-23; virt/kvm/guest_memfd.c kvm_gmem_setattr; fs/attr.c notify_change, v6.18 = v7.2 (obs:FD-14..18)',
  decide: ({ s, ino }) => (ino.kind === 'gmem' ? only(s, err('EINVAL')) : undefined),
});

/**
 * GEN-SHMEM-ATTR: memfd sync calls succeed (noop_fsync); fchmod keeps the mode bits of the umode_t
 * (& 07777); fchown, even to (-1, -1), drops S_ISUID and drops S_ISGID when S_IXGRP is set; futimens
 * succeeds.
 */
export const shmemAttr = rule<F>({
  id: 'GEN-SHMEM-ATTR',
  cite: 'fs/open.c chmod_common, chown_common (ATTR_KILL_SUID, setattr_should_drop_sgid); fs/attr.c notify_change; fs/libfs.c noop_fsync, v7.2 (obs:FDC-03)',
  decide: ({ s, op, ino }) => {
    const mode = ino.mode ?? MEMFD_ST_MODE;
    if (op.call === 'fchmod') return andThen(ok(), () => withInode(s, { ...ino, mode: S_IFREG | (op.mode & 0o7777) }));
    if (op.call === 'fchown') {
      const kill = S_ISUID | ((mode & S_IXGRP) !== 0 ? S_ISGID : 0);
      return (mode & kill) === 0 ? only(s, ok()) : andThen(ok(), () => withInode(s, { ...ino, mode: mode & ~kill }));
    }
    return only(s, ok());
  },
});
export const metaChain = [cre16, memfdStatfs, fio22, fio23, shmemAttr] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  fdMeta: (p, s, o) => onFile({ p, s, op: o }, [metaDead], o.fd, () => metaChain),
} satisfies Steps;
