/**
 * A host load or store (and any op that faults pages in: GUP, MADV_POPULATE_*, a node query) is
 * not one atomic step when other threads run. When it faults, the kernel
 * maps the page (allocating and zeroing it if the file has none) and returns, and the CPU then
 * re-executes the access (mm/memory.c handle_mm_fault): in between, another thread sees the page
 * present (mincore, a userfault that is MINOR instead of MISSING, a UFFDIO_COPY that fails with
 * EEXIST) before the byte is read or written. And an access that raises a userfault queues the
 * event and sleeps with mmap_lock released (fs/userfaultfd.c handle_userfault), the monitor
 * answers with a resolve ioctl later (mm/userfaultfd.c mfill_atomic), and the woken thread
 * retries, faulting again if the page was punched or unmapped meanwhile.
 *
 * For the parallel check (models/parallel/linearize.ts) a load or store is therefore several
 * linearization points, each judged by the spec's existing semantics in the state it meets:
 *  - `fault-in` and `map` (internal, nothing observed): the access's first fault may happen early —
 *    the page faulted in and mapped at once, or the folio put into the page cache at `fault-in`
 *    and mapped at `map` — or not (then the access faults itself); see below;
 * then, for an access that blocked on a userfault:
 *  - `fault`: the access raises exactly this event now (the event a sequential access would
 *    report in this state); nothing changes;
 *  - `resolve`: the monitor's UFFDIO_COPY/ZEROPAGE/CONTINUE of the faulting page, judged as the
 *    uffdResolve op (spec/uffd/resolve.ts: EEXIST if a PTE or folio appeared, ENOENT if the range
 *    was unregistered, ...);
 *  - `unregister` (internal, after a failed resolve only): the monitor then unregisters the page
 *    (GEN-UFFD-UNREGISTER), as the sequential convention says — a second ioctl, so other ops may
 *    come between the resolve and it;
 *  - `refault` (internal, twice): the retried access may fault again and be answered again before
 *    it gets through (see refaultPoint);
 *  - `access`: the retried access, judged as a load/store now; if it faults again the monitor
 *    answers the same way, so only the access's own result is compared (the uffd wrapper of a
 *    second fault is not reported, as in the sequential convention: the first event is);
 * and for any other access just `access`: the op as the spec judges it now.
 * Judged back to back in one state (no fault-in) these give exactly the sequential verdict of the
 * op (test/unit/spec/access-split.test.ts checks that).
 */
import { PAGE, outcomeEqual, type Op, type Outcome, type Profile, type UffdEvent } from '../vocab/index.js';
import type { Verdict } from '../verdict.js';
import { fact } from '../rule.js';
import type { SpecState } from '../state/types.js';
import { imGet } from '../state/imap.js';
import { first } from '../rule.js';
import { step } from '../step.js';
import { genUnregister, unregisterPage } from '../uffd/fault.js';
import { accessCtx, normalChain } from './load-store.js';
import { faultIn } from './page-io.js';
import { privateAt } from './access.js';
import { withMap } from '../state/update.js';
import { faultAround } from './fault-around.js';

export const genUffdBlocking = fact(
  'GEN-UFFD-BLOCKING',
  'fs/userfaultfd.c handle_userfault (the faulting thread sleeps with mmap_lock released until woken); mm/userfaultfd.c mfill_atomic (the monitor\'s resolve); mm/memory.c (the woken access retries the fault)',
);
const GEN_UFFD_BLOCKING = genUffdBlocking.id;
export const genFaultSplit = fact(
  'GEN-FAULT-SPLIT',
  'mm/memory.c handle_mm_fault (the fault maps the page and returns; the access is re-executed afterwards); mm/shmem.c shmem_fault; virt/kvm/guest_memfd.c kvm_gmem_fault_user_mapping',
);

