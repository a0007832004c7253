/**
 * spanRange: madvise, mprotect or mlock over the tail of a mapping and the anonymous private VMA
 * the target maps right after its end (MAP-26, docs/kernel-surface.md E18). The kernel walks the
 * range VMA by VMA in address order and stops at the first VMA that refuses: each VMA gets its own
 * answer, and whatever the earlier VMAs were given stays done (v6.18 and v7.2:
 * mm/madvise.c madvise_walk_vmas returns the first error of a visit; mm/mprotect.c
 * do_mprotect_pkey breaks out of its VMA loop at the first error after mprotect_fixup changed the
 * earlier VMAs; mm/mlock.c apply_vma_lock_flags then __mm_populate, whose first failing VMA ends
 * the call after every VMA was flagged).
 *
 * The mapping's part comes first, so its answer is exactly the op's own rule on the range clipped
 * to the mapping's end (madvise, mprotectRange, mlock): its errors stand. Where it succeeds, the
 * anonymous VMA answers: every drawn call succeeds on a fresh anonymous private VMA except
 * MADV_REMOVE, which needs a shared file mapping (madvise_remove: no vm_file → EINVAL), so a
 * MADV_REMOVE span punches the mapping's tail and then fails with EINVAL. The anonymous pages are
 * unmapped after the call, so the state is what the mapping's part left.
 */
import { ok, err, outcomeEqual, spanPages, type OpOf, type Outcome, type Profile, type SpanCall } from '../vocab/index.js';
import type { Verdict } from '../verdict.js';
import type { SpecState } from '../state/types.js';
import { fact } from '../rule.js';
import { P } from '../ctx.js';
import type { Steps } from '../run.js';
import { steps as madviseSteps } from './madvise.js';
import { steps as mlockSteps } from './mlock.js';
import { steps as mprotectSteps } from './mprotect-range.js';

export const map26 = fact(
  'MAP-26',
  'MAP-26; mm/madvise.c madvise_walk_vmas (first error of a visit ends the walk), madvise_remove (no vm_file: EINVAL); mm/mprotect.c do_mprotect_pkey (the VMA loop breaks at the first error); mm/mlock.c apply_vma_lock_flags, __mm_populate; v6.18 and v7.2',
);

/** What a fresh anonymous private VMA answers to the call (MAP-26). */
export const anonAnswer = (call: SpanCall): Outcome => (call === 'madvRemove' ? err('EINVAL') : ok());

/** The mapping's part: the op's own spec on [end − tail pages, end). */
const ownPart = (p: Profile, s: SpecState, op: OpOf<'spanRange'>, pages: number): Verdict<SpecState> => {
  const t = spanPages(op.tail, op.pages, pages).tail;
  const offset = BigInt(pages - t) * P;
  const length = BigInt(t) * P;
  const map = op.map;
  switch (op.call) {
    case 'madvDontneed': return madviseSteps.madvise(p, s, { kind: 'madvise', map, offset, length, advice: 'DONTNEED' });
    case 'madvRemove': return madviseSteps.madvise(p, s, { kind: 'madvise', map, offset, length, advice: 'REMOVE' });
    case 'madvFree': return madviseSteps.madvise(p, s, { kind: 'madvise', map, offset, length, advice: 'FREE' });
    case 'madvWillneed': return madviseSteps.madvise(p, s, { kind: 'madvise', map, offset, length, advice: 'WILLNEED' });
    case 'protNone': return mprotectSteps.mprotectRange(p, s, { kind: 'mprotectRange', map, offset, length, prot: 0n });
    case 'protRead': return mprotectSteps.mprotectRange(p, s, { kind: 'mprotectRange', map, offset, length, prot: 1n });
    case 'protReadWrite': return mprotectSteps.mprotectRange(p, s, { kind: 'mprotectRange', map, offset, length, prot: 3n });
    case 'mlock': return mlockSteps.mlock(p, s, { kind: 'mlock', map, offset, length, call: 'MLOCK', flags: 0 });
    case 'mlockOnfault': return mlockSteps.mlock(p, s, { kind: 'mlock', map, offset, length, call: 'MLOCK2', flags: 1 });
    case 'munlock': return mlockSteps.mlock(p, s, { kind: 'mlock', map, offset, length, call: 'MUNLOCK', flags: 0 });
  }
};

const spanRange = (p: Profile, s: SpecState, op: OpOf<'spanRange'>): Verdict<SpecState> => {
  const m = s.maps.get(op.map);
  // A dead map is not issued (spec/vocab/CONVENTIONS.md): EFAULT, no change.
  if (m === undefined) return { allowed: [err('EFAULT')], rules: ['GEN-DEAD-MAP'], next: () => s };
  const inner = ownPart(p, s, op, m.pages);
  const anon = anonAnswer(op.call);
  const errs = inner.allowed.filter((o) => o.kind !== 'ok');
  const reaches = inner.allowed.some((o) => o.kind === 'ok');
  const own = (o: Outcome): boolean => errs.some((e) => outcomeEqual(e, o));
  const allowed = reaches && !own(anon) ? [...errs, anon] : errs;
  const loose = reaches && errs.length > 0 && own(anon)
    ? `MAP-26: ${anon.kind === 'errno' ? anon.errno : 'ok'} is the mapping's answer or the anonymous VMA's after the mapping's part succeeded; the mapping's is taken`
    : inner.loose;
  return {
    allowed,
    rules: ['MAP-26', ...inner.rules.filter((r) => r !== 'MAP-26')],
    ...(loose !== undefined ? { loose } : {}),
    ...(inner.parts !== undefined ? { parts: inner.parts } : {}),
    // The mapping's own error first (it is the first VMA); otherwise the anonymous VMA answered
    // after the mapping's part succeeded, so the state is the one its success left.
    next: (o) => (own(o) ? inner.next(o) : inner.next(ok())),
  };
};

export const steps = { spanRange } satisfies Steps;
