/**
 * KVM's binary statistics of a VM or a vCPU (LVL-10; docs/kernel-surface.md A24, J13), as
 * virt/kvm/kvm_main.c kvm_vm_ioctl_get_stats_fd / kvm_vcpu_ioctl_get_stats_fd and
 * virt/kvm/binary_stats.c kvm_stats_read make them (v6.18 = v7.2 for everything checked here):
 *
 * - the file is an anon-inode file opened O_RDONLY with FMODE_PREAD only (anon_inode_getfile_fmode),
 *   its llseek noop_llseek: write(2) fails in vfs_write (no FMODE_WRITE: EBADF), pwrite(2) in
 *   ksys_pwrite64 before that (no FMODE_PWRITE: ESPIPE); a negative pread position is EINVAL
 *   (ksys_pread64);
 * - its content is the header (flags 0, name_size KVM_STATS_NAME_SIZE = 48), the id string at
 *   id_offset, num_desc descriptors of 16 + name_size bytes at desc_offset, the data block at
 *   data_offset; kvm_stats_read copies what lies before the end and returns 0 from the end on, so
 *   a pread past the end is 0 bytes and one across it is short;
 * - the id is "kvm-<pid of the VM's creator>" for a VM, "kvm-<pid>/vcpu-<vcpu id>" for a vCPU (6.18
 *   appends to the VM's id, 7.2 prints the vCPU creator's pid: the same process here);
 * - x86 lists pages_4k/2m/1g and nx_lpage_splits among the VM statistics (arch/x86/kvm/x86.c
 *   kvm_vm_stats_desc) and the generic and x86 vCPU statistics (kvm_vcpu_stats_desc).
 *
 * pages_*: the leaf SPTEs of each level. Every SPTE maps a GFN of a memslot and deleting a memslot
 * zaps its SPTEs (kvm_arch_flush_shadow_memslot), so a VM without memslots counts none. A profile
 * whose guest accesses are served through guest_memfd (P-GUEST-PATH GMEM: a TDP host, where the
 * TDP MMU counts every leaf it installs or zaps, arch/x86/kvm/mmu/tdp_mmu.c handle_changed_spte →
 * kvm_update_page_stats) counts a 4K SPTE for each gmem-served GFN the guest touched (LVL-2:
 * order-0 folios), and maps nothing huge where every slot is gmem-only; the shared half of a
 * plain or non-gmem-only slot follows the host page tables (LVL-3), which the spec does not track.
 * Where the MMU is not the TDP MMU (P-GUEST-PATH UADDR: kvm_pvm's shadow paging, which emulates
 * the guest's accesses and leaves the counters at 0 — obs:finding 1 — or a shadow MMU, whose
 * counts follow the guest's own page tables), zero and non-zero are both allowed. The outcome says
 * only whether each class is non-zero (`small`: pages_4k; `huge`: pages_2m or pages_1g).
 */
import { KVM_STATS_KEYS, ok, type Outcome } from '../vocab/index.js';
import { cases, only, rule, type Decision } from '../rule.js';
import type { Ctx } from '../ctx.js';
import { ebadf, vmDead } from '../lifetime/handles.js';
import { imRuns } from '../state/imap.js';
import type { SpecState, Vm } from '../state/types.js';
import { must, type Steps } from '../run.js';

type C = Ctx<'kvmStats'>;

const CITE = 'LVL-10; virt/kvm/kvm_main.c kvm_vm_ioctl_get_stats_fd, kvm_vcpu_ioctl_get_stats_fd (anon_inode_getfile_fmode O_RDONLY, FMODE_PREAD; noop_llseek), kvm_create_vm and kvm_vcpu_init (stats_id); virt/kvm/binary_stats.c kvm_stats_read; include/uapi/linux/kvm.h kvm_stats_header, kvm_stats_desc; fs/read_write.c ksys_pread64, ksys_pwrite64, vfs_write; arch/x86/kvm/x86.c kvm_vm_stats_desc, kvm_vcpu_stats_desc; arch/x86/kvm/mmu/tdp_mmu.c handle_changed_spte (kvm_update_page_stats), v6.18 and v7.2 (obs:finding 1, obs:KST-01..04)';

export const statsGone = ebadf<C>(({ s, op: { on } }) => (on.kind === 'vm' ? vmDead(s, on.vm) : !s.vcpus.has(on.vcpu)));

const VM_KEYS = KVM_STATS_KEYS.slice(0, 5);
const VCPU_KEYS = KVM_STATS_KEYS.slice(5);

/** What the extra pread returns: the file ends at the data block's end. */
const READ_AT = { end: 0, tail: 4, far: 0, negative: 'EINVAL' } as const;
const WRITE = { write: 'EBADF', pwrite: 'ESPIPE' } as const;

const hasSpte = (vm: Vm): boolean => imRuns(vm.sptes).length > 0;

/** The { small, huge } pairs LVL-10 allows for a VM, and why when more than one. */
const pagesAllowed = (c: C, vm: Vm): { readonly pairs: readonly (readonly [boolean, boolean])[]; readonly why?: string } => {
  // The guest's own code page: once a guest ran, the target's code memslot is mapped too (found in
  // the VM target on 7.2.13: pages_4k 1 after a guest access with no memslot of the sequence's).
  if (vm.slots.size === 0 && !vm.guestRan) return { pairs: [[false, false]] };
  if (vm.slots.size === 0) return { pairs: [[false, false], [true, false]], why: 'LVL-10: the target runs its guest from a memslot of its own, whose code page the MMU may map' };
  const both = [false, true];
  if (c.p.variants.guestPath === 'UADDR') {
    return { pairs: both.flatMap((a) => both.map((b) => [a, b] as const)), why: 'LVL-10: without the TDP MMU the counters are the MMU\'s own (kvm_pvm leaves them 0, obs:finding 1; a shadow MMU counts per guest page table)' };
  }
  const small = hasSpte(vm) ? [true] : both;
  const allGmemOnly = [...vm.slots.values()].every((sl) => sl.gmem !== null && sl.gmem.gmemOnly);
  const huge = allGmemOnly ? [false] : both;
  const pairs = small.flatMap((a) => huge.map((b) => [a, b] as const));
  return pairs.length === 1 ? { pairs } : { pairs, why: 'LVL-10: accesses through a userspace_addr map at the host page tables\' level (LVL-3), which the spec does not track' };
};

/** LVL-10: the stats file of a VM or vCPU, its layout, its end, its refusal of writes, and the VM's page counters. */
export const lvl10 = rule<C>({
  id: 'LVL-10',
  cite: CITE,
  decide: (c): Decision => {
    const { s, op } = c;
    const common = { layout: 'ok', readAt: READ_AT[op.at], write: WRITE[op.write] };
    if (op.on.kind === 'vcpu') {
      const id = `kvm-PID/vcpu-${s.vcpus.get(op.on.vcpu)!.vcpuId}`;
      return only(s, ok({ id, ...common, has: [...VCPU_KEYS], pages: null }));
    }
    const out = (small: boolean, huge: boolean): Outcome => ok({ id: 'kvm-PID', ...common, has: [...VM_KEYS], pages: { small, huge } });
    const { pairs, why } = pagesAllowed(c, s.vms.get(op.on.vm)!);
    const keep = (): SpecState => s;
    return pairs.length === 1 ? only(s, out(pairs[0]![0], pairs[0]![1])) : cases(pairs.map(([a, b]) => [out(a, b), keep] as const), why);
  },
});

export const statsChain = [statsGone, lvl10] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  kvmStats: (p, s, o) => must({ p, s, op: o }, statsChain),
} satisfies Steps;

