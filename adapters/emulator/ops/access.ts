/**
 * One-byte host loads and stores through a mapping. SIGSEGV for addresses outside any VMA
 * (SEGV_MAPERR) or against the VMA's protection (SEGV_ACCERR); SIGBUS/BUS_ADRERR from the fault
 * path (MAP-4/5); a userfault is answered by the op's handler and, if the answer fails, the faulting
 * page is unregistered and the access completes as without uffd (the `uffd` Outcome contract).
 */
import { err, ok, PROT, sigbus, UFFD_FEATURE, UFFD_MODE } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { pageProt } from '../prot.js';
import type { Mapping } from '../state.js';
import { hostFault, readByte, writeByte } from '../fault.js';
import { mfillPage } from '../mfill.js';

export const UFFD_FEATURE_SIGBUS = 1n << 7n;

const segv = (offset: bigint, code: 'SEGV_MAPERR' | 'SEGV_ACCERR'): Outcome => ({ kind: 'signal', signal: 'SIGSEGV', code, offset });

/** The checks before the fault path: no VMA (SEGV_MAPERR), protection (SEGV_ACCERR); else the mapping and map page. */
export const accessPre = (k: Kernel, op: OpOf<'load'> | OpOf<'store'>): Outcome | { readonly m: Mapping; readonly mp: number } => {
  const m = k.liveMap(op.map);
  // The VMA spans whole pages: bytes past `length` up to the page end are inside it.
  if (!m || op.offset < 0n || op.offset >= BigInt(m.npages) * 4096n) return segv(op.offset, 'SEGV_MAPERR');
  const write = op.kind === 'store';
  // x86 access_error: a store needs VM_WRITE; a load only an accessible VMA (write implies read).
  const mp = Number(op.offset / 4096n);
  // The page's own VMA decides (a partial mprotect splits it).
  if (!(pageProt(m, mp) & (write ? PROT.WRITE : PROT.READ | PROT.WRITE | PROT.EXEC))) return segv(op.offset, 'SEGV_ACCERR');
  return { m, mp };
};

export const access = (k: Kernel, op: OpOf<'load'> | OpOf<'store'>): Outcome => {
  const pre = accessPre(k, op);
  if ('kind' in pre) return pre;
  const { m, mp } = pre;
  const write = op.kind === 'store';
  const first = hostFault(k, m, mp, write, true);
  if (first.kind === 'mapped' && write) {
    const wp = wpFault(k, m, mp, op);
    if (wp !== undefined) return wp;
  }
  if (first.kind !== 'userfault') return finish(op, first);
  // UFFD_FEATURE_SIGBUS: handle_userfault answers VM_FAULT_SIGBUS instead of queueing an event.
  if ((first.reg.ctx.features & UFFD_FEATURE_SIGBUS) !== 0n) return sigbus(op.offset);
  const event = { write, minor: first.minor, wp: false, offset: BigInt(mp) * 4096n };
  const failed = mfillPage(k, m, mp, op.onUserfault, op.fill);
  const resolve = failed ? err(failed) : ok({ count: 4096 });
  // A failed resolve: the handler unregisters the faulting page only, which wakes the waiter
  // (outcome.ts `uffd`, spec/README.md); the access then completes as without uffd.
  if (failed) unregisterPage(m, mp);
  return { kind: 'uffd', event, resolve, access: finish(op, hostFault(k, m, mp, write, false)) };
};

/** The access once the fault path answered: SIGBUS, or the byte read or written. */
export const finish = (op: OpOf<'load'> | OpOf<'store'>, r: ReturnType<typeof hostFault>): Outcome => {
  if (r.kind === 'sigbus') return sigbus(op.offset);
  if (r.kind === 'segv') return segv(op.offset, 'SEGV_MAPERR');
  if (r.kind === 'userfault') return sigbus(op.offset);
  const off = Number(op.offset % 4096n);
  if (op.kind === 'load') return ok({ value: readByte(r.folio, off) });
  writeByte(r.folio, off, op.value);
  return ok();
};

/** The handler's unregister of one page: a WP-registered VMA drops its uffd-wp bits first (userfaultfd_clear_vma). */
const unregisterPage = (m: Mapping, mp: number): void => {
  if (((m.uffd.get(mp)?.mode ?? 0n) & UFFD_MODE.WP) !== 0n) m.wp.delete(mp, mp + 1);
  m.uffd.delete(mp, mp + 1);
};

/**
 * A store that found its page mapped with the uffd-wp bit in a WP-registered VMA (do_wp_page):
 * WP_ASYNC clears the bit and the store goes on (undefined: finish as usual); otherwise the
 * userfault — SIGBUS under UFFD_FEATURE_SIGBUS, else an event the handler answers with the op's
 * resolve, which meets the present PTE (EEXIST), so it unregisters the page and the store completes.
 */
const wpFault = (k: Kernel, m: Mapping, mp: number, op: OpOf<'store'>): Outcome | undefined => {
  const reg = m.uffd.get(mp);
  if (!m.wp.has(mp) || reg === undefined || (reg.mode & UFFD_MODE.WP) === 0n) return undefined;
  if ((reg.ctx.features & UFFD_FEATURE.WP_ASYNC) !== 0n) {
    m.wp.delete(mp, mp + 1);
    return undefined;
  }
  if ((reg.ctx.features & UFFD_FEATURE_SIGBUS) !== 0n) return sigbus(op.offset);
  const event = { write: true, minor: false, wp: true, offset: BigInt(mp) * 4096n };
  const failed = mfillPage(k, m, mp, op.onUserfault, op.fill);
  const resolve = failed ? err(failed) : ok({ count: 4096 });
  if (failed) unregisterPage(m, mp);
  return { kind: 'uffd', event, resolve, access: finish(op, hostFault(k, m, mp, true, false)) };
};
