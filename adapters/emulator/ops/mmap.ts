/** mmap / munmap / mprotect: generic do_mmap checks, then kvm_gmem_mmap (MAP-1..4) or shmem_mmap. */
import { err, ok, PROT } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { setProt } from '../prot.js';
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
    if ((op.prot & BigInt(PROT.EXEC)) !== 0n) return err('EPERM');
    if ((inode.flags & 1n) === 0n) return err('ENODEV');
    if (!op.shared && !k.bug('mmap-private-accepted')) return err('EINVAL');
  }
  const m: Mapping = {
    id: op.id, inode, pgoff: Number(off / P), npages: Number(alen / P), length: len, prot: vmProt(op.prot), shared: op.shared,
    alive: true, ptes: new Map(), anon: new Map(), vmaPolicy: new RangeMap<Policy>(policyEq), uffd: new RangeMap(), hugepage: new RangeMap(), locked: new RangeMap(), advised: new RangeMap(), guard: new RangeMap(), wp: new RangeMap(), protAt: new RangeMap(),
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

const RWX = BigInt(PROT.READ | PROT.WRITE | PROT.EXEC);
const PROT_SEM = 0x8n;
const PROT_GROWSDOWN = 0x01000000n;
const PROT_GROWSUP = 0x02000000n;

/** calc_vm_prot_bits: the VMA takes READ, WRITE and EXEC of the unsigned long prot; other bits are ignored. */
const vmProt = (prot: bigint): number => Number(prot & RWX);

/**
 * mprotect (do_mprotect_pkey): GROWSDOWN with GROWSUP → EINVAL; arch_validate_prot (generic on
 * x86) accepts READ|WRITE|EXEC|SEM only, so any other bit of the unsigned long (bit 31, 32..63) is
 * EINVAL; then the VMA (unmapped → ENOMEM); GROWSDOWN/GROWSUP need a VMA that grows, which these
 * never are (EINVAL); PROT_EXEC without VM_MAYEXEC (noexec gmem) → EACCES (MAP-3).
 */
export const mprotect = (k: Kernel, op: OpOf<'mprotect'>): Outcome => {
  const grows = op.prot & (PROT_GROWSDOWN | PROT_GROWSUP);
  const prot = op.prot & ~(PROT_GROWSDOWN | PROT_GROWSUP);
  const m = k.liveMap(op.map);
  // A dead map is not issued (spec/vocab/CONVENTIONS.md): ENOMEM before any argument check.
  if (!m) return err('ENOMEM');
  if (grows === (PROT_GROWSDOWN | PROT_GROWSUP) || (prot & ~(RWX | PROT_SEM)) !== 0n) return err('EINVAL');
  if (grows !== 0n) return err('EINVAL');
  if ((prot & BigInt(PROT.EXEC)) !== 0n && m.inode.kind === 'gmem') return err('EACCES');
  // The whole mapping: a partial mprotect's runs go with it.
  setProt(m, 0, m.npages, vmProt(prot));
  return ok();
};
