/**
 * Guest accesses served from the slot's userspace_addr: the guest sees the bytes its uaddr
 * mapping shows (a host access through that mapping, with its faults). If that address cannot
 * be accessed (NULL, unmapped, SIGBUS), KVM cannot serve the access: on kvm_pvm the guest dies
 * (INTERNAL_ERROR or SHUTDOWN, obs:ST-16/66); upstream KVM_RUN fails with EFAULT and no exit
 * information: GUP's failure becomes KVM_PFN_ERR_FAULT, which kvm_handle_error_pfn turns into
 * -EFAULT (arch/x86/kvm/mmu/mmu.c, v7.2). A memory-fault exit is only prepared on the gmem path
 * and for private/shared mismatches (kvm_mmu_faultin_pfn_gmem, kvm_mmu_faultin_pfn), not here;
 * measured on Debian 7.2.13 in `gmemcheck vm` (a plain slot on an unmapped address: EFAULT).
 */
import { err, ok, type Outcome } from '../vocab/index.js';
import { cases, only, rule, type Decision } from '../rule.js';
import { dmap5, gupRefused } from '../directmap/rules.js';
import type { Ctx } from '../ctx.js';
import type { SpecState } from '../state/types.js';
import { routeOf } from './route.js';
import { hostAccess } from '../mmap/load-store.js';

type C = Ctx<'guestAccess'>;

const failExits = (c: C): readonly Outcome[] =>
  c.p.variants.guestPath === 'UADDR'
    ? [{ kind: 'exit', reason: 'INTERNAL_ERROR' }, { kind: 'exit', reason: 'SHUTDOWN' }]
    : [err('EFAULT')];

/**
 * SLOT-28: upstream KVM takes the page behind userspace_addr with GUP (hva_to_pfn), which refuses
 * a NO_DIRECT_MAP file's mapping (DMAP-5) wherever the offset lies: EFAULT, as for a bad hva.
 * kvm_pvm (UADDR) copies with user accesses, which NO_DIRECT_MAP does not stop.
 */
export const slot28 = rule<C>({
  id: 'SLOT-28',
  cite: 'SLOT-28; virt/kvm/kvm_main.c hva_to_pfn (GUP of userspace_addr), arch/x86/kvm/mmu/mmu.c kvm_handle_error_pfn (-EFAULT), v7.2; NO_DIRECT_MAP v12 06/16 "mm: introduce AS_NO_DIRECT_MAP" (GUP refused)',
  decide: ({ p, s, op }) => {
    if (p.variants.guestPath === 'UADDR') return undefined;
    const r = routeOf(p, s, s.vms.get(op.vm)!, op.gpa);
    if (r.kind !== 'uaddr' || r.slot.uaddr.kind !== 'map') return undefined;
    const m = s.maps.get(r.slot.uaddr.map);
    const ino = m === undefined ? undefined : s.inodes.get(m.inode);
    return ino !== undefined && gupRefused(ino) ? only(s, err('EFAULT'), [dmap5]) : undefined;
  },
});

const LOOSE_FAIL = 'kvm_pvm dies with INTERNAL_ERROR (real mode) or SHUTDOWN (long mode) when userspace_addr cannot be accessed (obs:ST-16/66)';

export const viaUaddr = (c: C): Decision => {
  const { p, s, op } = c;
  const r = routeOf(p, s, s.vms.get(op.vm)!, op.gpa);
  const fail = (): Decision => {
    const ex = failExits(c);
    return cases(ex.map((o) => [o, () => s] as const), ex.length > 1 ? LOOSE_FAIL : undefined);
  };
  if (r.kind !== 'uaddr' || r.slot.uaddr.kind !== 'map' || !s.maps.has(r.slot.uaddr.map)) return fail();
  const offset = r.slot.uaddr.offset + r.delta;
  const map = r.slot.uaddr.map;
  const host = op.write
    ? hostAccess({ p, s, op: { kind: 'store', map, offset, value: op.value, onUserfault: 'ZEROPAGE', fill: 0 } })
    : hostAccess({ p, s, op: { kind: 'load', map, offset, onUserfault: 'ZEROPAGE', fill: 0 } });
  const pairs: [Outcome, () => SpecState][] = [];
  for (const o of host.allowed) {
    if (o.kind !== 'ok') continue;
    const v = op.write ? op.value : (o.value as { value: number }).value;
    pairs.push([ok({ value: v }), () => host.next(o)]);
  }
  if (pairs.length === 0 || host.allowed.some((o) => o.kind !== 'ok')) {
    for (const o of failExits(c)) pairs.push([o, () => s]);
  }
  return cases(pairs, pairs.length > 1 ? (host.loose ?? LOOSE_FAIL) : undefined);
};
