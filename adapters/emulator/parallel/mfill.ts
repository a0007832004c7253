/**
 * Resolving a userfault page (mm/userfaultfd.c mfill_atomic → shmem's or the gmem series'
 * mfill paths), split where it can be preempted, with mmap_lock held for read throughout:
 *  - CONTINUE: the folio is looked up and locked (shmem_get_folio with SGP_NOALLOC returns it
 *    locked), then the PTE is installed and the folio unlocked;
 *  - COPY / ZEROPAGE: a new folio is allocated and filled with no lock held, then inserted into the
 *    page cache — which fails with EEXIST if a folio got there first — and mapped.
 * The same split serves the monitor (a blocked access's resolve) and the uffdResolve op (one page
 * in a branch; longer ranges run whole). race-continue-punch installs a folio looked up before the
 * lock; race-copy-copy does not check again at insertion.
 */
import { err, ok, type Errno, type OpOf, type UffdResolveHow } from '../../../spec/vocab/index.js';
import { filledFolio, install, mfillPlan } from '../mfill.js';
import { resolveTarget } from '../ops/uffd.js';
import { grab, lookup, makeUptodate } from '../pagecache.js';
import type { Mapping } from '../state.js';
import type { OpGen, Par, PendingFault, Req } from './engine.js';
import { atomic } from './atomic.js';
import { folioLock, mmLock } from './locks.js';

/** How many events one access may raise before the monitor unregisters its page (as the native monitor does). */
const MAX_EVENTS = 8;

export function* resolvePage(x: Par, m: Mapping, mp: number, how: UffdResolveHow, fill: number): Generator<Req, Errno | null, void> {
  const k = x.k;
  const inode = m.inode;
  const page = m.pgoff + mp;
  const gmemBug = (id: 'race-continue-punch' | 'race-copy-copy'): boolean => inode.kind === 'gmem' && k.bug(id);
  yield { kind: 'acquire', locks: [mmLock('R')] };
  // mfill_atomic finds the VMA and needs it registered (an earlier failed answer may have
  // unregistered the page meanwhile): otherwise ENOENT, as for the uffdResolve op.
  if (!m.alive || !m.uffd.has(mp)) return 'ENOENT';
  const plan = mfillPlan(k, m, mp, how);
  if (plan.kind === 'error') return plan.errno;
  if (plan.kind === 'anon') return mfillAnon(m, page, how, fill);
  const lock = folioLock(inode.ino, page);
  if (plan.kind === 'continue') {
    if (gmemBug('race-continue-punch')) {
      // The folio is found, then the lock is taken only after a window: nobody checks it is still cached.
      const found = lookup(k, inode, page) ?? grab(k, inode, page);
      yield { kind: 'pause' };
      makeUptodate(found);
      return install(k, m, page, found);
    }
    yield { kind: 'acquire', locks: [lock] };
    // Under the lock the plan is made again: a punch may have removed the folio meanwhile.
    const again = mfillPlan(k, m, mp, how);
    if (again.kind === 'error') return again.errno;
    const folio = grab(k, inode, page);
    makeUptodate(folio);
    install(k, m, page, folio);
    x.release(lock);
    return null;
  }
  // COPY / ZEROPAGE: the new folio is filled before it is inserted (a window with no lock held).
  yield { kind: 'pause' };
  yield { kind: 'acquire', locks: [lock] };
  if (!gmemBug('race-copy-copy')) {
    const again = mfillPlan(k, m, mp, how);
    if (again.kind === 'error') return again.errno;
  }
  const folio = grab(k, inode, page);
  folio.data = filledFolio(how, fill, folio.node).data;
  folio.uptodate = true;
  install(k, m, page, folio);
  x.release(lock);
  return null;
}

const mfillAnon = (m: Mapping, page: number, how: UffdResolveHow, fill: number): null => {
  m.anon.set(page, filledFolio(how, fill, 0));
  return null;
};

/**
 * The monitor's answer to one userfault; a failed answer (or too many events) unregisters the
 * page, which wakes the access. UFFDIO_UNREGISTER changes the VMA: it takes mmap_lock for write
 * (fs/userfaultfd.c userfaultfd_unregister), so it waits for every resolve in flight.
 */
export function* monitorResolve(x: Par, f: PendingFault): Generator<Req, Errno | null, void> {
  const r = yield* resolvePage(x, f.m, f.mp, f.how, f.fill);
  x.releaseAll();
  if (r !== null || f.events > MAX_EVENTS) {
    yield { kind: 'acquire', locks: [mmLock('W')] };
    // userfaultfd_clear_vma resolves a WP-registered VMA's uffd-wp bits first (UFD-20).
    if (((f.m.uffd.get(f.mp)?.mode ?? 0n) & 2n) !== 0n) f.m.wp.delete(f.mp, f.mp + 1);
    f.m.uffd.delete(f.mp, f.mp + 1);
  }
  return r;
}

/** The uffdResolve op: one page split as above, a longer range whole. */
export function* resolveTask(x: Par, op: OpOf<'uffdResolve'>): OpGen {
  const t = resolveTarget(x.k, op);
  if ('kind' in t) return t;
  if (t.e - t.s !== 1) return yield* atomic(x, op);
  const r = yield* resolvePage(x, t.m, t.s, op.how, op.fill);
  return r === null ? ok({ count: 4096 }) : err(r);
}
