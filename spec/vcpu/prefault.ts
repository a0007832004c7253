/**
 * KVM_PRE_FAULT_MEMORY on a vCPU (SLOT-22..25; docs/kernel-surface.md A23), in the order of
 * virt/kvm/kvm_main.c kvm_vcpu_pre_fault_memory and arch/x86/kvm/mmu/mmu.c
 * kvm_arch_vcpu_pre_fault_memory (v7.2): the request is validated (flags, alignment, wrap), then
 * each iteration checks the VM type, loads the MMU root and faults one GPA in through the TDP
 * fault path. A fault-in is what a guest read of that GPA does to the backing (the same
 * kvm_mmu_faultin_pfn), so the walk asks the guest-access rules (spec/guest/access.ts) page by page.
 */
import { err, ok, outcomeEqual, type Errno, type Outcome } from '../vocab/index.js';
import { cases, fact, only, rule, type Decision } from '../rule.js';
import type { Ctx } from '../ctx.js';
import { ebadf } from '../lifetime/handles.js';
import type { SpecState, Vm } from '../state/types.js';
import { first } from '../rule.js';
import { noSlot, slot11Guest, slot13, viaUaddrRule } from '../guest/access.js';
import { must, type Steps } from '../run.js';

type C = Ctx<'preFault'>;

const PAGE = 4096n;
const U64 = 1n << 64n;
/** VM types whose pre-faulting x86 allows from creation (kvm_arch_init_vm: DEFAULT and SW_PROTECTED). */
const PRE_FAULT_TYPES = [0, 1];

export const preFaultGone = ebadf<C>(({ s, op }) => !s.vcpus.has(op.vcpu));

const vmOf = (c: C): Vm => c.s.vms.get(c.s.vcpus.get(c.op.vcpu)!.vm)!;

/** SLOT-22: flags must be 0; gpa and size page-aligned; gpa + size must not wrap (so size 0 too). The padding is never read. */
export const slot22 = rule<C>({
  id: 'SLOT-22',
  cite: 'SLOT-22; virt/kvm/kvm_main.c kvm_vcpu_pre_fault_memory (flags, PAGE_ALIGNED, gpa + size <= gpa), v7.2 (obs:VC-03)',
  decide: ({ s, op }) =>
    op.flags !== 0n || op.gpa % PAGE !== 0n || op.size % PAGE !== 0n || (op.gpa + op.size) % U64 <= op.gpa ? only(s, err('EINVAL')) : undefined,
});

/**
 * SLOT-25: only TDP faults by GPA. A VM type not allowed to pre-fault is EOPNOTSUPP. Without TDP
 * (cap 236 = 0: shadow paging, kvm_pvm) the root is loaded first, and a shadow MMU has no page
 * budget until a memslot was created or deleted (kvm_arch_commit_memory_region sizes it): ENOSPC
 * from make_mmu_pages_available; after that the TDP check refuses: EOPNOTSUPP.
 */
export const slot25 = rule<C>({
  id: 'SLOT-25',
  cite: 'SLOT-25; arch/x86/kvm/mmu/mmu.c kvm_arch_vcpu_pre_fault_memory (pre_fault_allowed, kvm_mmu_reload, kvm_tdp_page_prefault), make_mmu_pages_available (ENOSPC); arch/x86/kvm/x86.c kvm_arch_init_vm, kvm_arch_commit_memory_region, v7.2 (obs:CAP-09, VC-03)',
  decide: (c) => {
    const vm = vmOf(c);
    if (!PRE_FAULT_TYPES.includes(vm.type)) return only(c.s, err('EOPNOTSUPP'));
    if (c.p.caps.preFault !== 0) return undefined;
    return only(c.s, err(vm.mmuSized ? 'EOPNOTSUPP' : 'ENOSPC'));
  },
});

type Branch = readonly [Outcome, () => SpecState];

