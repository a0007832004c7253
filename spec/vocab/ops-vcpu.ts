/**
 * The vCPU side of the wider kernel surface (issue 15, docs/kernel-surface.md rows A02–A06, A19,
 * A23): misuse of the creation ioctl (a bad argument pointer, the request on the wrong fd, a wrong
 * size in its number), KVM_CREATE_VCPU, and KVM_PRE_FAULT_MEMORY on a vCPU. Declared here and
 * spread into ./ops.ts's OPS, so this family grows without touching the other families' lines.
 *
 * Bounds that keep every entry point safe: the misuse op never hands the kernel an address of
 * the caller's choosing — its argument is NULL or a PROT_NONE page the harness maps for the call
 * and unmaps again (gm_create_gmem_misuse in adapters/native/src/gm_sys.c) — and its size field
 * is one of a few 14-bit values, so the number it builds is always _IOWR(KVMIO, 0xd4, size).
 */
import { creates, enumOf, handle, u64, variant, words, type Fields } from './field.js';
import type { OpDecl } from './ops.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;
const vm = handle('vm');

/** What the misused creation request's argument points at: NULL, or a page the harness mapped PROT_NONE. */
export const MISUSE_ARG = { null: 0, guard: 1 } as const;
/**
 * The size field (_IOC_SIZE, 14 bits) of the request number: 64 is sizeof(struct
 * kvm_create_guest_memfd), the real KVM_CREATE_GUEST_MEMFD; the others name no KVM ioctl.
 */
export const MISUSE_SIZE = { real: 64, zero: 0, short: 56, long: 72, max: 16383 } as const;
/**
 * KVM_CAP_MAX_VCPU_ID (128) on x86 is KVM_MAX_VCPU_IDS; this host reads 4096. The generator
 * draws ids around it from the profile (spec/vocab/profile.ts caps.maxVcpuIds).
 */
export const CAP_MAX_VCPU_ID = 128;

export const VCPU_OPS = {
  createVcpu: decl({
    doc: 'KVM_CREATE_VCPU on a VM fd (the vCPU id is the ioctl\'s unsigned long argument): the vCPU fd becomes the handle',
    fields: { vm, id: creates('vcpu'), vcpuId: u64() },
  }),
  createGmemMisuse: decl({
    doc: 'the KVM_CREATE_GUEST_MEMFD request number (with the size field `ioctlSize`) issued on a VM fd, /dev/kvm, a vCPU fd or a file fd, its argument NULL or a PROT_NONE page of the harness; a file it creates is closed at once',
    fields: {
      on: variant({ vm: { vm }, kvm: {}, vcpu: { vcpu: handle('vcpu') }, fd: { fd: handle('fd') } }),
      arg: enumOf(MISUSE_ARG),
      ioctlSize: enumOf(MISUSE_SIZE),
    },
  }),
  preFault: decl({
    doc: 'KVM_PRE_FAULT_MEMORY on a vCPU fd: ok { gpa, size } = the range the kernel wrote back (size 0: all of it mapped)',
    fields: { vcpu: handle('vcpu'), gpa: u64(), size: u64(), flags: u64('hex'), padding: words(5) },
  }),
} as const;
