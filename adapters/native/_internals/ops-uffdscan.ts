/** UFFDIO_POISON (UFD-22; gm_uffd_poison). */
import { PAGE_SIZE, err } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { TargetLimitError } from '../../../spec/vocab/errors.js';
import { USER_TOP, addrOf } from './addrspace.js';
import type { Ctx } from './context.js';
import { fromRc } from './outcomes.js';

/**
 * Issued at the mapping's own address: mfill_atomic refuses a range that is not inside one
 * registered VMA before it touches a PTE, so a range running past the mapping changes nothing.
 * A start outside the mapping could land in another registered mapping of this run, so it is
 * issued in the dead zone, where no VMA is (ENOENT); an unaligned or empty range is refused by
 * validate_range before any VMA is looked up, wherever it is issued. A dead map is not issued
 * (EFAULT, spec/vocab/CONVENTIONS.md).
 */
export const uffdPoison = (c: Ctx, op: OpOf<'uffdPoison'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return err('EFAULT');
  const uffd = c.t.uffd(op.uffd);
  const inside = op.offset >= 0n && op.offset < m.length;
  const refusedEarly = op.length === 0n || op.length % PAGE_SIZE !== 0n || op.offset % PAGE_SIZE !== 0n || op.length >= USER_TOP;
  const addr = inside || refusedEarly || c.deadZone === undefined ? addrOf(m, op.offset) : c.deadZone;
  if (!inside && !refusedEarly && c.deadZone === undefined) throw new TargetLimitError(`uffdPoison: no dead zone to issue [map ${op.map} + ${op.offset}, +${op.length}) where it reaches no other mapping; the op was not run`);
  return fromRc(c.b.uffdPoison(uffd, addr, op.length, op.mode), (count) => ({ count }));
};
