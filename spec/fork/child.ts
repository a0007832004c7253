/**
 * The forked child (`child`): fork(), then one action in the child on the state it inherited.
 *
 * What the child inherits (kernel/fork.c dup_mmap, v6.18 = v7.2): every VMA of the parent except
 * those marked VM_DONTCOPY by MADV_DONTFORK (MAP-24). A shared file VMA without an anon_vma gets
 * no page tables (vma_needs_copy is false), so the child's first access to it faults through the
 * file's fault handler like any fault: it reaches the same page-cache folios (MAP-11), and every
 * refusal of that handler applies — past EOF, a private offset (MAP-5 on 6.18, SHR-5 under the
 * conversion series). A MAP_PRIVATE VMA's page tables and COW copies are copied (the child reads
 * the parent's copies; its own stores make new ones the parent never sees). userfaultfd
 * registrations are dropped unless the context asked for UFFD_FEATURE_EVENT_FORK
 * (fs/userfaultfd.c dup_userfaultfd → userfaultfd_reset_ctx); no vocabulary context can carry that
 * feature (spec/vocab/uapi.ts UFFD_FEATURES_SERVABLE), so the child's faults never userfault.
 *
 * An fd call in the child reaches the same open file (LIFE-2: gmem file operations never look at
 * the mm), so its answer and effect are the parent's. A VM ioctl is refused: kvm_vm_ioctl compares
 * the VM's mm with current->mm before anything else (CRE-9).
 *
 * The child's own page tables and COW copies die with it: the next state keeps the parent's
 * mappings and takes only the files' changes (allocated folios, bytes stored through a shared
 * mapping, a punch or truncation with its zaps).
 */
import { err, type OpOf, type Profile } from '../vocab/index.js';
import { fact, first, rule, only, decideBy } from '../rule.js';
import { EMPTY, imGet } from '../state/imap.js';
import { ADV } from '../observe/vma-flags.js';
import type { Mapping, SpecState } from '../state/types.js';
import type { Verdict } from '../verdict.js';
import { withMap } from '../state/update.js';
import { ebadf } from '../lifetime/handles.js';
import { accessChain, accessCtx } from '../mmap/load-store.js';
import { segv, type Acc } from '../mmap/access.js';
import { shmemFault } from '../mmap/access-fault.js';
import { steps as fallocSteps } from '../fileops/fallocate.js';
import { steps as ftruncSteps } from '../fileops/ftruncate.js';
import type { Ctx } from '../ctx.js';
import type { Steps } from '../run.js';

type ChildAct = OpOf<'child'>['act'];
type AccessAct = Extract<ChildAct, { kind: 'load' | 'store' }>;
type ChildCtx = Ctx<'child'> & { readonly act: AccessAct };

export const map11 = fact('MAP-11', 'MAP-11; kernel/fork.c dup_mmap, mm/memory.c vma_needs_copy (a shared file VMA without anon_vma gets no page tables), v7.2; obs:HF-60');
export const life2Child = fact('LIFE-2', 'LIFE-2; virt/kvm/guest_memfd.c kvm_gmem_fallocate (no mm check), v6.18 = v7.2');

/** GEN-SEGV-MAPERR: a dead map handle is not issued (spec/vocab/CONVENTIONS.md): the unmapped address faults. */
export const childDeadMap = rule<ChildCtx>({
  id: 'GEN-SEGV-MAPERR',
  cite: 'arch/x86/mm/fault.c do_user_addr_fault; spec/vocab/CONVENTIONS.md dead map handles',
  decide: ({ s, act }) => (s.maps.has(act.map) ? undefined : only(s, segv(act.offset, 'SEGV_MAPERR'))),
});

