/**
 * In-place conversion on the gmem fd (SHR-3, v8 KVM_SET_MEMORY_ATTRIBUTES2; SHR-10, RFC v2
 * KVM_GMEM_CONVERT_*) and the VM-level KVM_SET_MEMORY_ATTRIBUTES (SHR-1).
 */
import { MEMORY_ATTRIBUTE_PRIVATE, err, ok } from '../vocab/index.js';
import { cases, fact, only, rule, andThen } from '../rule.js';
import { aligned, type Ctx, type FileCtx } from '../ctx.js';
import { ebadf, fdDead, vmDead } from '../lifetime/handles.js';
import { hasPrivateMem } from '../creation/caps.js';
import { convertPages } from './effect.js';
import { detachPins, firstPinned } from '../mmap/pins.js';
import { zapPtes } from '../state/update.js';
import { must, onFile, type Steps } from '../run.js';

type C = Ctx<'convert'>;
type F = FileCtx<'convert'>;

export const convDead = ebadf<C>(({ s, op }) => fdDead(s, op.fd));
export const convPre = [convDead] as const;

/** SHR-0: without the series (or through the other API) there is no such ioctl → ENOTTY. */
export const shr0 = rule<F>({
  id: 'SHR-0',
  cite: 'SHR-0, FIO-14; S1 (no unlocked_ioctl) (obs:FD-26..29)',
  decide: ({ p, s, op, ino }) =>
    ino.kind !== 'gmem' || !p.features.conversion || op.api !== p.variants.convApi ? only(s, err('ENOTTY')) : undefined,
});

/**
 * SHR-23 (input side): the caller's error_offset must be 0. v8 checks it second, after flags (0 here)
 * and before reserved, attributes and the range; RFC v2 checks it first in
 * kvm_gmem_ioctl_convert_range. Everything after it is EINVAL too, so only SHR-0's ENOTTY and
 * EBADF come before it.
 */
export const shr23In = rule<F>({
  id: 'SHR-23',
  cite: 'SHR-23; "[PATCH RFC v5 11/53] KVM: guest_memfd: Ensure pages are not in use before conversion" (Ackerley Tng, 28 Apr 2026): kvm_gmem_set_attributes (flags, then error_offset != 0: EINVAL); S20 kvm_gmem_ioctl_convert_range (error_offset != 0: EINVAL first)',
  decide: ({ s, op }) => (op.errorOffsetIn !== 0n ? only(s, err('EINVAL')) : undefined),
});

/** SHR-3: v8 needs a VM with private memory; SHR-10: RFC v2 needs SUPPORT_SHARED (bit 0). */
export const shr3Vm = rule<F>({
  id: 'SHR-3',
  cite: 'SHR-3 (validation order), SHR-10; S10 kvm_gmem_set_attributes; S20',
  decide: ({ s, op, ino }) => {
    if (op.api === 'GMEM-ATTR2') return hasPrivateMem(s.vms.get(ino.vm)?.type ?? 0) ? undefined : only(s, err('EINVAL'));
    return ino.mmapable ? undefined : only(s, err('EINVAL'), [shr10]);
  },
});

/**
 * SHR-3: size 0, overflow, unaligned, or past EOF → EINVAL. RFC v2 (GMEM-CONVERT) is the exception
 * for size 0: kvm_gmem_ioctl_convert_range returns 0 right after the error_offset check, before it
 * looks at the range, so an empty conversion succeeds and changes nothing.
 */
export const shr3Range = rule<F>({
  id: 'SHR-3',
  cite: 'SHR-3; S10; S20 kvm_gmem_ioctl_convert_range (size == 0 → 0, after error_offset, before the range checks)',
  decide: ({ s, op, ino }) =>
    op.api === 'GMEM-CONVERT' && op.len === 0n ? only(s, ok()) :
    op.len <= 0n || op.offset < 0n || !aligned(op.offset) || !aligned(op.len) || op.offset + op.len > ino.sizeBytes
      ? only(s, err('EINVAL'))
      : undefined,
});

