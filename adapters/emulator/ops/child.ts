/**
 * The forked child: one action of a child process on what it inherited from this one.
 *
 * The modelled fork copies every VMA except the VM_DONTCOPY pages (MADV_DONTFORK), gives a shared
 * file VMA no page tables (its first access faults through the file) and a private one copies of
 * its PTEs and COW pages, and drops every userfaultfd registration (no context here has
 * EVENT_FORK). The child's page tables and COW copies die with it; the files keep whatever its
 * faults allocated and its shared stores wrote. An fd call works as this process's would (same
 * open file); a VM ioctl from another mm is EIO.
 */
import { err, ok, type OpOf, type Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import type { Folio, Mapping } from '../state.js';
import { RangeMap } from '../rangemap.js';
import { copyRuns } from '../prot.js';
import { accessPre, finish } from './access.js';
import { hostFault, readByte, writeByte } from '../fault.js';
import { dmapOnUse, filePages, grab, makeUptodate } from '../pagecache.js';
import { hostShared } from '../share.js';
import { fallocate } from './fallocate.js';
import { ADVISED } from './madvise.js';
import { ftruncate } from './fileio.js';

type AccessAct = Extract<OpOf<'child'>['act'], { kind: 'load' | 'store' }>;

const copyFolio = (f: Folio): Folio => ({ ...f, data: f.data ? f.data.slice() : null });

/** What the child's page tables hold for a mapping right after fork. */
const childMapping = (k: Kernel, m: Mapping): Mapping => {
  // Bug: fork gives the child a private copy of a shared gmem VMA, so its stores never reach the file.
  const shared = m.shared && !(m.inode.kind === 'gmem' && k.bug('child-shares-nothing'));
  return {
    ...m, shared,
    ptes: m.shared ? new Map() : new Map(m.ptes),
    anon: new Map([...m.anon].map(([p, f]) => [p, copyFolio(f)] as const)),
    uffd: new RangeMap(), locked: new RangeMap(), wp: new RangeMap(),
    // The child's VMAs are copies: a later mprotect in the parent does not reach them.
    protAt: copyRuns(m.protAt),
  };
};

const childAccess = (k: Kernel, act: AccessAct): Outcome => {
  const like = act.kind === 'load'
    ? { kind: 'load' as const, map: act.map, offset: act.offset, onUserfault: 'COPY' as const, fill: 0 }
    : { kind: 'store' as const, map: act.map, offset: act.offset, value: act.value, onUserfault: 'COPY' as const, fill: 0 };
  // VM_DONTCOPY: no VMA there in the child (checked before the protection: there is nothing to check it against).
  const vma = k.liveMap(act.map);
  const inVma = vma !== undefined && act.offset >= 0n && act.offset < BigInt(vma.npages) * 4096n;
  if (inVma && ((vma.advised.get(Number(act.offset / 4096n)) ?? 0) & ADVISED.dc) !== 0 && !(vma.inode.kind === 'gmem' && k.bug('child-dontfork-ignored'))) {
    return { kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_MAPERR', offset: act.offset };
  }
  const pre = accessPre(k, like);
  if ('kind' in pre) return pre;
  const { m, mp } = pre;
  const page = m.pgoff + mp;
  // Bug: the fault handler refuses private offsets only to the mm that created the VM.
  if (m.inode.kind === 'gmem' && k.bug('child-private-fault-allowed') && page < filePages(m.inode) && !hostShared(k, m.inode, page)) {
    const folio = grab(k, m.inode, page);
    makeUptodate(folio);
    dmapOnUse(k, m.inode, folio);
    const off = Number(act.offset % 4096n);
    if (act.kind === 'load') return ok({ value: readByte(folio, off) });
    writeByte(folio, off, act.value);
    return ok();
  }
  return finish(like, hostFault(k, childMapping(k, m), mp, act.kind === 'store', false));
};

export const child = (k: Kernel, op: OpOf<'child'>): Outcome => {
  const act = op.act;
  switch (act.kind) {
    case 'load':
    case 'store':
      return childAccess(k, act);
    case 'fallocate':
      return fallocate(k, { kind: 'fallocate', fd: act.fd, mode: act.mode, offset: act.offset, len: act.len });
    case 'ftruncate':
      return ftruncate(k, { kind: 'ftruncate', fd: act.fd, size: act.size });
    case 'vmIoctl':
      if (!k.liveVm(act.vm)) return err('EBADF');
      // kvm_vm_ioctl's first check: the caller's mm must be the VM's.
      return err('EIO');
  }
};
