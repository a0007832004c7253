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
];