/** MAP-24: a page under MADV_DONTFORK has no VMA in the child: SIGSEGV SEGV_MAPERR at the offset. */
export const map24 = rule<ChildCtx>({
  id: 'MAP-24',
  cite: 'MAP-24; mm/madvise.c madvise_vma_behavior (MADV_DONTFORK sets VM_DONTCOPY), kernel/fork.c dup_mmap (VM_DONTCOPY VMAs are skipped), v7.2',
  decide: ({ s, act }) => {
    const m = s.maps.get(act.map)!;
    if (act.offset < 0n || act.offset >= BigInt(m.pages) * 4096n) return undefined;
    return ((imGet(m.advised, Number(act.offset >> 12n)) ?? 0) & ADV.DC) !== 0 ? only(s, segv(act.offset, 'SEGV_MAPERR')) : undefined;
  },
});

/** The child's view of a mapping: no uffd registration, no page tables for a shared VMA. */
const childView = (m: Mapping): Mapping => ({
  // No registration in the child (dup_userfaultfd without EVENT_FORK), so no uffd-wp bits either.
  ...m, uffd: EMPTY, locked: EMPTY, wp: undefined,
  // Poison markers are copied only where the page tables are (copy_pte_marker; vma_needs_copy: a
  // private VMA got an anon_vma from the UFFDIO_POISON itself, a shared one has none), UFD-22.
  ...(m.shared ? { ptes: EMPTY, around: EMPTY, poison: undefined } : {}),
});

/** The state after the child: the parent's tables, the files as the child left them. */
const keepParent = (parent: SpecState, after: SpecState): SpecState => ({ ...parent, inodes: after.inodes });

const childAccess = (p: Profile, s: SpecState, op: OpOf<'child'>, act: AccessAct): Verdict<SpecState> => {
  const pre = first<ChildCtx>({ p, s, op, act }, [childDeadMap, map24]);
  if (pre !== undefined) return pre;
  const m = s.maps.get(act.map)!;
  const cs = withMap(s, act.map, childView(m));
  const like = act.kind === 'load'
    ? { kind: 'load' as const, map: act.map, offset: act.offset, onUserfault: 'COPY' as const, fill: 0 }
    : { kind: 'store' as const, map: act.map, offset: act.offset, value: act.value, onUserfault: 'COPY' as const, fill: 0 };
  const a: Acc = accessCtx(p, cs, like)!;
  const v = decideBy(a, accessChain, shmemFault);
  return { ...v, rules: v.rules.includes('MAP-11') ? v.rules : [...v.rules, 'MAP-11'], next: (o) => keepParent(s, v.next(o)) };
};

/** CRE-9: every VM ioctl from another mm is EIO, before the ioctl number is looked at; a dead VM fd is -1: EBADF. */
export const cre9 = rule<Ctx<'child'> & { readonly vm: number }>({
  id: 'CRE-9',
  cite: 'CRE-9; virt/kvm/kvm_main.c kvm_vm_ioctl (kvm->mm != current->mm → -EIO), v6.18 = v7.2',
  decide: ({ s }) => only(s, err('EIO')),
});
const vmDead = ebadf<Ctx<'child'> & { readonly vm: number }>(({ s, vm }) => s.vms.get(vm)?.fdOpen !== true);

/** LIFE-2: the fd call behaves as the parent's (same open file); the rules that decide it say why. */
const withLife2 = (v: Verdict<SpecState>): Verdict<SpecState> => ({ ...v, rules: v.rules.includes('LIFE-2') ? v.rules : [...v.rules, 'LIFE-2'] });

const child = (p: Profile, s: SpecState, op: OpOf<'child'>): Verdict<SpecState> => {
  const act = op.act;
  switch (act.kind) {
    case 'load':
    case 'store':
      return childAccess(p, s, op, act);
    case 'fallocate':
      return withLife2(fallocSteps.fallocate(p, s, { kind: 'fallocate', fd: act.fd, mode: act.mode, offset: act.offset, len: act.len }));
    case 'ftruncate':
      return withLife2(ftruncSteps.ftruncate(p, s, { kind: 'ftruncate', fd: act.fd, size: act.size }));
    case 'vmIoctl':
      return first({ p, s, op, vm: act.vm }, [vmDead, cre9])!;
  }
};

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = { child } satisfies Steps;
