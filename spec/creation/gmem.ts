/**
 * KVM_CREATE_GUEST_MEMFD, in the order of S1 kvm_gmem_create: the VM fd, the flags (CRE-2),
 * then the size (CRE-4; CRE-5 records the order), then a new file (CRE-1).
 */
import { GMEM_FLAG, VM_TYPE, err, ok } from '../vocab/index.js';
import { fact, only, rule, andThen, type Rule } from '../rule.js';
import { aligned, type Ctx } from '../ctx.js';
import { ebadf, vmDead } from '../lifetime/handles.js';
import { addFile } from '../state/init.js';
import { flagMeaning, validFlags } from './flags.js';
import { hasPrivateMem } from './caps.js';
import { dmap1, dmap2 } from '../directmap/rules.js';
import { must, type Steps } from '../run.js';

type C = Ctx<'createGmem'>;

export const cre5 = fact('CRE-5', 'CRE-5; S1 kvm_gmem_create (flags, then size)');
export const cre13 = fact('CRE-13', 'CRE-13; S8, S12, S20, S23 (bit 2 meanings)');

export const vmGone = ebadf<C>(({ s, op }) => vmDead(s, op.vm));

const vmType = (c: C): number => c.s.vms.get(c.op.vm)?.type ?? VM_TYPE.DEFAULT;

/** CRE-2: every flag bit must be in cap 244 for this VM type; bit 2 cites its profile meaning. */
export const cre2 = rule<C>({
  id: 'CRE-2',
  cite: 'CRE-2, CRE-12; S1 kvm_gmem_create; S3 test_guest_memfd_flags',
  decide: (c) => {
    const bad = c.op.flags & ~validFlags(c.p, vmType(c));
    if (bad === 0n && c.op.flags >= 0n) return undefined;
    const also: Rule<never>[] = [];
    if ((bad & GMEM_FLAG.BIT2) !== 0n) also.push(cre13, ...(c.p.variants.flagBit2 === 'NO_DIRECT_MAP' ? [dmap1, dmap2] : []));
    return only(c.s, err('EINVAL'), also);
  },
});

/** SHR-10 (RFC v2): INIT_PRIVATE requires SUPPORT_SHARED (bit 0). */
export const shr10Create = rule<C>({
  id: 'SHR-10',
  cite: 'SHR-10; SEED1, S20 (GUEST_MEMFD_FLAG_INIT_PRIVATE needs SUPPORT_SHARED)',
  decide: ({ p, s, op }) =>
    p.variants.defaultShare === 'INIT_PRIVATE' && (op.flags & GMEM_FLAG.INIT_SHARED) !== 0n && (op.flags & GMEM_FLAG.MMAP) === 0n
      ? only(s, err('EINVAL'))
      : undefined,
});

/** CRE-6: reserved words are ignored on 6.18; P-RESERVED MUST-BE-ZERO rejects them. */
export const cre6 = rule<C>({
  id: 'CRE-6',
  cite: 'CRE-6, §4 P-RESERVED; S1 (no reserved check), S10 (attributes2 reserved must be 0)',
  decide: ({ p, s, op }) =>
    p.variants.reserved === 'MUST-BE-ZERO' && op.reserved.some((r) => r !== 0n) ? only(s, err('EINVAL')) : undefined,
});

/** CRE-4: size > 0 as signed loff_t (so < 2^63) and page-aligned. */
export const cre4 = rule<C>({
  id: 'CRE-4',
  cite: 'CRE-4; S1 kvm_gmem_create; S3 test_create_guest_memfd_invalid_sizes',
  decide: ({ s, op }) =>
    op.size <= 0n || op.size >= 1n << 63n || !aligned(op.size) ? only(s, err('EINVAL'), [cre5]) : undefined,
});

export const cre3 = fact('CRE-3', 'CRE-3; S3 test_guest_memfd_flags, test_mmap_not_supported');
export const cre7 = fact('CRE-7', 'CRE-7; S1 get_unused_fd_flags(0), O_RDWR|O_LARGEFILE');
export const cre8 = fact('CRE-8', 'CRE-8; S1 (allocation is lazy)');
export const shr9 = fact('SHR-9', 'SHR-9; S10 (INIT_SHARED for private VM types with in-place conversion)');
export const shr2 = fact('SHR-2', 'SHR-2; S10, S11 (per-offset PRIVATE attribute, initial state from INIT_SHARED)');

/** CRE-1: a new, independent file of exactly the requested size, holding no memory yet. */
export const cre1 = rule<C>({
  id: 'CRE-1',
  cite: 'CRE-1; S1 __kvm_gmem_create; S3 test_create_guest_memfd_multiple, test_file_size',
  decide: (c) => {
    const { p, s, op } = c;
    const m = flagMeaning(p, op.flags);
    const also: Rule<never>[] = [cre7, cre8];
    if ((op.flags & GMEM_FLAG.INIT_SHARED) !== 0n && (op.flags & GMEM_FLAG.MMAP) === 0n) also.push(cre3);
    if (p.features.conversion) also.push(shr2);
    if (m.initShared && hasPrivateMem(vmType(c))) also.push(shr9);
    if (m.noDirectMap) also.push(dmap1);
    const sizePages = Number(op.size >> 12n);
    return andThen(ok(), () => addFile(s, op.id, { kind: 'gmem', vm: op.vm, flags: op.flags, sizeBytes: op.size, sizePages, ...m }, { cloexec: false }), also);
  },
});

export const createGmemChain = [vmGone, cre2, shr10Create, cre6, cre4, cre1] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  createGmem: (p, s, o) => must({ p, s, op: o }, createGmemChain),
} satisfies Steps;