/** SLOT-23: each GPA the walk maps is faulted in as a guest read would (allocation, clearing, 4K mapping). */
export const slot23 = fact('SLOT-23', 'SLOT-23; arch/x86/kvm/mmu/mmu.c kvm_tdp_page_prefault, kvm_mmu_faultin_pfn; virt/kvm/guest_memfd.c kvm_gmem_get_pfn, v7.2');

/** One GPA faulted in as a guest read would: ok (mapped) with the next state, or the errno that stops the walk. */
const faultIn = (c: C, s: SpecState, vm: number, gpa: bigint): readonly { readonly errno?: Errno; readonly next: () => SpecState }[] => {
  const ga = { p: c.p, s, op: { kind: 'guestAccess' as const, vm, gpa, write: false, value: 0 } };
  const v = first(ga, [noSlot, slot11Guest, slot13]) ?? must(ga, [viaUaddrRule]);
  // The byte a read would return does not matter here: one branch per class of outcome.
  const out: { errno?: Errno; next: () => SpecState }[] = [];
  const seen: string[] = [];
  for (const o of v.allowed) {
    const errno: Errno | undefined = o.kind === 'ok' ? undefined : o.kind === 'errno' ? o.errno
      : o.kind === 'exit' && o.reason === 'MMIO' ? 'ENOENT' : 'EFAULT';
    const key = errno ?? 'ok';
    if (seen.includes(key)) continue;
    seen.push(key);
    out.push({ ...(errno === undefined ? {} : { errno }), next: errno === undefined ? () => v.next(o) : () => s });
  }
  return out;
};

/**
 * SLOT-23 / SLOT-24 (TDP): GPAs are faulted in from `gpa` up; a GPA no memslot covers stops the
 * walk with ENOENT (the fault would need emulation), a backing that cannot be faulted with its
 * errno (EFAULT). If nothing was mapped the call fails with that errno; otherwise it returns 0 and
 * writes the rest of the range back (size 0 when all of it was mapped).
 */
export const slot24 = rule<C>({
  id: 'SLOT-24',
  cite: 'SLOT-23, SLOT-24; virt/kvm/kvm_main.c kvm_vcpu_pre_fault_memory ("success if at least one page was mapped", leftover range copied back), arch/x86/kvm/mmu/mmu.c kvm_tdp_map_page (RET_PF_EMULATE: ENOENT), kvm_mmu_faultin_pfn, v7.2',
  decide: (c): Decision => {
    const vm = c.s.vcpus.get(c.op.vcpu)!.vm;
    const end = c.op.gpa + c.op.size;
    const done: Branch[] = [];
    // Depth-first over the branches (one, unless a GPA may be served more than one way); a loop, not
    // recursion, since a slot may hold a million pages.
    const todo: [SpecState, bigint][] = [[c.s, c.op.gpa]];
    for (let next = todo.pop(); next !== undefined; next = todo.pop()) {
      const [s, gpa] = next;
      if (gpa >= end) {
        done.push([ok({ gpa: end % U64, size: 0n }), () => s]);
        continue;
      }
      for (const b of faultIn(c, s, vm, gpa)) {
        if (b.errno === undefined) todo.push([b.next(), gpa + PAGE]);
        else done.push(gpa === c.op.gpa ? [err(b.errno), () => s] : [ok({ gpa, size: end - gpa }), () => s]);
      }
    }
    const uniq = done.filter((b, i) => done.findIndex((x) => outcomeEqual(x[0], b[0])) === i);
    const mapped = uniq.some(([o]) => o.kind === 'ok');
    return cases(uniq, uniq.length > 1 ? 'the guest-access rules allow more than one way this GPA is served' : undefined, mapped ? [slot23] : undefined);
  },
});

export const preFaultChain = [preFaultGone, slot22, slot25, slot24] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  preFault: (p, s, o) => must({ p, s, op: o }, preFaultChain),
} satisfies Steps;