/** One linearization point of a split op: what was observed there and how the spec judges it in a state. */
export interface SplitPoint<S> {
  readonly label: 'fault-in' | 'map' | 'fault' | 'resolve' | 'unregister' | 'refault' | 'access' | 'zap' | 'again' | 'insert';
  /** Undefined for an internal point: any outcome the spec allows there may have happened. */
  readonly observed?: Outcome;
  /**
   * Done by another thread (the uffd monitor) after the op's point before it, but in no order with
   * the op's later points, the branch's later ops or real time: the op may have returned already.
   */
  readonly detached?: boolean;
  /** `prior`: the outcomes taken at this op's earlier points (an internal point's choice matters later). */
  judge(p: Profile, s: S, prior?: readonly Outcome[]): Verdict<S>;
}

/** The internal point's outcomes: the page was faulted in here, or not. */
export const FAULTED_IN: Outcome = { kind: 'ok', value: 'faulted in' };
export const NOT_HERE: Outcome = { kind: 'ok', value: 'not here' };
export const ALLOCATED: Outcome = { kind: 'ok', value: 'allocated' };
export const MAPPED: Outcome = { kind: 'ok', value: 'mapped' };
export const REFAULTED: Outcome = { kind: 'ok', value: 'faulted again, resolved' };
export const REFAULT_FAILED: Outcome = { kind: 'ok', value: 'faulted again, resolve failed, page unregistered' };
/** The internal unregister point's one outcome. */
export const UNREGISTERED: Outcome = { kind: 'ok', value: 'unregistered' };

/** The fault-in of `op`'s page in state s when a normal fault would do it now (no other path decides first). */
const normalFaultAt = (p: Profile, s: SpecState, op: Extract<Op, { kind: 'load' | 'store' }>) => {
  const a = accessCtx(p, s, op);
  // Only a normal fault maps the page early; every other path (no VMA, protection, a present
  // PTE, EOF, a private offset, a userfault) is decided at the access itself.
  return a === undefined || first(a, normalChain) !== undefined ? undefined : a;
};

/**
 * `fault-in` (internal): the access's first fault may happen here, before the retried access —
 * mapping the page at once (FAULTED_IN), or only putting the folio into the page cache
 * (ALLOCATED: shmem_get_folio_gfp / kvm_gmem_get_folio insert it before finish_fault installs the
 * PTE, and in between another thread finds the page present but not mapped — a MINOR userfault
 * for a MINOR-registered mapping, EEXIST for a UFFDIO_COPY; measured on 6.18 shmem: a
 * MADV_POPULATE_READ on a MINOR-registered page failed with EFAULT while a store faulted the page
 * in) — or not at all (the access then faults itself).
 */
const faultInPoint = (op: Extract<Op, { kind: 'load' | 'store' }>): SplitPoint<SpecState> => ({
  label: 'fault-in',
  judge: (p, s) => {
    const a = normalFaultAt(p, s, op);
    if (a === undefined) return { allowed: [NOT_HERE], rules: [genFaultSplit.id], next: () => s };
    const faulted = faultIn(p, s, a.mapId, a.mp, a.fp, !a.write);
    const present = imGet(a.ino.folios, a.fp)?.uptodate === true;
    if (present || !a.map.shared) {
      return { allowed: [NOT_HERE, FAULTED_IN], rules: [genFaultSplit.id], next: (o) => (outcomeEqual(o, FAULTED_IN) ? faulted : s) };
    }
    // The folio as the fault leaves it, without this mapping's PTE yet.
    const allocated = withMap(faulted, a.mapId, a.map);
    return {
      allowed: [NOT_HERE, FAULTED_IN, ALLOCATED],
      rules: [genFaultSplit.id],
      next: (o) => (outcomeEqual(o, FAULTED_IN) ? faulted : outcomeEqual(o, ALLOCATED) ? allocated : s),
    };
  },
});

/**
 * `map` (internal): after ALLOCATED the fault installs the PTE; it holds the folio lock from the
 * insertion to here, so nobody can have removed the folio meanwhile (a punch waits for the lock):
 * a state without it is not one this point can meet.
 */
