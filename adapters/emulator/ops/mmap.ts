/** mmap / munmap / mprotect: generic do_mmap checks, then kvm_gmem_mmap (MAP-1..4) or shmem_mmap. */
import { err, ok, PROT } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { aligned, asU64, LOFF_MAX, P, TASK_SIZE } from '../i64.js';
import { getRef, putRef } from '../lifetime.js';
import { RangeMap } from '../rangemap.js';
import type { Mapping } from '../state.js';
import { policyEq } from '../state.js';
import type { Policy } from '../state.js';

/**
 * Order: unaligned offset (sys_mmap) → EINVAL; len 0 → EINVAL; len > TASK_SIZE → ENOMEM
 * (get_unmapped_area); offset + len past MAX_LFS_FILESIZE → EOVERFLOW (file_mmap_ok); PROT_EXEC on
 * the noexec anon_inode mount → EPERM (MAP-3); then the file's mmap: no MMAP flag → ENODEV (MAP-1),
 * MAP_PRIVATE → EINVAL (MAP-2). Length and offset are not checked against i_size (MAP-4).
 */
export const mmap = (k: Kernel, op: OpOf<'mmap'>): Outcome => {
  // x86 sys_mmap checks the offset's alignment before it looks the fd up.
  const off = asU64(op.offset);
  if (!aligned(off)) return err('EINVAL');
  const f = k.fds.get(op.fd);
  if (!f) return err('EBADF');
  const len = asU64(op.length);
  if (len === 0n) return err('EINVAL');
  const alen = (len + P - 1n) & ~(P - 1n);
  if (alen > TASK_SIZE) return err('ENOMEM');
  if (alen > LOFF_MAX || off / P > (LOFF_MAX - alen) / P) return err('EOVERFLOW');
  const inode = f.inode;
  if (inode.kind === 'gmem') {
    if (op.prot & PROT.EXEC) return err('EPERM');
    if ((inode.flags & 1n) === 0n) return err('ENODEV');
    if (!op.shared && !k.bug('mmap-private-accepted')) return err('EINVAL');
  }
  const m: Mapping = {
    id: op.id, inode, pgoff: Number(off / P), npages: Number(alen / P), length: len, prot: op.prot, shared: op.shared,
    alive: true, ptes: new Map(), anon: new Map(), vmaPolicy: new RangeMap<Policy>(policyEq), uffd: new RangeMap(), hugepage: new RangeMap(),
  };
  k.claim(k.maps, op.id, m, 'map');
  inode.maps.add(m);
  getRef(inode);
  return ok();
};

/** munmap of a dead or unknown handle unmaps nothing and succeeds. The VMA policy dies with it (POL-1′). */
export const munmap = (k: Kernel, op: OpOf<'munmap'>): Outcome => {
  const m = k.liveMap(op.map);
  if (!m) return ok();
  unmap(k, m);
  return ok();
};

export const unmap = (k: Kernel, m: Mapping): void => {
  m.alive = false;
  m.ptes.clear();
  m.anon.clear();
  m.inode.maps.delete(m);
  // Bug: an INODE-scope shared policy dropped with the VMA (POL-1).
  if (k.bug('pol-shared-lost-munmap') && m.inode.kind === 'gmem') {
    m.inode.sharedPolicy.delete(m.pgoff, m.pgoff + m.npages);
  }
  putRef(k, m.inode);
};

/** PROT_SEM: accepted and ignored by x86's arch_validate_prot (include/linux/mman.h's generic one, v6.18). */
const PROT_SEM = 0x8;

/**
 * mprotect: unmapped → ENOMEM; a bit arch_validate_prot does not know → EINVAL (PROT_SEM is known:
 * found by the declaration-derived generator, which gives every flag word its other bits);
 * PROT_EXEC without VM_MAYEXEC (noexec gmem) → EACCES (MAP-3).
 */
export const mprotect = (k: Kernel, op: OpOf<'mprotect'>): Outcome => {
  const m = k.liveMap(op.map);
  if (!m) return err('ENOMEM');
  if (op.prot & ~(PROT.READ | PROT.WRITE | PROT.EXEC | PROT_SEM)) return err('EINVAL');
  if (op.prot & PROT.EXEC && m.inode.kind === 'gmem') return err('EACCES');
  m.prot = op.prot;
  return ok();
};
