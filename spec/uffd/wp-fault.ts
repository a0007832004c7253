/**
 * A store, or a GUP write, on a page carrying uffd-wp state (UFD-20). The bit makes the PTE read
 * only, so the write faults into do_wp_page, which sees userfaultfd_pte_wp: a WP_ASYNC context
 * clears the bit and the write goes on, with no event; any other context gets
 * handle_userfault(VM_UFFD_WP) — an event with UFFD_PAGEFAULT_FLAG_WP|WRITE, or SIGBUS under
 * UFFD_FEATURE_SIGBUS, or, for a kernel-mode fault in this UFFD_USER_MODE_ONLY context (GUP, a
 * copy from the kernel), VM_FAULT_SIGBUS: EFAULT (mm/memory.c do_wp_page, v7.2). A page with no
 * PTE but a uffd-wp marker first faults in through the file's fault method as usual (MISSING and
 * MINOR userfaults first), the new PTE keeping the bit (set_pte_range), and then takes the same
 * write fault.
 *
 * The harness answers the WP event with the op's resolve ioctl; every one of them meets the
 * present PTE and fails with EEXIST (mfill_atomic_install_pte: the PTE is not none; shmem's
 * COPY/ZEROPAGE already meet the folio in the page cache), so the handler unregisters the page
 * (GEN-UFFD-UNREGISTER), which clears its uffd-wp bit (userfaultfd_clear_vma → uffd_wp_range),
 * and the store completes as without uffd.
 */
import { PAGE, UFFD_MODE, err, outcomeEqual, type Outcome } from '../vocab/index.js';
import { eitherOf, fact, nestParts, type Decision } from '../rule.js';
import { withMap } from '../state/update.js';
import { imEach, imGet } from '../state/imap.js';
import type { Mapping, SpecState } from '../state/types.js';
import { sigbusAt, type Acc } from '../mmap/access.js';
import { genUnregister, unregisterPage } from './fault.js';
import { withWp, wpAsyncAt, wpAt, wpRegistered } from './writeprotect.js';

const UFFD_FEATURE_SIGBUS = 1n << 7n;
export const ufd20Fault = fact('UFD-20', 'UFD-20; mm/memory.c do_wp_page (userfaultfd_pte_wp: WP_ASYNC clears the bit, else handle_userfault(VM_UFFD_WP)), set_pte_range (pte_mkuffd_wp over a marker), v7.2');
const WP_LOOSE = 'UFD-20: the page may or may not still carry a stale uffd-wp bit';

const restore = (s: SpecState, mapId: number, mp: number, w: true | 'maybe'): SpecState =>
  withMap(s, mapId, withWp(s.maps.get(mapId)!, mp, mp + 1, w));