const mapPoint = (op: Extract<Op, { kind: 'load' | 'store' }>): SplitPoint<SpecState> => ({
  label: 'map',
  judge: (p, s, prior) => {
    if (prior === undefined || !outcomeEqual(prior[0] ?? NOT_HERE, ALLOCATED)) return { allowed: [NOT_HERE], rules: [genFaultSplit.id], next: () => s };
    const a = accessCtx(p, s, op);
    // The fault holds the folio lock (and, with in-place conversion, the invalidate lock shared)
    // from the insertion to here: the folio is still there and the page still shared.
    if (a === undefined || imGet(a.ino.folios, a.fp) === undefined || privateAt(a)) return { allowed: [], rules: [genFaultSplit.id], next: () => s };
    return { allowed: [MAPPED], rules: [genFaultSplit.id], next: () => faultIn(p, s, a.mapId, a.mp, a.fp, !a.write) };
  },
});

const plainAccess = (op: Extract<Op, { kind: 'load' | 'store' }>, observed: Outcome): SplitPoint<SpecState> => ({
  label: 'access',
  observed,
  judge: (p, s) => step(p, s, op),
});

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
    // A read fault maps its up-to-date neighbours before shmem_fault raises the event (do_read_fault
    // runs do_fault_around before __do_fault; GEN-FAULT-AROUND), as the sequential verdict says.
    const mp = Number(op.offset >> 12n);
    return { allowed: events, rules: [...v.rules, GEN_UFFD_BLOCKING], next: () => (op.kind === 'store' ? s : faultAround(s, op.map, mp, mp + 1)) };
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
    return { allowed: v.allowed, rules: [...v.rules, GEN_UFFD_BLOCKING], ...(v.loose !== undefined ? { loose: v.loose } : {}), next: (o) => v.next(o) };
  },
});

/**
 * After a failed resolve the monitor unregisters the faulting page (a separate ioctl, later). The
 * access need not wait for it: another thread's successful resolve of the page wakes it, and it
 * may return before the monitor gets there (measured on 6.18 shmem: a UFFDIO_COPY issued after
 * such an access had returned still found the page registered) — a detached point.
 */
const unregisterPoint = (op: Extract<Op, { kind: 'load' | 'store' }>, event: UffdEvent): SplitPoint<SpecState> => ({
  label: 'unregister',
  detached: true,
  judge: (_p, s) => {
    const next = s.maps.has(op.map) ? unregisterPage(s, op.map, Number(event.offset >> 12n)) : s;
    return { allowed: [UNREGISTERED], rules: [GEN_UFFD_BLOCKING, genUnregister.id], next: () => next };
  },
});

const accessPoint = (op: Extract<Op, { kind: 'load' | 'store' }>, observed: Outcome): SplitPoint<SpecState> => ({
  label: 'access',
  observed,
  judge: (p, s) => {
    const v = step(p, s, op);
    const flat = (o: Outcome): Outcome => (o.kind === 'uffd' ? o.access : o);
    // Values other rules fix (spec/blame.ts) sit under a userfault's `access`: the flat outcome has them at the top.
    const parts = (v.parts ?? []).flatMap((x) => (x.path[0] === 'access' ? [{ rule: x.rule, path: x.path.slice(1) }] : v.allowed.some((o) => o.kind !== 'uffd') ? [x] : []));
    return {
      allowed: uniq(v.allowed.map(flat)),
      ...(parts.length ? { parts } : {}),
      rules: [...v.rules, GEN_UFFD_BLOCKING],
      ...(v.loose !== undefined ? { loose: v.loose } : {}),
      next: (o) => {
        const whole = v.allowed.find((a) => outcomeEqual(flat(a), o));
        return v.next(whole ?? o);
      },
    };
  },
});

