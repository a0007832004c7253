/**
 * A host access that blocked on a userfault is not one atomic step when other threads run: the
 * faulting thread queues the event and sleeps with mmap_lock released (fs/userfaultfd.c
 * handle_userfault), the monitor answers with a resolve ioctl later (mm/userfaultfd.c
 * mfill_atomic), and the woken thread retries the fault, which may fault again if the page was
 * punched or unmapped meanwhile. Another thread can punch, convert, register or resolve the page
 * between any two of these moments.
 *
 * For the parallel check (models/parallel/linearize.ts) such an op is therefore three
 * linearization points, each judged by the spec's existing semantics in the state it meets:
 *  - `fault`: the access raises exactly this event now (the event a sequential access would
 *    report in this state); nothing changes;
 *  - `resolve`: the monitor's UFFDIO_COPY/ZEROPAGE/CONTINUE of the faulting page, judged as the
 *    uffdResolve op (spec/uffd/resolve.ts: EEXIST if a PTE or folio appeared, ENOENT if the range
 *    was unregistered, ...); a failed resolve makes the monitor unregister the page
 *    (GEN-UFFD-UNREGISTER), as the sequential convention says;
 *  - `access`: the retried access, judged as a load/store now; if it faults again the monitor
 *    answers the same way, so only the access's own result is compared (the uffd wrapper of a
 *    second fault is not reported, as in the sequential convention: the first event is).
 * Judged back to back in one state these give exactly the sequential verdict of the op
 * (test/unit/spec/uffd-split.test.ts checks that).
 */
import { PAGE, outcomeEqual, type Op, type Outcome, type Profile, type UffdEvent } from '../vocab/index.js';
import type { Verdict } from '../verdict.js';
import { fact } from '../rule.js';
import type { SpecState } from '../state/types.js';
import { imGet } from '../state/imap.js';
import { step } from '../step.js';
import { unregisterPage } from './fault.js';

export const genUffdBlocking = fact(
  'GEN-UFFD-BLOCKING',
  'fs/userfaultfd.c handle_userfault (the faulting thread sleeps with mmap_lock released until woken); mm/userfaultfd.c mfill_atomic (the monitor\'s resolve); mm/memory.c (the woken access retries the fault)',
);
const GEN_UFFD_BLOCKING = genUffdBlocking.id;

/** One linearization point of a split op: what was observed there and how the spec judges it in a state. */
export interface SplitPoint<S> {
  readonly label: 'fault' | 'resolve' | 'access';
  readonly observed: Outcome;
  judge(p: Profile, s: S): Verdict<S>;
}

/** The event as a point's outcome: an ok carrying the event fields (reports print it as the event). */
export const eventOutcome = (e: UffdEvent): Outcome => ({ kind: 'ok', value: { write: e.write, minor: e.minor, wp: e.wp, offset: e.offset } });

const uniq = (os: readonly Outcome[]): Outcome[] => {
  const out: Outcome[] = [];
  for (const o of os) if (!out.some((x) => outcomeEqual(x, o))) out.push(o);
  return out;
};

const faultPoint = (op: Extract<Op, { kind: 'load' | 'store' }>, observed: UffdEvent): SplitPoint<SpecState> => ({
  label: 'fault',
  observed: eventOutcome(observed),
  judge: (p, s) => {
    const v = step(p, s, op);
    const events = uniq(v.allowed.flatMap((o) => (o.kind === 'uffd' ? [eventOutcome(o.event)] : [])));
    return { allowed: events, rules: [GEN_UFFD_BLOCKING, ...v.rules], next: () => s };
  },
});

const resolvePoint = (op: Extract<Op, { kind: 'load' | 'store' }>, event: UffdEvent, observed: Outcome): SplitPoint<SpecState> => ({
  label: 'resolve',
  observed,
  judge: (p, s) => {
    const map = s.maps.get(op.map);
    const mp = Number(event.offset >> 12n);
    // The monitor answers on the uffd the fault came from; if the page is no longer registered
    // any of the sequence's uffds gives the same answer (ENOENT: the VMA is not registered).
    const uffd = (map === undefined ? undefined : imGet(map.uffd, mp)?.uffd) ?? s.uffds.keys().next().value ?? 0;
    const v = step(p, s, { kind: 'uffdResolve', uffd, how: op.onUserfault, map: op.map, offset: event.offset, length: BigInt(PAGE), fill: op.fill });
    return {
      allowed: v.allowed,
      rules: [GEN_UFFD_BLOCKING, ...v.rules],
      ...(v.loose !== undefined ? { loose: v.loose } : {}),
      next: (o) => (o.kind === 'errno' && map !== undefined ? unregisterPage(v.next(o), op.map, mp) : v.next(o)),
    };
  },
});

const accessPoint = (op: Extract<Op, { kind: 'load' | 'store' }>, observed: Outcome): SplitPoint<SpecState> => ({
  label: 'access',
  observed,
  judge: (p, s) => {
    const v = step(p, s, op);
    const flat = (o: Outcome): Outcome => (o.kind === 'uffd' ? o.access : o);
    return {
      allowed: uniq(v.allowed.map(flat)),
      rules: [GEN_UFFD_BLOCKING, ...v.rules],
      ...(v.loose !== undefined ? { loose: v.loose } : {}),
      next: (o) => {
        const whole = v.allowed.find((a) => outcomeEqual(flat(a), o));
        return v.next(whole ?? o);
      },
    };
  },
});

/**
 * The linearization points of an op whose observed outcome shows it blocked on a userfault, or
 * undefined when the op is one atomic step (every other op and outcome).
 */
export const splitBlocking = (op: Op, observed: Outcome): readonly SplitPoint<SpecState>[] | undefined => {
  if ((op.kind !== 'load' && op.kind !== 'store') || observed.kind !== 'uffd') return undefined;
  return [faultPoint(op, observed.event), resolvePoint(op, observed.event, observed.resolve), accessPoint(op, observed.access)];
};