export const shr4 = fact('SHR-4', 'SHR-4, §4 P-CONV-PINS (no long-lived pins exist in an op sequence)');
export const shr5 = fact('SHR-5', 'SHR-5 (host faults on private offsets SIGBUS)');
export const shr6 = fact('SHR-6', 'SHR-6; S10 kvm_arch_gmem_make_shared');
export const shr7 = fact('SHR-7', 'SHR-7 (unallocated offsets, same-state conversion: 0)');
export const shr8 = fact('SHR-8', 'SHR-8, §4 P-CONV-CONTENT');
export const shr10 = fact('SHR-10', 'SHR-10; S20 KVM_GMEM_CONVERT_SHARED/PRIVATE');

export const shr21Fact = fact('SHR-21', 'SHR-21; "[PATCH RFC v5 11/53] KVM: guest_memfd: Ensure pages are not in use before conversion" (Ackerley Tng, 28 Apr 2026): kvm_gmem_is_safe_for_conversion; io_uring/memmap.c io_pin_pages, fs/splice.c iter_to_pipe');
export const shr22Fact = fact('SHR-22', 'SHR-22; "[PATCH RFC v5 11/53] …" (unmap_mapping_pages before the reference check)');
/** SHR-23: error_offset is written back only on a failure after validation (EAGAIN here), never on success. */
export const shr23Fact = fact('SHR-23', 'SHR-23; "[PATCH RFC v5 11/53] KVM: guest_memfd: Ensure pages are not in use before conversion" (Ackerley Tng, 28 Apr 2026): kvm_gmem_set_attributes copies the struct back only on error');

/**
 * SHR-21 (SHR-4's EAGAIN made reachable by `pin`): to-private over a page a pin still holds fails
 * with EAGAIN and error_offset = that page's file offset (P-CONV-PINS=EAGAIN); the host PTEs of
 * the range are gone already (SHR-22), and under P-CONV-ATOMIC=PREFIX-CONVERTED the pages before
 * it are converted. P-CONV-PINS=BLOCK: the kernel breaks the references (the pin keeps the old
 * page, MAP-37) and the conversion goes through.
 */
export const shr21 = rule<F>({
  id: 'SHR-21',
  cite: 'SHR-21, SHR-4, SHR-22, §4 P-CONV-PINS, P-CONV-ATOMIC; "[PATCH RFC v5 11/53] KVM: guest_memfd: Ensure pages are not in use before conversion" (Ackerley Tng, 28 Apr 2026)',
  decide: ({ p, s, op, ino }) => {
    if (!op.toPrivate || s.pins.size === 0) return undefined;
    const a = Number(op.offset >> 12n);
    const b = Number((op.offset + op.len) >> 12n);
    const at = firstPinned(s, ino.id, a, b);
    if (at === undefined) return undefined;
    if (p.variants.convPins === 'BLOCK') {
      return andThen(ok(), () => {
        const d = detachPins(s, ino.id, a, b);
        return convertPages(p, d, d.inodes.get(ino.id)!, a, b, true);
      }, [shr4, shr7, shr8]);
    }
    const refused = { kind: 'errno', errno: 'EAGAIN', errorOffset: BigInt(at) * 4096n } as const;
    return andThen(refused, () => {
      const prefix = p.variants.convAtomic === 'PREFIX-CONVERTED' ? convertPages(p, s, ino, a, at, true) : s;
      return zapPtes(prefix, ino.id, a, b);
    }, [shr4, shr22Fact, shr23Fact]);
  },
});

/** SHR-2: record the new state per offset; to-private unmaps host PTEs (SHR-4/5), to-shared always works (SHR-6). */
export const shr2Convert = rule<F>({
  id: 'SHR-2',
  cite: 'SHR-2, SHR-4..8; S10, S11 (attributes maple tree)',
  decide: ({ p, s, op, ino }) => {
    const a = Number(op.offset >> 12n);
    const b = Number((op.offset + op.len) >> 12n);
    const also = [op.toPrivate ? shr4 : shr6, shr7, shr8, ...(op.api === 'GMEM-CONVERT' ? [shr10] : [shr23Fact])];
    return andThen(ok(), () => convertPages(p, s, ino, a, b, op.toPrivate), also);
  },
});
export const convFileChain = [shr0, shr23In, shr3Vm, shr3Range, shr21, shr2Convert] as const;

