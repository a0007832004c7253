/**
 * mmapEx: mmap with the whole flags word and a placement. The emulator's address space is the
 * isolated one of spec/README.md (a gap after every mapping), so the only placement that meets
 * anything is `over` a live mapping. Order (mm/mmap.c, v7.2): sys_mmap offset alignment; fget;
 * MAP_HUGETLB on a plain file; do_mmap's length and offset checks; MAP_FIXED_NOREPLACE over a
 * mapping (EEXIST); file_mmap_ok; the type: SHARED drops the bits outside LEGACY_MAP_MASK,
 * SHARED_VALIDATE refuses them, PRIVATE does not look, anything else EINVAL; noexec; GROWSDOWN;
 * then mmap_region unmaps what a fixed mapping covers and only then calls the file's mmap method
 * (gmem: ENODEV without MMAP, EINVAL for a private mapping), so such a refusal leaves a hole.
 * MAP_POPULATE (without MAP_NONBLOCK) and MAP_LOCKED fault the mapping in, stopping quietly at the
 * first page that will not come in.
 */
import { err, ok, PROT, LEGACY_MAP_MASK, MAP_FLAG, sentMapFlags } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { aligned, asU64, LOFF_MAX, P, TASK_SIZE } from '../i64.js';
import { getRef } from '../lifetime.js';
import { RangeMap } from '../rangemap.js';
import type { Mapping, Policy } from '../state.js';
import { policyEq } from '../state.js';
import { reachPage } from '../gup.js';
import { noDirectMap } from '../pagecache.js';
import { unmap } from './mmap.js';
import { ADVISED } from './madvise.js';

const RWX = BigInt(PROT.READ | PROT.WRITE | PROT.EXEC);
const COMMIT_LIMIT = 1n << 30n;

/** What the fixed mapping covers of `victim`: all of it (an ordinary unmap) or its head (the tail stays, holding the file). */
const cover = (k: Kernel, victim: Mapping, pages: bigint): void => {
  if (pages >= BigInt(victim.npages)) return unmap(k, victim);
  victim.alive = false;
  victim.ptes.clear();
  victim.anon.clear();
  victim.inode.maps.delete(victim);
};

export const mmapEx = (k: Kernel, op: OpOf<'mmapEx'>): Outcome => {
  const off = asU64(op.offset);
  if (!aligned(off)) return err('EINVAL');
  const f = k.fds.get(op.fd);
  if (!f) return err('EBADF');
  const victim = op.place.kind === 'over' ? k.liveMap(op.place.map) : undefined;
  // The zoo bugs below break the gmem paths only (a memfd mapping behaves as before).
  const gbug = (id: 'noreplace-replaces' | 'shared-validate-lax' | 'populate-error-fails'): boolean => f.inode.kind === 'gmem' && k.bug(id);
  const fl = sentMapFlags(op.flags, victim !== undefined);
  if ((fl & MAP_FLAG.HUGETLB) !== 0n) return err('EINVAL');
  const len = asU64(op.length);
  if (len === 0n) return err('EINVAL');
  const alen = (len + P - 1n) & ~(P - 1n);
  if (alen > TASK_SIZE) return err('ENOMEM');
  const replaces = victim !== undefined && (fl & (MAP_FLAG.FIXED | MAP_FLAG.FIXED_NOREPLACE)) !== 0n;
  // Bug: MAP_FIXED_NOREPLACE treated as MAP_FIXED.
  if (replaces && (fl & MAP_FLAG.FIXED_NOREPLACE) !== 0n && !gbug('noreplace-replaces')) return err('EEXIST');
  if (alen > LOFF_MAX || off / P > (LOFF_MAX - alen) / P) return err('EOVERFLOW');
  const type = fl & MAP_FLAG.TYPE;
  // Bug: MAP_SHARED_VALIDATE masks the unknown bits like MAP_SHARED.
  if (type === MAP_FLAG.SHARED_VALIDATE && (fl & ~LEGACY_MAP_MASK) !== 0n && !gbug('shared-validate-lax')) return err('EOPNOTSUPP');
  if (type !== MAP_FLAG.SHARED && type !== MAP_FLAG.SHARED_VALIDATE && type !== MAP_FLAG.PRIVATE) return err('EINVAL');
  const shared = type !== MAP_FLAG.PRIVATE;
  const inode = f.inode;
  if (inode.kind === 'gmem' && (op.prot & BigInt(PROT.EXEC)) !== 0n) return err('EPERM');
  if ((fl & MAP_FLAG.GROWSDOWN) !== 0n) return err('EINVAL');
  // Overcommit: a private writable mapping is accounted before anything is unmapped.
  if (!shared && (op.prot & BigInt(PROT.WRITE)) !== 0n && len > COMMIT_LIMIT) return err('ENOMEM');
  if (replaces) cover(k, victim, alen / P);
  if (inode.kind === 'gmem') {
    if ((inode.flags & 1n) === 0n) return err('ENODEV');
    if (!shared) return err('EINVAL');
  }
  const npages = Number(alen / P);
  const m: Mapping = {
    id: op.id, inode, pgoff: Number(off / P), npages, length: len, prot: Number(op.prot & RWX), shared,
    alive: true, ptes: new Map(), anon: new Map(), vmaPolicy: new RangeMap<Policy>(policyEq), uffd: new RangeMap(), hugepage: new RangeMap(), locked: new RangeMap(), advised: new RangeMap(), guard: new RangeMap(), wp: new RangeMap(), protAt: new RangeMap(),
  };
  // MAP_STACK marks the VMA VM_NOHUGEPAGE (include/linux/mman.h calc_vm_flag_bits, v6.7+ with THP).
  if ((fl & MAP_FLAG.STACK) !== 0n) m.advised.set(0, npages, ADVISED.nh);
  k.claim(k.maps, op.id, m, 'map');
  inode.maps.add(m);
  getRef(inode);
  const locked = (fl & MAP_FLAG.LOCKED) !== 0n;
  // The NO_DIRECT_MAP series' mlock leaves the VMA unlocked (DMAP-21); MAP_LOCKED here does the same.
  if (locked && !noDirectMap(k, inode)) m.locked.set(0, npages, true);
  const populate = locked || (fl & (MAP_FLAG.POPULATE | MAP_FLAG.NONBLOCK)) === MAP_FLAG.POPULATE;
  if (populate && (m.prot & 7) !== 0) {
    const write = !shared && (m.prot & 2) !== 0;
    // Bug: a populate failure fails the mmap (errors not ignored), after the mapping was made.
    for (let mp = 0; mp < npages; mp += 1) {
      if (!reachPage(k, m, mp, write, 'force')) {
        if (gbug('populate-error-fails')) return err('EFAULT');
        break;
      }
    }
  }
  return ok();
};
