/**
 * When the native target offers the guest-side ops, and why not otherwise. guestAccess runs a real
 * guest (ops-guest.ts) wherever the probe saw guest code read guest_memfd (P-GUEST-PATH = GMEM,
 * decided by behaviour in probe.ts); guestMapLevel is never offered, for the reason below.
 */
import type { Probed } from '../../../spec/vocab/index.js';


/**
 * KVM shows the guest mapping level only as VM-wide counts (the binary stats pages_4k, pages_2m,
 * pages_1g of KVM_GET_STATS_FD) and tracepoints; nothing tells the level at one GPA, and the only
 * way to learn whether a GPA is mapped from those counts is to fault it in or zap it, which changes
 * the very state the spec predicts.
 */
export const GUEST_LEVEL_UNSUPPORTED =
  'KVM exposes the guest mapping level only as VM-wide counts (binary stats pages_4k/pages_2m/pages_1g); ' +
  'the level at one GPA cannot be read without faulting it in or zapping it, which changes the state under test';

/** Why guestAccess is not offered, given what the guest-path probe saw (undefined: it is offered). */
export const guestAccessUnsupported = (guestPath: Probed<'GMEM' | 'UADDR'>): string | undefined => {
  if (guestPath === 'GMEM') return undefined;
  if (guestPath === 'UADDR') {
    return 'guest accesses on this kernel are served from the memslot userspace_addr, never from guest_memfd ' +
      '(probed: a real guest read the userspace_addr page of a guest_memfd slot; kvm_pvm does this, ENV-4)';
  }
  return `no real guest could show how guest accesses are served here (${guestPath.undecided})`;
};
