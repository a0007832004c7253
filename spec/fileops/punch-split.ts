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
 * So for the parallel check a successful punch of a range (fallocate PUNCH_HOLE, MADV_REMOVE) is
 * its own point (the call, as the spec judges it) followed by an internal `again` point: the
 * range may be punched once more there, or not.
 */
import { outcomeEqual, type Op, type Outcome } from '../vocab/index.js';
import { FALLOC } from '../vocab/uapi.js';
import { fact } from '../rule.js';
import type { SpecState } from '../state/types.js';
import { step } from '../step.js';
import type { SplitPoint } from '../mmap/access-split.js';

export const genPunchPasses = fact(
  'GEN-PUNCH-PASSES',
  'mm/truncate.c truncate_inode_pages_range; mm/shmem.c shmem_undo_range (a second pass over the whole range)',
);

const AGAIN: Outcome = { kind: 'ok', value: 'punched again' };
const NOT_HERE: Outcome = { kind: 'ok', value: 'not here' };

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
  return [{ label: 'access', observed, judge: (p, s) => step(p, s, op) }, again];
};