type A = Ctx<'setMemoryAttributes'>;
export const attrDead = ebadf<A>(({ s, op }) => vmDead(s, op.vm));

/**
 * SHR-1: VM-level attributes. The ioctl exists only where CONFIG_KVM_GENERIC_MEMORY_ATTRIBUTES is
 * built, which cap 233 on /dev/kvm shows (kvm_supported_mem_attributes(NULL) is PRIVATE there);
 * x86 selects it for KVM_AMD_SEV, INTEL_TDX and KVM_SW_PROTECTED_VM (arch/x86/kvm/Kconfig, v7.2),
 * so Debian's 7.2 has it even with only type-0 VMs. Not built (6.18 here) → ENOTTY. Built: the
 * attributes must lie in what this VM supports (kvm_supported_mem_attributes(kvm): PRIVATE only
 * for a VM with private memory, 0 for type 0, so any attribute is EINVAL there), size > 0, no
 * wrap, page-aligned (all EINVAL); attributes 0 on a type-0 VM changes nothing and succeeds.
 * Under P-CONV-API VM-ATTR the GPAs' bound gmem pages convert.
 */
export const shr1 = rule<A>({
  id: 'SHR-1',
  cite: 'SHR-1; S9 §4.141; virt/kvm/kvm_main.c kvm_supported_mem_attributes, kvm_vm_ioctl_set_mem_attributes, kvm_vm_set_mem_attributes (v7.2); arch/x86/kvm/Kconfig (v7.2); ENOTTY on 6.18 (obs:CAP-*), EINVAL on Debian 7.2.13 (probe record linux-7.2.13-qemu)',
  decide: ({ p, s, op }) => {
    const vmAttr = p.features.conversion && p.variants.convApi === 'VM-ATTR';
    const vm = s.vms.get(op.vm)!;
    const supported = vmAttr ? (hasPrivateMem(vm.type) ? MEMORY_ATTRIBUTE_PRIVATE : 0n) : BigInt(p.caps.memoryAttributes);
    const invalid = (op.attributes & ~supported) !== 0n || op.size <= 0n || !aligned(op.gpa) || !aligned(op.size) || op.gpa + op.size >= 1n << 64n;
    if (!vmAttr) {
      const built = invalid ? err('EINVAL') : ok();
      if (p.caps.memoryAttributes !== 0 || p.caps.memoryAttributesDevKvm !== 0) return only(s, built);
      if (!p.features.conversion) return only(s, err('ENOTTY'));
      // SHR-3: with in-place conversion cap 233 reads 0; whether the VM ioctl is still built
      // (CONFIG_KVM_VM_MEMORY_ATTRIBUTES; then no attribute is supported) is a build choice.
      return cases([[err('ENOTTY'), () => s], [built, () => s]], 'SHR-3: the VM-level ioctl may or may not be built alongside in-place conversion', [shr3Fact]);
    }
    if (invalid) return only(s, err('EINVAL'));
    const toPrivate = (op.attributes & MEMORY_ATTRIBUTE_PRIVATE) !== 0n;
    const g0 = Number(op.gpa >> 12n);
    const g1 = Number((op.gpa + op.size) >> 12n);
    return andThen(ok(), () => {
      let out = s;
      for (const slot of vm.slots.values()) {
        const ino = slot.gmem === null ? undefined : out.inodes.get(slot.gmem.inode);
        const x = Math.max(g0, slot.gfn);
        const y = Math.min(g1, slot.gfn + slot.npages);
        if (ino === undefined || slot.gmem === null || x >= y) continue;
        out = convertPages(p, out, ino, slot.gmem.pgoff + x - slot.gfn, slot.gmem.pgoff + y - slot.gfn, toPrivate);
      }
      return out;
    }, [shr2Fact]);
  },
});
export const shr3Fact = fact('SHR-3', 'SHR-3 (cap 233 reads 0 with in-place conversion)');
export const shr2Fact = fact('SHR-2', 'SHR-2 (per-offset attribute state)');
export const attrChain = [attrDead, shr1] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  convert: (p, s, o) => onFile({ p, s, op: o }, convPre, o.fd, () => convFileChain),
  setMemoryAttributes: (p, s, o) => must({ p, s, op: o }, attrChain),
} satisfies Steps;
