/**
 * The numbered rules of partial munmap (issue 15; docs/kernel-surface.md row E08). Same format as
 * ./surface-rules.ts; a file of its own so the families grow without touching each other. Kernel
 * sources are read at v7.2; do_vmi_munmap's argument checks and the split of the VMAs at the
 * range's ends are the same functions in v6.18 (mm/vma.c).
 */
import type { RuleText } from './entry.js';

export const SURFACE_MMRANGE_RULES: readonly RuleText[] = [
  {
    id: 'MAP-20',
    statement: '`munmap` of a part of a gmem mapping: an unaligned start, a start past TASK_SIZE or a length past TASK_SIZE − start → `EINVAL`; a length that page-rounds to 0 → `EINVAL`; otherwise the VMA is split at the range\'s page-rounded ends and only the pages inside are unmapped (nothing mapped there: 0). What remains on either side keeps working as before: its PTEs, the file\'s data (MAP-6), a private copy, the VMA policy (VMA-local on 6.18, POL-1′), VM_LOCKED, the madvise flags, guard markers and the uffd registration of its pages; the file stays referenced while a piece is left (LIFE-1). In the vocabulary the pages before the range keep the map handle and the pages after it get a new one; where the answer depends on the mapping\'s address (a start below it; an end past the room every mapping has above it, and TASK_SIZE itself, 2^47 or 2^56 with 5-level paging) both answers are allowed.',
    status: 'UP (generic mm)',
    observability: 'OBS',
    measured: 'memfd on 6.18.44: head, middle and tail cuts, then loads, stores, smaps, pagemap and mincore through both pieces (test/unit/native/munmap-part.test.ts)',
    src: 'mm/vma.c `do_vmi_munmap` (offset_in_page(start), start > TASK_SIZE, len > TASK_SIZE − start, PAGE_ALIGN(len) == 0 → -EINVAL; no VMA in the range → 0), `vms_gather_munmap_vmas` (`__split_vma` at start and at end), `vms_complete_munmap_vmas`; mm/mmap.c `__vm_munmap`; mm/util.c `mmap_base` (MIN_GAP: 128 MiB below the stack), v7.2.',
  },
];
