/**
 * The numbered rules of the NUMA family of the wider surface (issue 15; docs/kernel-surface.md rows
 * G16, H02, H05, H07/J04): get_mempolicy's flags word, the numa_maps line of a guest_memfd VMA and
 * move_pages of its pages. Same format
 * as ./surface-rules.ts; a file of its own so the families grow without touching each other. Kernel
 * sources are read at v7.2 (Debian's linux-source-7.2, 7.2.13); the 6.18 answers rest on the same
 * functions (mm/mempolicy.c do_get_mempolicy, fs/proc/task_mmu.c show_numa_map are unchanged in
 * what they print) and on the memfd measurements of this host's kernel (test/unit/native/numa.test.ts).
 */
import type { RuleText } from './entry.js';

export const SURFACE_NUMA_RULES: readonly RuleText[] = [
  {
    id: 'POL-20',
    statement: '`move_pages(0, n, pages, nodes, status, flags)` on a gmem (or memfd) mapping: `flags` outside MOVE|MOVE_ALL → EINVAL; MOVE_ALL without CAP_SYS_NICE → EPERM. Query (`nodes` NULL): per page its folio\'s node when a PTE maps it, −ENOENT when none does (private or never-faulted offsets), −EFAULT for an address no VMA holds; returns 0. Move: each page\'s node is checked before its lookup — a node without memory (node 1 on one node, a negative one) → ENODEV for the call, so 0 pages → 0 whatever the node; a folio already on the target node stays, status = the node (on one node: everything), unmapped → −ENOENT, no VMA → −EFAULT, and the call returns 0 (nothing migrated). A gmem VMA is migratable by `vma_migratable` (GFP_HIGHUSER is not below policy_zone), so on more than one node the folio is isolated and its mapping must refuse the migration (MAP-12): what status and return value that gives is UNVERIFIED (probe 16).',
    status: 'UP (generic migration; DERIVED for gmem)',
    observability: 'OBS',
    measured: 'memfd on 6.18.44: query and move to node 0 over mapped, unmapped and outside pages, a MAP_PRIVATE copy, nodes 1 and −1 (ENODEV), 0 pages with node 5 (0), STRICT and bit 3 (EINVAL) (test/unit/native/numa.test.ts); obs:MP-G-34 (0), MP-P-34 (−ENOENT) on the earlier gmem kernel',
    src: 'mm/migrate.c `kernel_move_pages`, `do_pages_stat`, `do_pages_stat_array`, `do_pages_move`, `add_folio_for_migration`, `__add_folio_for_migration`; mm/mempolicy.c `vma_migratable`; virt/kvm/guest_memfd.c (`mapping_set_gfp_mask(GFP_HIGHUSER)`), v7.2.',
  },
  {
    id: 'POL-22',
    statement: '`get_mempolicy`\'s `flags` is an `unsigned long` checked whole before anything else: any bit outside MPOL_F_NODE|MPOL_F_ADDR|MPOL_F_MEMS_ALLOWED (bit 31, 32 and 63 included) → EINVAL. MEMS_ALLOWED together with NODE or ADDR → EINVAL; MEMS_ALLOWED alone → 0, mode 0 and the nodes the task may use (every node with memory where no cpuset narrows it), the address ignored. Without ADDR a non-zero address → EINVAL (0 and NODE alone). ADDR and ADDR|NODE answer as POL-1/1′, POL-2, POL-4 and POL-8 say.',
    status: 'UP (generic mempolicy)',
    observability: 'OBS',
    measured: 'memfd on 6.18.44: bits 3, 31, 32 and 63 → EINVAL, MEMS_ALLOWED → mode 0 nodes 1, MEMS_ALLOWED|ADDR → EINVAL, 0 and NODE with an address → EINVAL (test/unit/native/numa.test.ts)',
    src: 'mm/mempolicy.c `kernel_get_mempolicy` (unsigned long flags), `do_get_mempolicy`, v7.2.',
  },
  {
    id: 'POL-24',
    statement: 'The `/proc/<pid>/numa_maps` line of a gmem VMA: the policy is the one `__get_vma_policy` finds at the VMA\'s start — the file\'s `get_policy` where it has one (gmem with shared policies, P-POL-SCOPE=INODE: the shared policy of the VMA\'s first file page; memfd: shmem\'s), else the VMA\'s own policy (6.18 gmem, POL-1′) — and where that is none, the **reading task\'s** policy (`default` when the task has none either; so a VMA that `get_mempolicy(MPOL_F_ADDR)` reports as DEFAULT shows the task policy here). It prints as `mpol_to_str` does: `default`, `local`, `prefer:N`, `bind:N`, `interleave:N`, `weighted interleave:N`, `prefer (many):N`, the mode flags as `=static`, `=relative`, `balancing` (joined by `|`), the nodes as a list of ranges of the policy\'s effective nodes. Then `file=` and the path escaped as `seq_path` with "\\n\\t= " does (a space is `\\040`: `anon_inode:[kvm-gmem]` on 6.18, `/[kvm-gmem]\\040(deleted)` on the guest_memfd filesystem, `/memfd:NAME\\040(deleted)`). The counts cover the pages a PTE maps in the VMA: `anon=` the MAP_PRIVATE copies (never on gmem), `mapped=` all of them unless that equals `anon=` or `dirty=` (then the kernel leaves it out), `N<node>=` per node (`N0=` on one node). A VMA with no mapped page has no counts. The VMA may extend into an adjacent mapping of the same file as in MAP-38.',
    status: 'UP (generic procfs; DERIVED for gmem)',
    observability: 'OBS',
    measured: 'memfd on 6.18.44: the line after faults, a MAP_PRIVATE copy, mbind BIND, set_mempolicy BIND on the reading thread with no VMA policy (shows bind:0), a second mapping (test/unit/native/numa.test.ts)',
    src: 'fs/proc/task_mmu.c `show_numa_map` (`__get_vma_policy(vma, vma->vm_start)`, else `proc_priv->task_mempolicy`; `seq_path(..., "\\n\\t= ")`), `hold_task_mempolicy`, `gather_pte_stats`, `gather_stats`; mm/mempolicy.c `mpol_to_str`, `policy_modes`, `__get_vma_policy`; virt/kvm/guest_memfd.c `kvm_gmem_get_policy` (NULL when no shared policy), v7.2.',
  },
];
