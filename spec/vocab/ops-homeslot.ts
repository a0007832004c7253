/**
 * Round-5 ops of docs/kernel-surface.md rows H04 and A12: set_mempolicy_home_node on a range of a
 * mapping, and KVM_SET_USER_MEMORY_REGION2 with its pad words filled. Declared here and spread
 * into ./ops.ts's OPS, so this family grows without touching the others' lines.
 */
import { handle, mapOffset, u32, u64, variant, words, type Fields } from './field.js';
import { MEM } from './uapi.js';
import type { Footprint, OpDecl } from './ops.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;
const fd = handle('fd');
const map = handle('map');
const vm = handle('vm');

/** The words of pad2 in struct kvm_userspace_memory_region2 (include/uapi/linux/kvm.h). */
export const MEMSLOT_PAD2_WORDS = 14;

export const HOMESLOT_OPS = {
  setMempolicyHomeNode: decl({
    doc: 'set_mempolicy_home_node(start = a map offset, len, home_node, flags): every argument an unsigned long; sets the home node of each VMA policy (BIND / PREFERRED_MANY) in the range',
    fields: { map, offset: mapOffset(), length: u64(), node: u64(), flags: u64('hex') },
    footprint: (o): Footprint => ({ map: o.map, offset: o.offset, len: o.length }),
  }),
  setMemoryRegionPad: decl({
    doc: 'KVM_SET_USER_MEMORY_REGION2 with pad1 and pad2[14] as given (the fields as setMemoryRegion\'s; always the v2 ioctl, the only one with pads)',
    fields: {
      vm, slot: u32(), flags: u32({ bits: MEM }), gpa: u64(), size: u64(),
      uaddr: variant({ map: { map, offset: mapOffset() }, null: {}, unaligned: {} }),
      gmem: variant({ fd: { fd }, vmFd: { vm }, kvmFd: {}, notOpen: {}, pathFd: { fd } }),
      gmemOffset: u64(), pad1: u32('hex'), pad2: words(MEMSLOT_PAD2_WORDS),
    },
    footprint: (o): Footprint | undefined => (o.gmem.kind === 'fd' ? { fd: o.gmem.fd, offset: o.gmemOffset, len: o.size } : undefined),
  }),
} as const;
