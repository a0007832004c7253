/** munmap and mprotect of a whole mapping. */
import { PROT, err, ok } from '../vocab/index.js';
import { only, rule, andThen } from '../rule.js';
import type { Ctx, MapCtx } from '../ctx.js';
import { dropMapRef, life1 } from '../lifetime/release.js';
import { withMap } from '../state/update.js';
import { deadMap } from '../lifetime/handles.js';
import { must, onMap, type Steps } from '../run.js';
import { withProt } from './prot-at.js';

/**
 * GEN-MUNMAP: munmap of a dead map handle is a munmap of an unmapped range: 0 (the native target
 * skips the syscall). A live mapping goes, with its VMA policy and uffd registration; the inode
 * may go with it (LIFE-1).
 */
export const munmapRule = rule<Ctx<'munmap'>>({
  id: 'GEN-MUNMAP',
  cite: 'mm/vma.c do_vmi_munmap; LIFE-1, MAP-6 (data outlives munmap)',
  decide: ({ s, op }) => {
    const m = s.maps.get(op.map);
    return m === undefined ? only(s, ok()) : andThen(ok(), () => dropMapRef(withMap(s, op.map, undefined), m.inode), [life1]);
  },
});
export const munmapChain = [munmapRule] as const;

const PROT_SEM = 0x8n;
const PROT_GROWSDOWN = 0x01000000n;
const PROT_GROWSUP = 0x02000000n;
const RWX = BigInt(PROT.READ | PROT.WRITE | PROT.EXEC);
/**
 * MAP-19: mprotect's prot is an unsigned long. GROWSDOWN with GROWSUP → EINVAL; then
 * arch_validate_prot (the generic one on x86) refuses any bit outside READ|WRITE|EXEC|SEM, bits
 * 32..63 included; then the VMA lookup (dead map: ENOMEM); GROWSDOWN or GROWSUP alone on a VMA
 * that cannot grow → EINVAL (gmem and memfd VMAs never can).
 */
export const mprotectArgs = rule<Ctx<'mprotect'>>({
  id: 'MAP-19',
  cite: 'MAP-19; mm/mprotect.c do_mprotect_pkey; include/linux/mman.h arch_validate_prot, v7.2',
  decide: ({ s, op }) => {
    const grows = op.prot & (PROT_GROWSDOWN | PROT_GROWSUP);
    const prot = op.prot & ~(PROT_GROWSDOWN | PROT_GROWSUP);
    if (grows === (PROT_GROWSDOWN | PROT_GROWSUP) || (prot & ~(RWX | PROT_SEM)) !== 0n) return only(s, err('EINVAL'));
    if (!s.maps.has(op.map)) return only(s, err('ENOMEM'));
    return grows !== 0n ? only(s, err('EINVAL')) : undefined;
  },
});
export const mprotectDead = deadMap<Ctx<'mprotect'>>('ENOMEM');
export const mprotectPre = [mprotectDead, mprotectArgs] as const;

/** MAP-3: the gmem VMA lacks VM_MAYEXEC (noexec mount), so adding PROT_EXEC is EACCES. */
export const map3Mprotect = rule<MapCtx<'mprotect'>>({
  id: 'MAP-3',
  cite: 'MAP-3; mm/mprotect.c mprotect_fixup VM_MAYEXEC (obs:MM-40)',
  decide: ({ s, op, ino }) => (ino.kind === 'gmem' && (op.prot & BigInt(PROT.EXEC)) !== 0n ? only(s, err('EACCES')) : undefined),
});

/** MAP-16: protection changes are generic; stores through a read-only mapping then SIGSEGV. */
export const map16Mprotect = rule<MapCtx<'mprotect'>>({
  id: 'MAP-16',
  cite: 'MAP-16; mm/mprotect.c (obs:HF-50..53)',
  // The whole mapping: every page gets the protection, a partial mprotect's runs go (MAP-19).
  decide: ({ s, op, map }) => andThen(ok(), () => withMap(s, op.map, withProt(map, 0, map.pages, Number(op.prot & RWX)))),
});
export const mprotectMapChain = [map3Mprotect, map16Mprotect] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  munmap: (p, s, o) => must({ p, s, op: o }, munmapChain),
  mprotect: (p, s, o) => onMap({ p, s, op: o }, mprotectPre, o.map, mprotectMapChain),
} satisfies Steps;
