/** load/store ops: resolve the handle, then run the access chain (./access.ts). */
import type { OpOf, Profile } from '../vocab/index.js';
import type { Verdict } from '../verdict.js';
import { cases, decideBy, eitherOf, first, rule, only, type Decision } from '../rule.js';
import { imGet, imSet } from '../state/imap.js';
import { withMap } from '../state/update.js';
import { UFFD_MODE } from '../vocab/index.js';
import { AROUND_LOOSE, genFaultAround, maybeMapped, settled } from './fault-around.js';
import type { Ctx } from '../ctx.js';
import type { SpecState } from '../state/types.js';
import { beyondVma, map16, mapped, map4, performed, shmemEof, segv, sigbusAt, type Acc } from './access.js';
import { map5Fault, map5Private, shmemFault, userfaultRule } from './access-fault.js';
import type { Steps } from '../run.js';
import { map30Access } from './guard.js';
import { wpStore } from '../uffd/wp-fault.js';
import { POISON_CODE_LOOSE, POISON_LOOSE, UFD22_CITE, poisonAt, poisonSignals, ufd22Fact, withPoison } from '../uffd/poison.js';

/** Dead map handle: the address is unmapped → SIGSEGV SEGV_MAPERR at the offset (spec/README.md). */
export const deadMapAccess = rule<Ctx<'load' | 'store'>>({
  id: 'GEN-SEGV-MAPERR',
  cite: 'arch/x86/mm/fault.c do_user_addr_fault; spec/README.md dead map handles',
  decide: ({ s, op }) => (s.maps.has(op.map) ? undefined : only(s, segv(op.offset, 'SEGV_MAPERR'))),
});

const faultChain = [map4, shmemEof, userfaultRule, map5Private, map5Fault] as const;

/**
 * MAP-8 (P-THP-COLLAPSE=UNPATCHED): a fault on a page an unpatched MADV_COLLAPSE may have folded
 * into a large folio either trips the order-0 check (WARN, SIGBUS: S19) or, if no folio was
 * built, completes as usual. Runs after the PTE check: a present PTE needs no fault.
 */
export const map8Large = rule<Acc>({
  id: 'MAP-8',
  cite: 'MAP-8, §4 P-THP-COLLAPSE; S19 (large folio in guest_memfd: WARN and SIGBUS at the next fault)',
  decide: (a): Decision | undefined => {
    if (!imGet(a.ino.folios, a.fp)?.maybeLarge) return undefined;
    const usual = decideBy(a, faultChain, shmemFault);
    const asDecision: Decision = { allowed: usual.allowed, next: (o) => usual.next(o) };
    const bus: Decision = { allowed: [sigbusAt(a.offset)], next: () => a.s };
    return eitherOf(asDecision, bus, 'P-THP-COLLAPSE UNPATCHED: the collapse may or may not have built a large folio');
  },
});

/**
 * GEN-FAULT-AROUND: a MINOR-registered memfd page that an earlier read fault may have mapped
 * (./fault-around.ts). With the PTE the access needs no fault; without it, it raises the MINOR
 * userfault. Either way the page is no longer a maybe afterwards.
 */
export const aroundMinor = rule<Acc>({
  id: 'GEN-FAULT-AROUND',
  cite: genFaultAround.cite,
  decide: (a): Decision | undefined => {
    const reg = imGet(a.map.uffd, a.mp);
    if (!maybeMapped(a.map, a.mp) || reg === undefined || (reg.mode & UFFD_MODE.MINOR) === 0n) return undefined;
    const map = settled(a.map, a.mp, a.mp + 1);
    const b: Acc = { ...a, s: withMap(a.s, a.mapId, map), map };
    const viaPte = performed(b, withMap(b.s, a.mapId, { ...map, ptes: imSet(map.ptes, a.mp, a.mp + 1, true) }));
    const usual = decideBy(b, [map8Large, ...faultChain], shmemFault);
    return eitherOf(viaPte, { allowed: usual.allowed, next: (o) => usual.next(o) }, AROUND_LOOSE);
  },
});

