/**
 * The numbered rules of the VMA-naming and populate-permission rows (issue 15;
 * docs/kernel-surface.md E17, F12). Same format as ./surface-rules.ts; a file of its own so the
 * families grow without touching each other. Kernel sources are read at v7.2 (Debian's
 * linux-source-7.2); the memfd answers were measured on this host's 6.18.44 kernel.
 */
import type { RuleText } from './entry.js';

export const SURFACE_MREMAP_RULES: readonly RuleText[] = [
  {
    id: 'MAP-25',
    statement: '`prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, len, name)` cannot name a guest_memfd (or memfd) mapping. In order: a name longer than ANON_VMA_NAME_MAX_LEN (80 bytes with the NUL) or with a character outside the printable set minus `\\`$[]` → `EINVAL`; an unaligned start, a length that rounds to 0 from near 2^64, or start + len wrapping → `EINVAL`; a length of 0 → 0; then the VMA walk: the first VMA the range meets is a file mapping that is not anonymous shmem → `EBADF`, and nothing changes; a range that meets no VMA → `ENOMEM`. A NULL name (clearing) is refused the same way. Without CONFIG_ANON_VMA_NAME the call is a stub that answers `EINVAL` to every argument; the profiles do not carry that build option, so the spec allows `EINVAL` everywhere besides the answer of a kernel that has it.',
    status: 'UP (generic mm; guest_memfd is a file mapping)',
    observability: 'P',
    measured: 'on 6.18.44 (this host, built without CONFIG_ANON_VMA_NAME): `EINVAL` for a memfd mapping and for an anonymous one alike (test/unit/native/mremap-family.test.ts). The `EBADF` branch is checked on the emulator, which models a kernel with the option',
    src: 'kernel/sys.c `prctl_set_vma`; mm/madvise.c `set_anon_vma_name` (`strndup_user`, `is_valid_name_char`), `madvise_set_anon_name`, `madvise_walk_vmas`, `madvise_vma_behavior` (`__MADV_SET_ANON_VMA_NAME`: `vm_file && !vma_is_anon_shmem` → `-EBADF`); include/linux/mm.h (the stub without CONFIG_ANON_VMA_NAME), v7.2.',
  },
  {
    id: 'MAP-29',
    statement: 'MADV_POPULATE_READ/WRITE report a refusal by the VMA\'s permission check as `EINVAL`, before any page is faulted: PROT_NONE (either advice), POPULATE_READ on a mapping without VM_READ (on x86 PROT_WRITE alone leaves VM_READ clear), POPULATE_WRITE on a mapping without VM_WRITE (PROT_READ, shared or private), and — under the NO_DIRECT_MAP series — any ndm file (GUP refuses the VMA as it does secretmem). A fault that fails on a permitted VMA (a private or beyond-EOF gmem page, a guard marker) gives `EFAULT` (MAP-9).',
    status: 'UP-6.9 (FOLL_MADV_POPULATE: the populate path looks the VMA up itself and maps a `check_vma_flags` failure to `-EINVAL`)',
    observability: 'OBS',
    measured: 'on memfd, 6.18.44 (this host): PROT_NONE read and write, PROT_WRITE-only read, PROT_READ write → `EINVAL`; PROT_READ read → 0 (test/unit/native/mremap-family.test.ts)',
    src: 'mm/gup.c `__get_user_pages` (FOLL_MADV_POPULATE: `vma_lookup`, `check_vma_flags` failure → `-EINVAL`), `check_vma_flags`, `faultin_page_range`; mm/madvise.c `madvise_populate` (`-EINVAL` passed through: "Incompatible mappings / permissions"), v7.2.',
  },
  {
    id: 'MAP-21',
    statement: '`mremap(addr, old_size, new_size, flags, new_addr)` refuses, in this order: a flag bit outside MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP (bit 3, 31, 32, 63: the flags are an unsigned long) → `EINVAL`; a new size of 0 after page rounding (a size near 2^64 rounds to 0) or past TASK_SIZE → `EINVAL`; then, when a new address is implied (FIXED or DONTUNMAP): a new range past TASK_SIZE, no MAYMOVE, DONTUNMAP with old_size != new_size, or a new range overlapping the old one → `EINVAL`. A FIXED move without a size change walks every VMA of the old range (remap_move: a mapping split by mlock, mbind or madvise flags moves whole), but a VMA with a uffd context may not move with others (`EFAULT`, after the VMAs before it moved). Otherwise the first VMA decides (check_prep_vma): `old_size` 0 of a private mapping → `EINVAL`; the range past that VMA → `EFAULT` (a shrink bounds the new size instead, and a shrink without a new address unmaps past the VMA unchecked). A FIXED move unmaps its target before it looks the old VMA up again, so `old_size` 0 onto the old address itself is `EFAULT` after the old mapping was unmapped. A moved VMA loses its userfaultfd registration when the context lacks UFFD_FEATURE_EVENT_REMAP (never enabled here: the harness serves no remap event).',
    status: 'UP (generic mm; guest_memfd VMAs have no VM_DONTEXPAND in 6.18 or 7.2; see MAP-10 for the proposal)',
    observability: 'OBS',
    measured: 'on memfd, 6.18.44 (this host): flags 8 and bit 32, a new length of 0, FIXED without MAYMOVE and DONTUNMAP with a size change → `EINVAL`; `old_size` 0 of a private map → `EINVAL`, of a shared one a second mapping of the same pages; FIXED|MAYMOVE with `old_size` 0 onto the old address → `EFAULT` with the old mapping gone (test/unit/native/mremap.test.ts, and the random native runs)',
    src: 'mm/mremap.c `check_mremap_params`, `vrm_overlaps`, `vrm_implies_new_addr`, `remap_move`, `vma_multi_allowed`, `check_prep_vma`, `mremap_to`, `shrink_vma`, `expand_vma`, `vma_expandable`, `move_vma`, `dontunmap_complete`, `do_mremap`, v6.18 and v7.2; mm/userfaultfd.c `mremap_userfaultfd_prep`, v6.18 and v7.2.',
  },
];