/** The store decided on a state where the page has no uffd-wp state (`rest`), as the bit changes it. */
const withBit = (a: Acc, w: true | 'maybe', rest: (b: Acc) => Decision): Decision => {
  const cleared = withMap(a.s, a.mapId, withWp(a.map, a.mp, a.mp + 1, undefined));
  const b: Acc = { ...a, s: cleared, map: cleared.maps.get(a.mapId)! };
  const d = rest(b);
  // A fault that ends in a signal before the write never reached do_wp_page: the bit stays.
  const keep = (o: Outcome, n: SpecState): SpecState => (o.kind === 'signal' ? restore(n, a.mapId, a.mp, w) : n);
  if (wpAsyncAt(a.s, a.map, a.mp)) return { ...d, next: (o) => keep(o, d.next(o)), also: [...(d.also ?? []), ufd20Fault] };
  const regId = imGet(a.map.uffd, a.mp)?.uffd ?? -1;
  const sigbus = ((a.s.uffds.get(regId)?.features ?? 0n) & UFFD_FEATURE_SIGBUS) !== 0n;
  const allowed: Outcome[] = [];
  const nexts: ((o: Outcome) => SpecState)[] = [];
  for (const o of d.allowed) {
    if (o.kind === 'signal' || o.kind === 'uffd') {
      // A signal, or a MISSING/MINOR userfault whose resolve mapped a fresh PTE without the bit.
      allowed.push(o);
      nexts.push((x) => keep(x, d.next(x)));
    } else if (sigbus) {
      // handle_userfault answers VM_FAULT_SIGBUS: nothing is written; the page stays faulted in
      // with the bit (the read-only PTE the marker became).
      const read = rest({ ...a, write: false });
      allowed.push(sigbusAt(a.offset));
      nexts.push(() => restore(read.next(read.allowed[0]!), a.mapId, a.mp, w));
    } else {
      const ev = { write: true, minor: false, wp: true, offset: BigInt(a.mp) * BigInt(PAGE) };
      allowed.push({ kind: 'uffd', event: ev, resolve: err('EEXIST'), access: o });
      nexts.push(() => {
        const n = d.next(o);
        return n.maps.has(a.mapId) ? unregisterPage(n, a.mapId, a.mp) : n;
      });
    }
  }
  const parts = sigbus ? undefined : nestParts(d.parts, ['access']);
  const out: Decision = {
    allowed,
    next: (x) => {
      const i = allowed.findIndex((o) => outcomeEqual(o, x));
      return nexts[i >= 0 ? i : 0]!(x);
    },
    also: [ufd20Fault, ...(sigbus ? [] : [genUnregister])],
    ...(d.loose === undefined ? {} : { loose: d.loose }),
    ...(parts === undefined ? {} : { parts }),
  };
  return out;
};


/**
 * UFD-20 for a store: undefined when the page has no uffd-wp state in a WP-registered VMA (a
 * stale bit in a VMA no longer registered for WP is no obstacle: do_wp_page makes the PTE
 * writable as for any shared page). `rest` decides the access without the bit.
 */
export const wpStore = (a: Acc, rest: (b: Acc) => Decision): Decision | undefined => {
  if (!a.write || !wpRegistered(a.map, a.mp)) return undefined;
  const w = wpAt(a.map, a.mp);
  if (w === undefined) return undefined;
  const d = withBit(a, w, rest);
  if (w === true) return d;
  const cleared = withMap(a.s, a.mapId, withWp(a.map, a.mp, a.mp + 1, undefined));
  return eitherOf(d, rest({ ...a, s: cleared, map: cleared.maps.get(a.mapId)! }), WP_LOOSE);
};

/**
 * UFD-20 for GUP (and kernel-mode copies): the first page of [a, b) a write would find
 * write-protected by a context that is not WP_ASYNC — the fault needs a userfault this
 * UFFD_USER_MODE_ONLY context cannot raise (GEN-UFFD-USER-ONLY): EFAULT there.
 */
export const firstWpStop = (s: SpecState, map: Mapping, a: number, b: number): number | undefined => {
  if (map.wp === undefined || map.wp === null) return undefined;
  let found: number | undefined;
  // Runs, not pages: a write-protected range may span terabytes.
  imEach(map.wp, a, b, (x, y, w) => {
    if (w === undefined) return false;
    imEach(map.uffd, x, y, (ra, _rb, reg) => {
      if (reg === undefined || (reg.mode & UFFD_MODE.WP) === 0n || wpAsyncAt(s, map, ra)) return false;
      found = ra;
      return true;
    });
    return found !== undefined;
  });
  return found;
};

/** A GUP write over [a, b) in a WP_ASYNC range clears the bits it met (do_wp_page). */
export const gupWriteClears = (map: Mapping, a: number, b: number): Mapping => {
  if (map.wp === undefined || map.wp === null) return map;
  let out = map;
  imEach(map.wp, a, b, (x, y, w) => {
    if (w === undefined) return;
    imEach(map.uffd, x, y, (ra, rb, reg) => {
      if (reg !== undefined && (reg.mode & UFFD_MODE.WP) !== 0n) out = withWp(out, ra, rb, undefined);
    });
  });
  return out;
};