/** UFD-20: a store on a page with uffd-wp state (../uffd/wp-fault.ts); the rest of the chain decides the access itself. */
const afterWp = [mapped, aroundMinor, map8Large, ...faultChain] as const;
export const ufd20Store = rule<Acc>({
  id: 'UFD-20',
  cite: 'UFD-20; mm/memory.c do_wp_page (userfaultfd_pte_wp), v7.2',
  decide: (a) => wpStore(a, (b) => {
    const v = decideBy(b, afterWp, shmemFault);
    // A store's outcome carries no value, so no parts are lost here.
    return { allowed: v.allowed, next: (o) => v.next(o), ...(v.loose === undefined ? {} : { loose: v.loose }) };
  }),
});

/**
 * UFD-22: a load or store on a page with a poison marker faults with VM_FAULT_HWPOISON before the
 * file's fault method, guard or uffd-wp markers are looked at (mm/memory.c handle_pte_marker):
 * SIGBUS, whose si_code depends on CONFIG_MEMORY_FAILURE (../uffd/poison.ts). The VMA's
 * protection is checked first (access_error).
 */
const afterPoison = [ufd20Store, mapped, aroundMinor, map8Large, ...faultChain] as const;
export const ufd22Access = rule<Acc>({
  id: 'UFD-22',
  cite: UFD22_CITE + '; arch/x86/mm/fault.c do_sigbus (BUS_MCEERR_AR only with CONFIG_MEMORY_FAILURE)',
  decide: (a) => {
    const v = poisonAt(a.map, a.mp);
    if (v === undefined) return undefined;
    const hit = cases(poisonSignals(a.offset).map((o) => [o, () => a.s] as const), POISON_CODE_LOOSE, [ufd22Fact]);
    if (v === true) return hit;
    const cleared = withMap(a.s, a.mapId, withPoison(a.map, a.mp, a.mp + 1, undefined));
    const v2 = decideBy({ ...a, s: cleared, map: cleared.maps.get(a.mapId)! }, afterPoison, shmemFault);
    // The access's outcome parts stay with the first decision: an either of two accesses keeps none.
    return eitherOf(hit, { allowed: v2.allowed, next: (o) => v2.next(o), ...(v2.loose === undefined ? {} : { loose: v2.loose }) }, POISON_LOOSE);
  },
});

export const accessChain = [beyondVma, map16, map30Access, ufd22Access, ufd20Store, mapped, aroundMinor, map8Large, ...faultChain] as const;

/** The rules that decide before a normal fault: when none does, the access faults the page in (MAP-5, GEN-SHMEM-FAULT). */
export const normalChain = [beyondVma, map16, map30Access, ufd22Access, mapped, aroundMinor, map8Large, map4, shmemEof, userfaultRule, map5Private] as const;

/** The access context of a load or store through a live map, or undefined for a dead map handle. */
export const accessCtx = (p: Profile, s: SpecState, op: OpOf<'load'> | OpOf<'store'>): Acc | undefined => {
  const map = s.maps.get(op.map);
  if (map === undefined) return undefined;
  const ino = s.inodes.get(map.inode)!;
  const mp = Number(op.offset >> 12n);
  return {
    p, s, mapId: op.map, map, ino, offset: op.offset,
    mp, fp: map.pgoff + mp, off: Number(op.offset & 4095n), write: op.kind === 'store',
    value: op.kind === 'store' ? op.value : 0, how: op.onUserfault, fill: op.fill,
  };
};

export const hostAccess = (c: Ctx<'load'> | Ctx<'store'>): Verdict<SpecState> => {
  const dead = first(c as Ctx<'load' | 'store'>, [deadMapAccess]);
  if (dead !== undefined) return dead;
  return decideBy(accessCtx(c.p, c.s, c.op)!, accessChain, shmemFault);
};

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  load: (p, s, o) => hostAccess({ p, s, op: o }),
  store: (p, s, o) => hostAccess({ p, s, op: o }),
} satisfies Steps;
