/**
 * The numbered rules of the mapping family (issue 15; docs/kernel-surface.md rows E02–E05, G14).
 * Same format as ./surface-rules.ts; a file of its own so the families grow without touching each
 * other. Kernel sources are read at v7.2 (Debian's linux-source-7.2, 7.2.13); the generic mmap
 * paths cited are older than 6.18 (the mmap_region abort path since 6.12), and the memfd answers
 * were measured on this host's 6.18.44 kernel by test/unit/native/mmap-ex.test.ts.
 */
import type { RuleText } from './entry.js';

export const SURFACE_MAP_RULES: readonly RuleText[] = [
  {
    id: 'MAP-17',
    statement: 'mmap\'s flags word is an unsigned long. After the offset alignment and the fd, MAP_HUGETLB on a file that is not hugetlbfs → `EINVAL`; then the length (0 → `EINVAL`, longer than the address space → `ENOMEM`); MAP_FIXED_NOREPLACE over an existing mapping → `EEXIST` (also with MAP_FIXED, and before the type is examined); then the type: MAP_SHARED drops every bit outside LEGACY_MAP_MASK silently (MAP_SYNC, MAP_FIXED_NOREPLACE, 0x200, 0x400, bit 21, bit 31, bits ≥ 32), MAP_SHARED_VALIDATE refuses any such bit with `EOPNOTSUPP` (MAP_SYNC too: neither shmem nor guest_memfd has FOP_MMAP_SYNC), MAP_PRIVATE examines none, and any other type (0, 4–7, 8 = MAP_DROPPABLE, 9–15) → `EINVAL`; PROT_EXEC on the noexec gmem mount → `EPERM` (MAP-3); MAP_GROWSDOWN → `EINVAL` (no file mapping may grow). MAP_32BIT, MAP_ABOVE4G, MAP_STACK, MAP_NORESERVE, MAP_NONBLOCK, MAP_DENYWRITE, MAP_EXECUTABLE, MAP_UNINITIALIZED and the MAP_HUGE_* size bits change nothing a test sees beyond the address. A MAP_FIXED mapping replaces what it covers: the old mapping\'s pages are unmapped *before* the file\'s mmap method runs, so a gmem refusal there (no MMAP: `ENODEV`, MAP_PRIVATE: `EINVAL`) leaves the covered range unmapped; a part of the old mapping past the new one stays mapped (and keeps the file referenced).',
    status: 'UP (generic mm; the gmem part is its mmap method)',
    observability: 'OBS',
    measured: 'on memfd, 6.18.44 (this host): every flag bit alone with SHARED, SHARED_VALIDATE and PRIVATE, bits 31/32/63, every type, FIXED and FIXED_NOREPLACE over a mapping (test/unit/native/mmap-ex.test.ts); on gmem 6.18.44: MAP_SYNC with SHARED_VALIDATE `EOPNOTSUPP`, MAP_HUGETLB `EINVAL` (obs:MM-05..31)',
    src: 'mm/mmap.c `ksys_mmap_pgoff` (MAP_HUGETLB), `do_mmap` (MAP_FIXED_NOREPLACE, `LEGACY_MAP_MASK`, `FOP_MMAP_SYNC`, the type switch, `path_noexec`, VM_GROWSDOWN); include/linux/mman.h `LEGACY_MAP_MASK`, `calc_vm_flag_bits`; mm/vma.c `__mmap_region`, `vms_abort_munmap_vmas`, v7.2.',
  },
  {
    id: 'MAP-18',
    statement: 'MAP_POPULATE (without MAP_NONBLOCK) and MAP_LOCKED fault the new mapping in after it is made, ignoring errors: the populate walks the range like mlock (FOLL_FORCE; FOLL_WRITE only on a private writable mapping, which gets its copies) and stops quietly at the first page that cannot be faulted — a private or EOF gmem page, an EOF memfd page, a PROT_NONE mapping — while the mmap still succeeds. MAP_LOCKED also leaves the mapping mlocked (VM_LOCKED: MAP-22\'s EBUSY, MAP-28\'s refusals); as root RLIMIT_MEMLOCK never applies. Under the NO_DIRECT_MAP series the populate is refused by GUP (nothing comes in) and, as for mlock (DMAP-21), the mapping is taken to be left unlocked (UNVERIFIED for the mmap path: the series\' mm patch was read for mlock only; both worlds give the same mmap outcome, so the spec keeps the one MAP-22 and MAP-28 assume).',
    status: 'UP (generic mm)',
    observability: 'OBS',
    measured: 'on memfd, 6.18.44 (this host): MAP_POPULATE, MAP_PRIVATE|MAP_POPULATE and MAP_LOCKED over a 2-page file in a 4-page mapping succeed; MADV_DONTNEED on the MAP_LOCKED mapping `EINVAL` (test/unit/native/mmap-ex.test.ts); on gmem 6.18.44: MAP_LOCKED/MAP_POPULATE accepted (obs:MM-19..22)',
    src: 'mm/mmap.c `do_mmap` (`*populate` for VM_LOCKED or MAP_POPULATE without MAP_NONBLOCK), `mlock_future_ok`; mm/util.c `vm_mmap_pgoff` (`mm_populate`); mm/gup.c `__mm_populate` (ignore_errors), `populate_vma_page_range`, v7.2.',
  },
];