/**
 * `refault` (internal, after the first resolve): the woken access may fault again — the page was
 * punched or unmapped meanwhile — and the monitor answers that fault the same way; the state
 * between such an answer and the access is visible to other threads (measured on 6.18 shmem: a
 * load in another branch read the fill of a second COPY while the faulting store, punched twice,
 * had not yet stored). Taken or not; the access point itself covers a last re-fault.
 */
const refaultPoint = (op: Extract<Op, { kind: 'load' | 'store' }>): SplitPoint<SpecState> => ({
  label: 'refault',
  judge: (p, s) => {
    const v = step(p, s, op);
    const ev = v.allowed.find((o): o is Extract<Outcome, { kind: 'uffd' }> => o.kind === 'uffd');
    if (ev === undefined) return { allowed: [NOT_HERE], rules: [GEN_UFFD_BLOCKING], next: () => s };
    const r = resolvePoint(op, ev.event, ev.resolve).judge(p, s);
    const mp = Number(ev.event.offset >> 12n);
    const outs = r.allowed.map((o) => ({ o, label: o.kind === 'errno' ? REFAULT_FAILED : REFAULTED }));
    const unique = outs.filter((x, i) => outs.findIndex((y) => outcomeEqual(y.label, x.label)) === i);
    return {
      allowed: [NOT_HERE, ...unique.map((x) => x.label)],
      rules: [GEN_UFFD_BLOCKING, ...r.rules],
      next: (o) => {
        const hit = unique.find((x) => outcomeEqual(x.label, o));
        if (hit === undefined) return s;
        const after = r.next(hit.o);
        return hit.o.kind === 'errno' && after.maps.has(op.map) ? unregisterPage(after, op.map, mp) : after;
      },
    };
  },
});

/**
 * The one-byte access standing for an op that faults a page in from the kernel (GUP: process_vm
 * readv/writev, MADV_POPULATE_*, get_mempolicy with MPOL_F_NODE|MPOL_F_ADDR): it goes through the
 * same fault path, so it has the same early fault-in (the write fault for a write).
 */
const faultingAccess = (op: Op): Extract<Op, { kind: 'load' | 'store' }> | undefined => {
  const load = (map: number, offset: bigint): Extract<Op, { kind: 'load' }> => ({ kind: 'load', map, offset, onUserfault: 'COPY', fill: 0 });
  const store = (map: number, offset: bigint): Extract<Op, { kind: 'store' }> => ({ kind: 'store', map, offset, value: 0, onUserfault: 'COPY', fill: 0 });
  switch (op.kind) {
    case 'kernelAccess': return op.call === 'process_vm_writev' ? store(op.map, op.offset) : load(op.map, op.offset);
    case 'madvise': return op.advice === 'POPULATE_WRITE' ? store(op.map, op.offset) : op.advice === 'POPULATE_READ' ? load(op.map, op.offset) : undefined;
    case 'getMempolicy': return op.query === 'ADDR_NODE' ? load(op.map, op.offset) : undefined;
    default: return undefined;
  }
};

/** The linearization points of an op that faults pages in (see above), or undefined for an op that is one atomic step. */
export const splitAccess = (op: Op, observed: Outcome): readonly SplitPoint<SpecState>[] | undefined => {
  if (op.kind !== 'load' && op.kind !== 'store') {
    const acc = faultingAccess(op);
    return acc === undefined ? undefined : [faultInPoint(acc), mapPoint(acc), { label: 'access', observed, judge: (p, s) => step(p, s, op) }];
  }
  if (observed.kind !== 'uffd') return [faultInPoint(op), mapPoint(op), plainAccess(op, observed)];
  const failed = observed.resolve.kind === 'errno' ? [unregisterPoint(op, observed.event)] : [];
  return [
    faultInPoint(op), mapPoint(op), faultPoint(op, observed.event), resolvePoint(op, observed.event, observed.resolve), ...failed,
    refaultPoint(op), refaultPoint(op), accessPoint(op, observed.access),
  ];
};
