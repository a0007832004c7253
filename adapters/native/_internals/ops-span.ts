/**
 * spanRange (spec/vocab/ops-span.ts): the call over the last pages of a live map and 1..4
 * anonymous private pages mapped right after its page-rounded end. What keeps the process safe:
 * the anonymous range must be unmapped before the call (the free gap the arena keeps after every
 * mapping; anything there — another VMA, an orphan tail — and the op is not run:
 * TargetPlacementError, a TargetLimitError: the sequence ends there), the wrapper maps it with MAP_FIXED_NOREPLACE (it never replaces anything),
 * the call's range is exactly the map's tail plus those pages, and the wrapper unmaps exactly the
 * pages it mapped. No other memory of the process is touched.
 */
import { SPAN_CALL, err, spanPages } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { TargetBrokenError, TargetPlacementError } from '../../../spec/vocab/errors.js';
import { PAGE_SIZE as PAGE } from '../../../spec/vocab/handles.js';
import { pageEnd, unmapped } from './addrspace.js';
import type { Ctx } from './context.js';
import { GM_BAD_ARG, GM_NO_SCRATCH } from './ops-fd.js';
import { fromRc } from './outcomes.js';

export const spanRange = (c: Ctx, op: OpOf<'spanRange'>): Outcome => {
  const m = c.t.liveMap(op.map);
  // A dead handle is not issued (spec/vocab/CONVENTIONS.md): EFAULT.
  if (m === undefined) return err('EFAULT');
  const end = pageEnd(m);
  const { tail, anon } = spanPages(op.tail, op.pages, Number((end - m.base) / PAGE));
  const anonLen = BigInt(anon) * PAGE;
  if (!unmapped(c.vq, end, end + anonLen)) {
    const v = c.vq(end);
    const at = v === null ? 'none' : `[0x${v[0].toString(16)}, 0x${v[1].toString(16)})`;
    throw new TargetPlacementError(`spanRange: the ${anon} page(s) after map ${op.map} (0x${m.base.toString(16)}, ${m.length} bytes) are not free (VMA ${at}); the op was not run`);
  }
  const rc = c.b.spanRange(end - BigInt(tail) * PAGE, end, anonLen, SPAN_CALL[op.call]);
  if (rc === GM_NO_SCRATCH) throw new TargetPlacementError(`spanRange: MAP_FIXED_NOREPLACE could not place ${anon} anonymous page(s) after map ${op.map}; the op was not run`);
  if (rc === GM_BAD_ARG) throw new TargetBrokenError(`spanRange: the wrapper refused call ${op.call} with ${anon} page(s)`);
  return fromRc(rc);
};
