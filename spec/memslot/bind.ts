/** kvm_gmem_bind: the fd (SLOT-5), the file range (SLOT-6), overlap (SLOT-7), then the binding. */
import { VM_TYPE, err, ok } from '../vocab/index.js';
import { only, rule, andThen } from '../rule.js';
import type { Ctx } from '../ctx.js';
import { imAny, imSet } from '../state/imap.js';
import { withInode } from '../state/update.js';
import type { Inode } from '../state/types.js';
import { putSlot, slotAddr, slotId } from './slots.js';
import { fact } from '../rule.js';

type C = Ctx<'setMemoryRegion'>;

const boundInode = (c: C): Inode | undefined => {
  const g = c.op.gmem;
  if (g.kind !== 'fd') return undefined;
  const e = c.s.fds.get(g.fd);
  return e === undefined ? undefined : c.s.inodes.get(e.inode);
};

/** SLOT-5: not open → EBADF; open but not a gmem of this VM → EINVAL. */
export const slot5 = rule<C>({
  id: 'SLOT-5',
  cite: 'SLOT-5; S1 kvm_gmem_bind (fget, f_op check, gmem->kvm check) (obs:MS-20..27)',
  decide: (c) => {
    const g = c.op.gmem;
    if (g.kind === 'notOpen') return only(c.s, err('EBADF'));
    if (g.kind === 'kvmFd') return only(c.s, err('EINVAL'));
    if (g.kind === 'vmFd') return only(c.s, err(c.s.vms.get(g.vm)?.fdOpen === true ? 'EINVAL' : 'EBADF'));
    const ino = boundInode(c);
    if (ino === undefined) return only(c.s, err('EBADF'));
    return ino.kind !== 'gmem' || ino.vm !== c.op.vm ? only(c.s, err('EINVAL')) : undefined;
  },
});

const S63 = 1n << 63n;
const U64 = 1n << 64n;

/**
 * SLOT-6: the range must lie inside the file. SIGNED618: offset is loff_t, and a sum that wraps
 * negative slips past the size check (the 6.18 bug); UNSIGNED (7.2): plain u64 bounds.
 */
export const slot6 = rule<C>({
  id: 'SLOT-6',
  cite: 'SLOT-6, §4 P-OFFSET; S1 kvm_gmem_bind; S16 7.2 unsigned rework (obs:MS-10/11/13)',
  decide: (c) => {
    const ino = boundInode(c)!;
    const { gmemOffset: off, size } = c.op;
    if (c.p.variants.offset === 'UNSIGNED') return off + size > ino.sizeBytes ? only(c.s, err('EINVAL')) : undefined;
    if (off >= S63) return only(c.s, err('EINVAL'));
    const sum = (off + size) % U64;
    const signedSum = sum >= S63 ? sum - U64 : sum;
    return signedSum > ino.sizeBytes ? only(c.s, err('EINVAL')) : undefined;
  },
});

/** P-MMAP-NOSHARED-GUEST REJECT: a non-private VM refuses MMAP-without-INIT_SHARED files. */
export const noSharedGuest = rule<C>({
  id: 'SLOT-13',
  cite: 'SLOT-13, §4 P-MMAP-NOSHARED-GUEST (obs:MS-02 accepts)',
  decide: (c) => {
    const ino = boundInode(c)!;
    const type = c.s.vms.get(c.op.vm)?.type ?? VM_TYPE.DEFAULT;
    return c.p.variants.mmapNoSharedGuest === 'REJECT' && type === VM_TYPE.DEFAULT && ino.mmapable && !ino.initShared
      ? only(c.s, err('EINVAL'))
      : undefined;
  },
});

/** SLOT-7: a file page may back at most one slot: EINVAL up to 7.1, EEXIST from 7.2. */
export const slot7 = rule<C>({
  id: 'SLOT-7',
  cite: 'SLOT-7, §4 P-BIND-OVERLAP; S1 bindings xarray; S16 (obs:MS-04..06)',
  decide: (c) => {
    const ino = boundInode(c)!;
    const a = Number(c.op.gmemOffset >> 12n);
    return imAny(ino.bindings, a, a + Number(c.op.size >> 12n)) ? only(c.s, err(c.p.variants.bindOverlap)) : undefined;
  },
});

export const slot13Fact = fact('SLOT-13', 'SLOT-13 (an MMAP file makes the slot gmem-only)');

/** SLOT-1: a valid gmem region binds the file range to the new slot. */
export const slot1Bind = rule<C>({
  id: 'SLOT-1',
  cite: 'SLOT-1; S1 kvm_gmem_bind; S9 §4.140',
  decide: (c) => {
    const ino = boundInode(c)!;
    const { s, op } = c;
    const pg = Number(op.gmemOffset >> 12n);
    const npages = Number(op.size >> 12n);
    const id = slotId(op);
    const next = () => {
      const bound = withInode(s, { ...ino, bindings: imSet(ino.bindings, pg, pg + npages, { vm: op.vm, slot: id }) });
      return putSlot(bound, op.vm, id, { gfn: Number(op.gpa >> 12n), npages, flags: op.flags, uaddr: slotAddr(s, op.uaddr), gmem: { inode: ino.id, pgoff: pg, gmemOnly: ino.mmapable } });
    };
    return ino.mmapable ? andThen(ok(), next, [slot13Fact]) : andThen(ok(), next);
  },
});

/** SLOT-21: an O_PATH descriptor is no file to fget (it skips FMODE_PATH files): EBADF, whatever it names. */
export const slot21 = rule<C>({
  id: 'SLOT-21',
  cite: 'SLOT-21; virt/kvm/guest_memfd.c kvm_gmem_bind (fget), fs/file.c fget (FMODE_PATH files are not returned), v6.18 = v7.2',
  decide: (c) => (c.op.gmem.kind === 'pathFd' ? only(c.s, err('EBADF')) : undefined),
});

export const bindGmem = [slot21, slot5, slot6, noSharedGuest, slot7, slot1Bind] as const;
