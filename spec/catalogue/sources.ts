/**
 * The sources the catalogue cites by key (S1 … S24, SEED0 … SEED4): public kernel trees at a named
 * commit or release, mailing-list posts by subject, author and date, and the project's own probe
 * records. A kernel path cited without a key (the GEN-* rules, the spec's `cite` strings) is read
 * in torvalds/linux at tag v6.18 unless the citation names another release.
 */
export interface Source {
  readonly key: string;
  readonly cite: string;
}

/** Where an unkeyed kernel path is read. */
export const DEFAULT_KERNEL = 'torvalds/linux at tag v6.18';

export const SOURCES: readonly Source[] = [
  { key: 'S1', cite: 'torvalds/linux virt/kvm/guest_memfd.c at commit 0f94e51b5320eacccc2626ab70b8d7e705332334: the 6.18 code (an anonymous inode, the flags kept in i_private).' },
  { key: 'S2', cite: 'torvalds/linux virt/kvm/guest_memfd.c at commit 01f492e1817e858d1712f2489d0afbaa552f417b: mainline after the NUMA and pseudo-filesystem work (6.19 on: gmem_inode with a shared_policy, the guest_memfd pseudo-fs).' },
  { key: 'S3', cite: 'torvalds/linux tools/testing/selftests/kvm/guest_memfd_test.c at commit 01f492e1817e858d1712f2489d0afbaa552f417b (the mainline selftest; properties/scenarios/UPSTREAM-SELFTESTS.md numbers its tests).' },
  { key: 'S4', cite: 'torvalds/linux tools/testing/selftests/kvm/guest_memfd_test.c at tag v6.18.' },
  { key: 'S5', cite: 'linux-next tools/testing/selftests/kvm/guest_memfd_test.c at commit 9deb170af372c67589848f9743b155ba5573c1ef (adds the userfaultfd tests).' },
  { key: 'S6', cite: 'the mm tree (linux-mm) tools/testing/selftests/kvm/guest_memfd_test.c at commit 06a9e0498e809adca844d35b7121e82f060c3baf (mbind, NUMA and collapse tests).' },
  { key: 'S7', cite: 'kvm-x86/linux include/uapi/linux/kvm.h at commit 01a871852b1133fc5f611ad7c0c072870c90aede.' },
  { key: 'S8', cite: 'kalyazin/linux include/uapi/linux/kvm.h at commit 1cafdad28cdc8e44435b19ed879c3ee03c541f65 and virt/kvm/guest_memfd.c at commit 07a2ee4ca4526ab80210d2ed95518ab73b08668f (userfaultfd, per-folio direct-map removal, write()).' },
  { key: 'S9', cite: 'Documentation/virt/kvm/api.rst in linux-next at commit 598616eccbdb097f9883467975f50debae632f4c: 4.140 KVM_SET_USER_MEMORY_REGION2, 4.141 KVM_SET_MEMORY_ATTRIBUTES, 4.142 KVM_CREATE_GUEST_MEMFD, 4.143 KVM_PRE_FAULT_MEMORY.' },
  { key: 'S10', cite: 'googleprodkernel/linux-cc branch guest_memfd-inplace-conversion-v8, virt/kvm/guest_memfd.c at commit 017a929ee25cca3b900abe6c568453af2a4dc737, and the in-place conversion series v8 on kvm@vger.kernel.org (June 2026, 46 patches).' },
  { key: 'S11', cite: 'the in-place conversion series v8 as applied on the S10 branch: attributes kept in a maple tree, gmem_in_place_conversion, EEXIST for an overlapping bind, the interleave index taken from the inode number.' },
  { key: 'S12', cite: 'the series "Direct Map Removal Support for guest_memfd" v12 (Nikita Kalyazin, Patrick Roy, Takahiro Itazuri; kvm@vger.kernel.org, April 2026), patch 10/16 "KVM: guest_memfd: Add flag to remove from direct map", and v9 patch 03/13 (the mm part adding AS_NO_DIRECT_MAP).' },
  { key: 'S13', cite: 'the guest_memfd userfaultfd series: RFC 00/17 (January 27 2026) and v2 (March 2026, SEED2); mm/userfaultfd.c vm_uffd_ops in the series; fs/userfaultfd.c vma_can_userfault at v6.18.' },
  { key: 'S14', cite: 'torvalds/linux at v6.18: mm/mempolicy.c do_get_mempolicy, mm/shmem.c shmem_get_policy.' },
  { key: 'S15', cite: 'torvalds/linux at v6.18: arch/x86/kvm/mmu/mmu.c kvm_mmu_max_mapping_level and kvm_gmem_max_mapping_level (from the guest_memfd mmap series merged for 6.18).' },
  { key: 'S16', cite: 'pull requests and stable reviews: "KVM guest_memfd changes for 7.2" (merge commit 06ba195f136a34f0a6e41f252002368d57875db9); "KVM fixes for 6.19-rc1" (0499add8efd72456514c6218c062911ccc922a99, with kvm-x86 commits 9935df5333aa "KVM: Disallow toggling KVM_MEM_GUEST_MEMFD on an existing memslot" and af62fe2494da84eb01752282c8228c9bb3fe9f67); "KVM guest_memfd changes for 6.20" (9123c5f956b1fbedd63821eb528ece55ddd0e49c); the 6.18.3-rc1 stable review (stable@vger.kernel.org, December 29 2025); the linux-stable-rc queue/6.18 of March 10 2026 ("mm: thp: deny THP for files on anonymous inodes").' },
  { key: 'S17', cite: '"KVM: Rework KVM_CAP_GUEST_MEMFD_MMAP into KVM_CAP_GUEST_MEMFD_FLAGS" (Sean Christopherson, October 3 2025, message-id 20251003232606.4070510-2-seanjc@google.com); "KVM: Allow and advertise support for host mmap() on guest_memfd files" (commit 3d3a04fad25a, August 27 2025); arch/x86/kvm/x86.c kvm_arch_supports_gmem_init_shared at v6.18.' },
  { key: 'S18', cite: 'torvalds/linux at v6.18: virt/kvm/kvm_main.c kvm_set_memory_region; tools/testing/selftests/kvm/set_memory_region_test.c (its guest_memfd cases); commit e563592224e0 "KVM: Make KVM_MEM_GUEST_MEMFD mutually exclusive with KVM_MEM_READONLY" (6.8 fixes).' },
  { key: 'S19', cite: '"mm: thp: deny THP for files on anonymous inodes" (February 2026, Cc: stable); the review of the guest_memfd collapse selftest; the syzbot report "WARNING in kvm_gmem_fault_user_mapping".' },
  { key: 'S20', cite: 'the guest_memfd HugeTLB and shareability RFC v2 series (Ackerley Tng et al., kvm@vger.kernel.org, 2025), whose patch 02/51 is "KVM: guest_memfd: Introduce and use shareability to guard faulting" (SEED1).' },
  { key: 'S21', cite: 'the guest_memfd memory-failure RFC (Lisa Wang, kvm@vger.kernel.org, October 2025).' },
  { key: 'S22', cite: 'the guest_memfd live-update preservation RFC v2, patch 06/10 "Add support for freezing and unfreezing mappings" (Tarun Sahu, June 5 2026).' },
  { key: 'S23', cite: '"[PATCH v6 1/2] KVM: guest_memfd: add generic population via write" (linux-kselftest).' },
  { key: 'S24', cite: 'the project\'s own measurements on the development host, cited `obs:ID`: docs/probe-records/linux-6.18.44-pvm.md.' },
  { key: 'SEED0', cite: 'Sean Christopherson, reply to Gregory Price on "[PATCH kvm-next V11 6/7] KVM: guest_memfd: Enforce NUMA mempolicy using shared policy", October 16 2025 (get_mempolicy falls back to the default policy, not the task\'s).' },
  { key: 'SEED1', cite: 'Fuad Tabba, "Re: [RFC PATCH v2 02/51] KVM: guest_memfd: Introduce and use shareability to guard faulting", August 12 2025 (reply to Michael Roth on default shareability and INIT_PRIVATE).' },
  { key: 'SEED2', cite: 'Nikita Kalyazin, "[PATCH v2 13/15] KVM: guest_memfd: implement userfaultfd operations", in the series posted by Mike Rapoport, March 6 2026.' },
  { key: 'SEED3', cite: 'Takahiro Itazuri, "Re: [PATCH v12 10/16] KVM: guest_memfd: Add flag to remove from direct map", May 8 2026 (reply to Sean Christopherson, Frank van der Linden and Lorenzo Stoakes on how long the direct map stays removed).' },
  { key: 'SEED4', cite: 'Sean Christopherson, "Re: [PATCH v16 15/22] KVM: x86/mmu: Extend guest_memfd\'s max mapping level to shared mappings", July 25 2025 (reply to Ackerley Tng).' },
];

export const SOURCE_KEYS: ReadonlySet<string> = new Set(SOURCES.map((s) => s.key));

/** Every source key a citation text names (S3/S4 names both). */
export const sourceKeysIn = (text: string): string[] => [...text.matchAll(/\b(SEED\d+|S\d+)\b/g)].map((m) => m[1]!);
