/** munmap and mprotect of a whole mapping. */
import { PROT, err, ok } from '../vocab/index.js';
import { only, rule, andThen } from '../rule.js';
import type { Ctx, MapCtx } from '../ctx.js';
import { dropMapRef, life1 } from '../lifetime/release.js';
import { withMap } from '../state/update.js';
import { deadMap } from '../lifetime/handles.js';
import { must, onMap, type Steps } from '../run.js';

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

const PROT_SEM = 0x8;
/** GEN-MPROTECT: x86 arch_validate_prot, then the VMA lookup (dead map: ENOMEM). */
export const mprotectArgs = rule<Ctx<'mprotect'>>({
  id: 'GEN-MPROTECT',
  cite: 'mm/mprotect.c do_mprotect_pkey; arch/x86/include/asm/mman.h arch_validate_prot',
  decide: ({ s, op }) =>
    (op.prot & ~(PROT.READ | PROT.WRITE | PROT.EXEC | PROT_SEM)) !== 0 ? only(s, err('EINVAL'))
      : !s.maps.has(op.map) ? only(s, err('ENOMEM')) : undefined,
});
export const mprotectDead = deadMap<Ctx<'mprotect'>>('ENOMEM');
export const mprotectPre = [mprotectDead, mprotectArgs] as const;

/** MAP-3: the gmem VMA lacks VM_MAYEXEC (noexec mount), so adding PROT_EXEC is EACCES. */
export const map3Mprotect = rule<MapCtx<'mprotect'>>({
  id: 'MAP-3',
  cite: 'MAP-3; mm/mprotect.c mprotect_fixup VM_MAYEXEC (obs:MM-40)',
  decide: ({ s, op, ino }) => (ino.kind === 'gmem' && (op.prot & PROT.EXEC) !== 0 ? only(s, err('EACCES')) : undefined),
});

/** MAP-16: protection changes are generic; stores through a read-only mapping then SIGSEGV. */
export const map16Mprotect = rule<MapCtx<'mprotect'>>({
  id: 'MAP-16',
  cite: 'MAP-16; mm/mprotect.c (obs:HF-50..53)',
  decide: ({ s, op, map }) => andThen(ok(), () => withMap(s, op.map, { ...map, prot: op.prot })),
});
export const mprotectMapChain = [map3Mprotect, map16Mprotect] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  munmap: (p, s, o) => must({ p, s, op: o }, munmapChain),
  mprotect: (p, s, o) => onMap({ p, s, op: o }, mprotectPre, o.map, mprotectMapChain),
} satisfies Steps;
