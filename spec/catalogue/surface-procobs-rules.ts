/**
 * The numbered rules of the procfs query ioctls (issue 15; docs/kernel-surface.md J06, J08):
 * PAGEMAP_SCAN on /proc/self/pagemap and PROCMAP_QUERY on /proc/self/maps over a guest_memfd (or
 * memfd) mapping. Same format as ./surface-rules.ts; a file of its own so the families grow
 * without touching each other. Kernel sources read at v7.2 (Debian's linux-source-7.2, 7.2.13);
 * 6.18 was measured on this host (test/unit/native/procobs.test.ts).
 */
import type { RuleText } from './entry.js';

export const SURFACE_PROCOBS_RULES: readonly RuleText[] = [
  {
    id: 'MAP-40',
    statement: '`PAGEMAP_SCAN` over a range of a gmem mapping validates first, in this order: `size` ≠ 96 → EINVAL; a flag bit outside `PM_SCAN_WP_MATCHING|PM_SCAN_CHECK_WPASYNC` (bit 2, 31, 32, 63) → EINVAL; a bit above `PAGE_IS_GUARD` (0x100) in `category_inverted`, `category_mask`, `category_anyof_mask` or `return_mask` → EINVAL; an unaligned start → EINVAL; a range past the top of the address space → EFAULT; `vec` NULL with `vec_len` > 0 → EINVAL; a `vec_len` whose 24-byte regions leave the address space → EFAULT. Then it walks the range\'s VMAs (an unmapped gap gives nothing) and categorises each page: a PTE mapping the page-cache folio → `PRESENT|WRITTEN|FILE` (a MAP_PRIVATE copy: `PRESENT|WRITTEN`), a guard marker → `SWAPPED|WRITTEN|GUARD`, no PTE → `WRITTEN` where a page table covers the page and nothing where none does (a hole of the walk; which one the sequence does not fix: the table is the 2 MiB region\'s and CONFIG_PT_RECLAIM frees empty ones); `SOFT_DIRTY` on every page or on none (CONFIG_MEM_SOFT_DIRTY: every new VMA is VM_SOFTDIRTY); never `PFNZERO` or `HUGE` (order-0 mappings). A page is kept when its categories XOR `category_inverted` contain all of `category_mask` and, if `category_anyof_mask` is set, any of it; kept pages are written as regions of equal `categories & return_mask`, merged while contiguous, at most `vec_len` of them and `max_pages` pages (0: no limit); the call returns the number of regions and sets `walk_end` to where it stopped (the page-aligned end when it did not). `CHECK_WPASYNC` on a VMA without async-WP registration → EPERM; `WP_MATCHING` skips such a VMA (what the WP flags do to an async-WP range is UFD-21).',
    status: 'UP-6.7 (generic procfs; GUARD 6.14; DERIVED for gmem)',
    observability: 'OBS',
    measured: 'memfd on 6.18.44 (/tmp probe, then test/unit/native/procobs.test.ts): two faulted pages of eight → regions 0x2 (pte_none WRITTEN) / 0xe / 0x2 / 0xe / 0x2; four pages of a 2 MiB region never touched → one region 0; a guard page 0x112; size 95, category bit 32, return bit 9 → EINVAL; category_mask PRESENT → only the two faulted pages',
    src: 'fs/proc/task_mmu.c `pagemap_scan_get_args`, `do_pagemap_scan`, `pagemap_scan_test_walk`, `pagemap_page_category`, `pagemap_scan_pmd_entry`, `pagemap_scan_pte_hole`, `pagemap_scan_is_interesting_page`, `pagemap_scan_output`, `pagemap_scan_push_range`, `pagemap_scan_flush_buffer`, v7.2; include/uapi/linux/fs.h `struct pm_scan_arg`, `PAGE_IS_*`.',
  },
  {
    id: 'MAP-42',
    statement: '`PROCMAP_QUERY` on `/proc/self/maps` for an address of a gmem mapping: the kernel reads `size` bytes of `struct procmap_query` (fields past them read as zero) — `size` > 4096 → E2BIG, < 24 → EINVAL, > 104 with a non-zero byte past the structure → E2BIG; query flag bits outside the six known ones (bit 6, 31, 32, 63) → EINVAL; a name or build-id buffer whose size and address are not both zero or both set → EINVAL. It returns the VMA covering the address whose permissions include the queried READABLE/WRITABLE/EXECUTABLE/SHARED (VM_MAYSHARE) bits — or, with `COVERING_OR_NEXT_VMA`, the next such VMA above; none → ENOENT; `FILE_BACKED_VMA` selects every gmem VMA — with its range (the MAP-38 VMA, possibly merged with a neighbour mapping of the same file), `vma_flags` per PROT plus SHARED for MAP_SHARED, page size 4096, the file offset of its start and the file\'s name (CRE-17; a buffer shorter than the name and its NUL → ENAMETOOLONG). A build id is never found (the file is not an ELF image: 7.2 reads it with `__kernel_read`, which gmem refuses for want of a read method; shmem reads zeros or data): `build_id_size` comes back 0 and the call succeeds. Only min(`size`, 104) bytes are copied back.',
    status: 'UP-6.11 (generic procfs; DERIVED for gmem)',
    observability: 'OBS',
    measured: 'memfd on 6.18.44: the VMA of a 4 MiB shared mapping, flags 0xb, page size 4096, offset 0, name `/memfd:gmemcheck (deleted)` (size 27), build_id_size 0 with page 0 in the page cache; size 24 → 0 with nothing copied back past query_addr; query flag bit 32 → EINVAL; a 5-byte name buffer → ENAMETOOLONG (test/unit/native/procobs.test.ts). Not asked on 6.18 where page 0 is not in the page cache: the 6.18 build-id reader falls back to `read_cache_folio`, whose filler is the address space\'s `read_folio`, which neither shmem nor guest_memfd has (the target checks residency with mincore first)',
    src: 'fs/proc/task_mmu.c `do_procmap_query`, `query_matching_vma`, `get_vma_name`; include/linux/uaccess.h `copy_struct_from_user`; lib/buildid.c `build_id_parse_file`, `freader_fetch` (v7.2: `__kernel_read`); fs/read_write.c `__kernel_read` (no FMODE_CAN_READ: EINVAL); mm/filemap.c `do_read_cache_folio`, v7.2; include/uapi/linux/fs.h `struct procmap_query`.',
  },
];
