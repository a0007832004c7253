/**
 * A host load or store, split where the kernel's fault path can be preempted or sleeps
 * (arch/x86/mm/fault.c → mm/memory.c handle_mm_fault → the file's ->fault):
 *  1. mmap_lock for read (guest_memfd with the conversion series: the invalidate lock shared too,
 *     so that the shareability check and the PTE install are not split by a conversion);
 *  2. the checks up to the folio (EOF, shareability, userfault): a userfault queues the event,
 *     drops every lock and sleeps until the monitor resolved it, then the access starts over;
 *  3. the folio lock: find or allocate the folio (kvm_gmem_get_folio / shmem_get_folio return it
 *     locked), clear it if it is not up to date, install the PTE, unlock;
 *  4. start over: the access finds the PTE (or faults again if a punch or DONTNEED zapped it).
 * The race bugs open windows here: race-fault-punch-stale and race-fault-clear-twice drop the folio
 * lock inside step 3, race-convert-fault-pte leaves out the invalidate lock of step 1.
 */
import { err, ok, sigbus, type OpOf, type Outcome, type UffdEvent } from '../../../spec/vocab/index.js';
import { TargetBrokenError } from '../../../spec/vocab/errors.js';
import { installFault, planFault } from '../fault.js';
import { dmapOnUse, grab, makeUptodate } from '../pagecache.js';
import { accessPre, finish, UFFD_FEATURE_SIGBUS } from '../ops/access.js';
import type { Mapping } from '../state.js';
import type { OpGen, Par, Req } from './engine.js';
import { folioLock, invalLock, mmLock, type Lock } from './locks.js';

const UFFD_FEATURE_WP_ASYNC = 1n << 15n;

/** Faults an access may take before the engine calls it a livelock (the native monitor gives up after 8 events). */
const MAX_ATTEMPTS = 32;

export function* accessTask(x: Par, op: OpOf<'load'> | OpOf<'store'>): OpGen {
  const k = x.k;
  const write = op.kind === 'store';
  let first: { readonly event: UffdEvent; readonly resolve: Outcome } | undefined;
  const done = (o: Outcome): Outcome => (first === undefined ? o : { kind: 'uffd', event: first.event, resolve: first.resolve, access: o });
  for (let events = 0, attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const m0 = k.liveMap(op.map);
    const converting = m0 !== undefined && m0.inode.kind === 'gmem' && k.profile.features.conversion;
    const locks: Lock[] = [mmLock('R'), ...(converting && !k.bug('race-convert-fault-pte') ? [invalLock(m0.inode.ino, 'R')] : [])];
    yield { kind: 'acquire', locks };
    const pre = accessPre(k, op);
    if ('kind' in pre) return done(pre);
    const { m, mp } = pre;
    const plan = planFault(k, m, mp, write, true);
    // UFD-20: a store meeting the uffd-wp bit in a WP-registered VMA (do_wp_page).
    const reg = plan.kind === 'mapped' && write && m.wp.has(mp) ? m.uffd.get(mp) : undefined;
    if (reg !== undefined && (reg.mode & 2n) !== 0n) {
      if ((reg.ctx.features & UFFD_FEATURE_WP_ASYNC) !== 0n) m.wp.delete(mp, mp + 1);
      else if ((reg.ctx.features & UFFD_FEATURE_SIGBUS) !== 0n) return done(sigbus(op.offset));
      else {
        x.releaseAll();
        events++;
        const f = x.post({ m, mp, how: op.onUserfault, fill: op.fill, events });
        yield { kind: 'wait', fault: f };
        first ??= { event: { write, minor: false, wp: true, offset: BigInt(mp) * 4096n }, resolve: f.result === null || f.result === undefined ? ok({ count: 4096 }) : err(f.result) };
        continue;
      }
    }
    if (plan.kind === 'mapped' || plan.kind === 'sigbus' || plan.kind === 'segv' || plan.kind === 'hwpoison') return done(finish(op, plan));
    if (plan.kind === 'userfault') {
      if ((plan.reg.ctx.features & UFFD_FEATURE_SIGBUS) !== 0n) return done(sigbus(op.offset));
      // handle_userfault: the event is queued and the thread sleeps with mmap_lock released.
      x.releaseAll();
      events++;
      const f = x.post({ m, mp, how: op.onUserfault, fill: op.fill, events });
      yield { kind: 'wait', fault: f };
      first ??= {
        event: { write, minor: plan.minor, wp: false, offset: BigInt(mp) * 4096n },
        resolve: f.result === null || f.result === undefined ? ok({ count: 4096 }) : err(f.result),
      };
      continue;
    }
    // race-convert-fault-pte: the shareability check above is not ordered with a conversion.
    if (converting && k.bug('race-convert-fault-pte')) yield { kind: 'pause' };
    yield* fillFolio(x, m, mp, plan.page, write);
    x.releaseAll();
  }
  throw new TargetBrokenError(`emulator parallel engine: ${op.kind} at map ${op.map}+${op.offset} faulted ${MAX_ATTEMPTS} times`);
}

/**
 * Step 3: under the folio lock, find or allocate, clear if not up to date, map. The page-cache
 * lookup decides userfaults (shmem_get_folio_gfp: a missing folio in a MISSING-registered VMA, a
 * present one in a MINOR-registered VMA), and a folio truncated while we waited for its lock sends
 * the lookup round again: so the plan is made again under the lock, and if it is no longer a
 * plain fill (a userfault now, or someone mapped the page) the access starts over.
 */
function* fillFolio(x: Par, m: Mapping, mp: number, page: number, write: boolean): Generator<Req, void, void> {
  const k = x.k;
  const inode = m.inode;
  const lock = folioLock(inode.ino, page);
  yield { kind: 'acquire', locks: [lock] };
  const again = planFault(k, m, mp, write, true);
  if (again.kind === 'userfault' || again.kind === 'mapped' || again.kind === 'segv' || again.kind === 'hwpoison') {
    x.release(lock);
    return;
  }
  const folio = grab(k, inode, page);
  const gmemBug = (id: 'race-fault-clear-twice' | 'race-fault-punch-stale'): boolean => inode.kind === 'gmem' && k.bug(id);
  if (gmemBug('race-fault-clear-twice')) {
    // The up-to-date test and the clear are not under one hold of the lock.
    const clear = !folio.uptodate;
    x.release(lock);
    yield { kind: 'pause' };
    if (clear) {
      folio.data = null;
      folio.uptodate = true;
    }
    dmapOnUse(k, inode, folio);
    installFault(m, page, folio, write);
    return;
  }
  makeUptodate(folio);
  dmapOnUse(k, inode, folio);
  if (gmemBug('race-fault-punch-stale')) {
    // The lock is dropped before the PTE goes in, and nobody checks the folio is still cached.
    x.release(lock);
    yield { kind: 'pause' };
  }
  installFault(m, page, folio, write);
  x.release(lock);
}
