/**
 * The numbered rules of round 5's home-node and memslot-pad ops (issue 15; docs/kernel-surface.md
 * rows H04, A12): set_mempolicy_home_node on a gmem range, KVM_SET_USER_MEMORY_REGION2 with its
 * pads filled. Same format as ./surface-rules.ts. Kernel sources read at v7.2 (Debian's
 * linux-source-7.2, 7.2.13); the 6.18 answers rest on the same generic code, measured on this
 * host's 6.18.44 through memfd (test/unit/native/homeslot.test.ts).
 */
import type { RuleText } from './entry.js';

export const SURFACE_HOMESLOT_RULES: readonly RuleText[] = [
  {
    id: 'POL-23',
    statement: '`set_mempolicy_home_node(start, len, home_node, flags)` on a range of a gmem (or memfd) mapping; every argument is an `unsigned long`. In order: `start` not page-aligned → EINVAL; `flags` ≠ 0 (bit 31, 32 and 63 included) → EINVAL; `home_node` ≥ MAX_NUMNODES or offline (node 1 and up on one node; 2^32 and 2^63 too) → EINVAL; `len` is page-aligned as an `unsigned long` (a length within a page of 2^64 becomes 0): start + len wrapping → EINVAL, an empty range → 0. Then the VMAs of the range are walked with the answer ENOENT: a VMA without a policy of its **own** (`vma_policy`) is skipped — even when its file holds a shared policy set through another mapping (shmem, gmem with shared policies) or a task policy is set — so a range in which no VMA has one (holes included) → ENOENT; a VMA whose policy is not BIND or PREFERRED_MANY (PREFERRED, INTERLEAVE, LOCAL, WEIGHTED_INTERLEAVE) stops the walk with EOPNOTSUPP, the VMAs before it keeping their new home node; otherwise the VMA\'s policy is copied with the home node and stored as mbind stores a policy (`mbind_range`: the VMA splits at the range, merges with equal neighbours, and the file\'s `set_policy` stores it in the shared policy for the merged VMA\'s file pages), and the answer is 0. A policy already carrying that home node is left alone (`mpol_equal`, no split). `get_mempolicy` and numa_maps show the same mode and nodes as before (the home node is not printed); the home node is visible as a VMA boundary (smaps, numa_maps start, a uffd range spanning it), and a later mbind with the same mode and nodes is no longer "equal" and resets it.',
    status: 'UP (generic mempolicy; DERIVED for gmem)',
    observability: 'OBS',
    measured: 'memfd on 6.18.44: flags 1, bit 32, node 1 and 2^32, an unaligned start (EINVAL), length 0 and 2^64 − 1 (0), a range with no VMA policy, a second mapping of a BIND file (ENOENT), PREFERRED and INTERLEAVE (EOPNOTSUPP), BIND and PREFERRED_MANY (0), a BIND then PREFERRED range (EOPNOTSUPP after the first), the VMA split seen in smaps (test/unit/native/homeslot.test.ts)',
    src: 'mm/mempolicy.c `SYSCALL_DEFINE4(set_mempolicy_home_node)`, `mbind_range`, `vma_replace_policy`, `__mpol_equal` (home_node compared), `mpol_to_str` (home_node not printed); virt/kvm/guest_memfd.c `kvm_gmem_set_policy`, v7.2.',
  },
  {
    id: 'SLOT-20',
    statement: '`KVM_SET_USER_MEMORY_REGION2` reads the whole 160-byte `struct kvm_userspace_memory_region2` but never looks at `pad1` or `pad2[14]`: any pad value (bit 31, 32, 63, all ones) gives the answer — and the memslot change — the same call with zero pads gives, on gmem and plain slots alike. The v1 ioctl has no pads. A future kernel may start refusing non-zero pads (EINVAL); no profile does.',
    status: 'UP (generic KVM)',
    observability: 'OBS',
    measured: 'obs:MS-44/45 (accepted); on 6.18.44 (kvm_pvm, plain slots): creation, move, flag change and deletion with every pad word set, each answered as with zero pads (test/unit/native/homeslot.test.ts)',
    src: 'virt/kvm/kvm_main.c `kvm_vm_ioctl` (`KVM_SET_USER_MEMORY_REGION2`: `copy_from_user(&mem, argp, sizeof(mem))`), `kvm_set_memory_region`, `kvm_set_memslot`; virt/kvm/guest_memfd.c `kvm_gmem_bind`, v6.18 and v7.2.',
  },
  {
    id: 'SLOT-28',
    statement: 'A plain (non-gmem) memslot whose `userspace_addr` is a host mapping of a guest_memfd file is served as any plain slot: KVM takes the page behind the address with GUP (`hva_to_pfn`). Shared, in-bounds offsets of an INIT_SHARED file therefore work and the guest sees the bytes the host sees; a page the host cannot fault (private, past EOF) fails — upstream `KVM_RUN` returns EFAULT with no exit information, kvm_pvm (P-GUEST-PATH=UADDR) dies with INTERNAL_ERROR or SHUTDOWN (ENV-4). Upstream, a NO_DIRECT_MAP file\'s mapping is refused by GUP (DMAP-5) whatever the offset: every guest access through such a slot → EFAULT, though the host itself reads and writes the same mapping. kvm_pvm copies through `userspace_addr` with user accesses, which NO_DIRECT_MAP does not stop.',
    status: 'UP (generic KVM; DERIVED for gmem and for NO_DIRECT_MAP)',
    observability: 'Y',
    measured: 'obs:ST-13/63 (a plain slot on a gmem mapping works on kvm_pvm); NO_DIRECT_MAP UNVERIFIED (no such kernel here: the VM target decides)',
    src: 'virt/kvm/kvm_main.c `hva_to_pfn`, `hva_to_pfn_slow` (GUP), arch/x86/kvm/mmu/mmu.c `kvm_handle_error_pfn`, v7.2; "[PATCH v12 06/16] mm: introduce AS_NO_DIRECT_MAP" (Nikita Kalyazin, 10 Apr 2026).',
  },
];
