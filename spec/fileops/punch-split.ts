/**
 * A hole punch is not one atomic step when other threads run. Both punch paths walk the range
 * more than once: truncate_inode_pages_range (guest_memfd's kvm_gmem_punch_hole) and
 * shmem_undo_range (memfd's shmem_fallocate) first remove the folios they can lock, then go over
 * the whole range again to catch the ones they could not. A folio that another thread put there in
 * between — a host fault (guest_memfd faults do not wait for the punch), a UFFDIO_COPY (it does
 * not go through shmem_fault, which would wait) — can be removed by the later pass. Measured on
 * 6.18 shmem by the parallel native run: a COPY that succeeded during a one-page punch, and an
 * access right after it raising a MISSING userfault.
 *
 * And shmem_fallocate unmaps the whole range first (unmap_mapping_range) and only then removes the
 * folios: in between, another thread finds the page present but not mapped — a UFFDIO_CONTINUE
 * maps it successfully (measured on 6.18 shmem by the parallel native run: a CONTINUE during a
 * one-page punch returned a page count although the page was punched before and after it).
 * guest_memfd's punch unmaps each folio under its lock as it removes it, so nobody sees that state.
 *
 * So for the parallel check a successful punch of a range (fallocate PUNCH_HOLE, MADV_REMOVE) is
 * an internal `zap` point (memfd only: the range's PTEs go first, or not here), the call itself as
 * the spec judges it, and an internal `again` point: the range may be punched once more there, or
 * not.
 */
import { outcomeEqual, type Op, type Outcome } from '../vocab/index.js';
import { FALLOC } from '../vocab/uapi.js';
import { fact } from '../rule.js';
import type { SpecState } from '../state/types.js';
import { step } from '../step.js';
import { zapPtes } from '../state/update.js';
import type { SplitPoint } from '../mmap/access-split.js';

export const genPunchPasses = fact(
  'GEN-PUNCH-PASSES',
  'mm/truncate.c truncate_inode_pages_range; mm/shmem.c shmem_undo_range (a second pass over the whole range)',
);

const AGAIN: Outcome = { kind: 'ok', value: 'punched again' };
const ZAPPED: Outcome = { kind: 'ok', value: 'unmapped first' };
const NOT_HERE: Outcome = { kind: 'ok', value: 'not here' };

/** The memfd file and page range a punch acts on, when it is a memfd (state s). */
const shmemRange = (s: SpecState, op: Op): { ino: number; a: number; b: number } | undefined => {
  const range = (ino: number, off: bigint, len: bigint) => ({ ino, a: Number(off >> 12n), b: Number((off + len + 4095n) >> 12n) });
  if (op.kind === 'fallocate') {
    const f = s.fds.get(op.fd);
    const ino = f === undefined ? undefined : s.inodes.get(f.inode);
    return ino?.kind === 'memfd' && op.offset >= 0n && op.len > 0n ? range(ino.id, op.offset, op.len) : undefined;
  }
  if (op.kind === 'madvise') {
    const m = s.maps.get(op.map);
    const ino = m === undefined ? undefined : s.inodes.get(m.inode);
    return ino?.kind === 'memfd' && m !== undefined && op.offset >= 0n ? range(ino.id, BigInt(m.pgoff) * 4096n + op.offset, op.length) : undefined;
  }
  return undefined;
};

const isPunch = (op: Op): boolean =>
  (op.kind === 'fallocate' && (op.mode & FALLOC.PUNCH_HOLE) !== 0) || (op.kind === 'madvise' && op.advice === 'REMOVE');

/** The points of a successful punch, or undefined for any other op or outcome. */
export const splitPunch = (op: Op, observed: Outcome): readonly SplitPoint<SpecState>[] | undefined => {
  if (!isPunch(op) || observed.kind !== 'ok') return undefined;
  const again: SplitPoint<SpecState> = {
    label: 'again',
    judge: (p, s) => {
      const v = step(p, s, op);
      if (!v.allowed.some((o) => outcomeEqual(o, observed))) return { allowed: [NOT_HERE], rules: [genPunchPasses.id], next: () => s };
      const punched = v.next(observed);
      return { allowed: [NOT_HERE, AGAIN], rules: [genPunchPasses.id, ...v.rules], next: (o) => (outcomeEqual(o, AGAIN) ? punched : s) };
    },
  };
  const zap: SplitPoint<SpecState> = {
    label: 'zap',
    judge: (_p, s) => {
      const r = shmemRange(s, op);
      if (r === undefined) return { allowed: [NOT_HERE], rules: [genPunchPasses.id], next: () => s };
      const zapped = zapPtes(s, r.ino, r.a, r.b);
      return { allowed: [NOT_HERE, ZAPPED], rules: [genPunchPasses.id], next: (o) => (outcomeEqual(o, ZAPPED) ? zapped : s) };
    },
  };
  return [zap, { label: 'access', observed, judge: (p, s) => step(p, s, op) }, again];
};
