/**
 * A UFFDIO_COPY or UFFDIO_ZEROPAGE into a shared mapping is not one atomic step when other threads
 * run: it allocates and fills a folio, adds it to the page cache, and only then installs the PTE
 * (mm/userfaultfd.c mfill_atomic_pte → mm/shmem.c shmem_mfill_atomic_pte: shmem_add_to_page_cache,
 * then mfill_atomic_install_pte). The folio stays locked across both, so a punch, a normal fault
 * or fault-around wait for it or skip it — but shmem_get_folio_gfp looks the folio up for its
 * MINOR check before taking its lock, so a fault in a MINOR-registered VMA sees the page present
 * and unmapped in between: a MINOR userfault, or EFAULT for a kernel access (GUP) when only user
 * faults may be handled. Measured on 6.18 shmem by the parallel native run: a MADV_POPULATE_READ
 * racing a COPY of the same page, in a range registered MINOR just before, failed with EFAULT
 * while the COPY succeeded.
 *
 * So for the parallel check a successful one-page COPY/ZEROPAGE into a shared mapping is an
 * internal `insert` point (the filled folio in the page cache, no PTE yet — or not here) and the
 * call itself: after `insert` it only installs the PTE, and since the folio lock keeps others from
 * removing the folio meanwhile, a state without it is not one this point can meet.
 */
import { PAGE, outcomeEqual, type Op, type Outcome } from '../vocab/index.js';
import { fact } from '../rule.js';
import { imGet, imSet } from '../state/imap.js';
import type { SpecState } from '../state/types.js';
import { step } from '../step.js';
import { withMap } from '../state/update.js';
import type { SplitPoint } from '../mmap/access-split.js';

export const genMfillSplit = fact(
  'GEN-MFILL-SPLIT',
  'mm/userfaultfd.c mfill_atomic_pte; mm/shmem.c shmem_mfill_atomic_pte (page cache insertion, then mfill_atomic_install_pte), shmem_get_folio_gfp (the MINOR check before the folio lock)',
);

export const INSERTED: Outcome = { kind: 'ok', value: 'in the page cache, not mapped yet' };
const NOT_HERE: Outcome = { kind: 'ok', value: 'not here' };

/** The points of a successful one-page COPY/ZEROPAGE, or undefined for any other op or outcome. */
export const splitResolve = (op: Op, observed: Outcome): readonly SplitPoint<SpecState>[] | undefined => {
  if (op.kind !== 'uffdResolve' || op.how === 'CONTINUE' || observed.kind !== 'ok' || op.length !== BigInt(PAGE)) return undefined;
  const mp = Number(op.offset >> 12n);
  const insert: SplitPoint<SpecState> = {
    label: 'insert',
    judge: (p, s) => {
      const map = s.maps.get(op.map);
      const v = step(p, s, op);
      if (map === undefined || !map.shared || !v.allowed.some((o) => outcomeEqual(o, observed))) return { allowed: [NOT_HERE], rules: [genMfillSplit.id], next: () => s };
      const done = v.next(observed);
      const after = done.maps.get(op.map)!;
      const inserted = withMap(done, op.map, { ...after, ptes: imSet(after.ptes, mp, mp + 1, undefined) });
      return { allowed: [NOT_HERE, INSERTED], rules: [...v.rules, genMfillSplit.id], next: (o) => (outcomeEqual(o, INSERTED) ? inserted : s) };
    },
  };
  const call: SplitPoint<SpecState> = {
    label: 'access',
    observed,
    judge: (p, s, prior) => {
      if (prior === undefined || !outcomeEqual(prior[0] ?? NOT_HERE, INSERTED)) return step(p, s, op);
      const map = s.maps.get(op.map);
      const ino = map === undefined ? undefined : s.inodes.get(map.inode);
      if (map === undefined || ino === undefined || imGet(ino.folios, map.pgoff + mp) === undefined) return { allowed: [], rules: [genMfillSplit.id], next: () => s };
      return { allowed: [observed], rules: [genMfillSplit.id], next: () => withMap(s, op.map, { ...map, ptes: imSet(map.ptes, mp, mp + 1, true) }) };
    },
  };
  return [insert, call];
};
