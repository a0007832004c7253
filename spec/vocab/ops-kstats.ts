/**
 * KVM's binary statistics (issue 15, round 5; docs/kernel-surface.md rows A24 and J13):
 * KVM_GET_STATS_FD on a VM or a vCPU fd gives a read-only file (O_RDONLY with FMODE_PREAD) whose
 * header, id string, descriptors and data block are uAPI (include/uapi/linux/kvm.h
 * kvm_stats_header, kvm_stats_desc). One op opens it, reads all of it, checks its layout, reads
 * once more at an offset around its end, tries one write, and closes it again, so no handle
 * outlives the op. And /proc/kpageflags and /proc/kpagecount (row J07) of the page a mapping of
 * the sequence maps at an offset: the PFN comes from /proc/self/pagemap of that address only.
 * Declared here and spread into ./ops.ts's OPS.
 */
import { enumOf, handle, mapOffset, variant, type Fields } from './field.js';
import type { Footprint, OpDecl } from './ops.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;

/**
 * Where the extra pread(8 bytes) of the op lands: at the end of the data block, 4 bytes before
 * it, at 2^40, at -1 (rw_verify_area refuses a negative position).
 */
export const STATS_READ_AT = { end: 0, tail: 1, far: 2, negative: 3 } as const;
/** The write tried on the stats fd: write(2) (the file is O_RDONLY) or pwrite(2) at 0 (no FMODE_PWRITE). */
export const STATS_WRITE = { write: 0, pwrite: 1 } as const;
/**
 * Descriptor names an outcome's `has` lists, in this order, when the file has them: the x86 VM
 * statistics a guest_memfd user reads (pages_4k/2m/1g: the SPTEs at each level; nx_lpage_splits)
 * and a generic one, then the vCPU's generic and x86 ones (arch/x86/kvm/x86.c kvm_vm_stats_desc,
 * kvm_vcpu_stats_desc; include/linux/kvm_host.h KVM_GENERIC_VM_STATS, KVM_GENERIC_VCPU_STATS).
 */
export const KVM_STATS_KEYS = ['remote_tlb_flush', 'pages_4k', 'pages_2m', 'pages_1g', 'nx_lpage_splits', 'halt_exits', 'exits', 'pf_taken', 'pf_fixed', 'blocking'] as const;

/**
 * The /proc/kpageflags bits a kpageFlags outcome reports, in this order (include/uapi/linux/kernel-page-flags.h:
 * KPF_UPTODATE 3, KPF_LRU 5, KPF_MMAP 11, KPF_ANON 12, KPF_SWAPBACKED 14, KPF_UNEVICTABLE 18, KPF_THP 22,
 * KPF_ZERO_PAGE 24). Left out: DIRTY, REFERENCED, ACTIVE (reclaim's aging and writeback), the
 * kernel-hacker bits (MLOCKED follows mlock's folio batches), the compound bits (order-0 here).
 */
export const KPAGE_FLAGS = ['uptodate', 'lru', 'mmap', 'anon', 'swapbacked', 'unevictable', 'thp', 'zero'] as const;
export const KPAGE_FLAG_BITS = [3, 5, 11, 12, 14, 18, 22, 24] as const;

export const KSTATS_OPS = {
  kvmStats: decl({
    doc: 'KVM_GET_STATS_FD on a VM or vCPU fd; on the stats fd: pread the header, id, descriptors and data, check the layout, pread 8 bytes at `at`, try `write`, close. ok { id (kvm-PID or kvm-PID/vcpu-N, PID this process), layout ("ok" or the first check that failed), has (KVM_STATS_KEYS present), pages ({ k4, m2, g1 } of a VM, null of a vCPU), readAt (bytes, or the errno), write (the errno, or the bytes written) }, or the ioctl\'s errno',
    fields: {
      on: variant({ vm: { vm: handle('vm') }, vcpu: { vcpu: handle('vcpu') } }),
      at: enumOf(STATS_READ_AT),
      write: enumOf(STATS_WRITE),
    },
  }),
  kpageFlags: decl({
    doc: 'the /proc/self/pagemap entry of the page at a map offset; if a page is present, /proc/kpageflags and /proc/kpagecount at its PFN: ok { flags (KPAGE_FLAGS set, in that order), count (the page\'s mapcount) }, or ok null (no page mapped there; an offset outside the mapping asks nothing)',
    fields: { map: handle('map'), offset: mapOffset() },
    footprint: (o): Footprint => ({ map: o.map, offset: o.offset, len: 1n }),
  }),
} as const;
