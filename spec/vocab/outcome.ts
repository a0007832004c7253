/**
 * What a target observed for one op. Kernel errors are data: an errno by name, a signal with its
 * si_code and the map-relative fault offset, a userfault, or a KVM exit. Only harness breakage
 * throws (see spec/vocab/target.ts).
 */
import type { Errno } from './errno.js';

export type Value =
  | number | bigint | boolean | string | null
  | readonly Value[]
  | { readonly [k: string]: Value };

export type SignalName = 'SIGBUS' | 'SIGSEGV';
export type SigCode = 'BUS_ADRERR' | 'BUS_OBJERR' | 'BUS_MCEERR_AR' | 'SEGV_ACCERR' | 'SEGV_MAPERR' | 'OTHER';

export interface UffdEvent {
  /** UFFD_PAGEFAULT_FLAG_WRITE / _MINOR / _WP. */
  readonly write: boolean;
  readonly minor: boolean;
  readonly wp: boolean;
  /** Map-relative offset of the faulting page (page-aligned). */
  readonly offset: bigint;
}

export type Outcome =
  | { readonly kind: 'ok'; readonly value?: Value }
  | { readonly kind: 'errno'; readonly errno: Errno; readonly errorOffset?: bigint }
  /** `offset` is si_addr relative to the start of the mapping the access went through. */
  | { readonly kind: 'signal'; readonly signal: SignalName; readonly code: SigCode; readonly offset: bigint }
  /**
   * The access blocked on a userfault: `event` is what the handler read, `resolve` what its
   * resolving ioctl returned, `access` how the blocked access finished. If the resolve failed the
   * target unregisters the faulting page's range (UFFDIO_UNREGISTER wakes the waiter), so the
   * access finishes as it would without uffd.
   */
  | { readonly kind: 'uffd'; readonly event: UffdEvent; readonly resolve: Outcome; readonly access: Outcome }
  /** KVM_RUN returned to userspace with an exit reason (e.g. MEMORY_FAULT) or failed. */
  | { readonly kind: 'exit'; readonly reason: string; readonly gpa?: bigint; readonly private?: boolean };

export type OutcomeKind = Outcome['kind'];

export const ok = (value?: Value): Outcome => (value === undefined ? { kind: 'ok' } : { kind: 'ok', value });
export const err = (errno: Errno): Outcome => ({ kind: 'errno', errno });
export const sigbus = (offset: bigint, code: SigCode = 'BUS_ADRERR'): Outcome => ({ kind: 'signal', signal: 'SIGBUS', code, offset });

/**
 * The one equality of outcomes and values (bigint-aware, key order and undefined fields ignored):
 * the spec's `next` matches observed outcomes with it and the harness judges `observed ∈ allowed`
 * with it, so the two can never disagree.
 */
export const valueEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valueEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!valueEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
};

export const outcomeEqual = (a: Outcome, b: Outcome): boolean => valueEqual(a, b);

/** Is `observed` one of the `allowed` outcomes? */
export const isAllowed = (observed: Outcome, allowed: readonly Outcome[]): boolean =>
  allowed.some((o) => valueEqual(o, observed));
