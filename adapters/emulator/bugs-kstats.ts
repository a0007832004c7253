/**
 * Zoo bugs of KVM's binary statistics (issue 15, round 5; spec/vocab/ops-kstats.ts): each a
 * plausible kernel change that breaks LVL-10 or MAP-41, with its shortest counterexample. Spread into
 * ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const KSTATS_BUGS = [
  // createVm; kvmStats(vm, write) → write EBADF expected, EINVAL with the bug.
  { id: 'stats-fd-writable', description: 'the stats file is opened O_RDWR: write(2) reaches vfs_write, which has no method (EINVAL) instead of EBADF', domain: 'creation', rule: 'LVL-10', needs: '', shortest: 2 },
  // createVm; kvmStats(vm, end) → readAt 0 expected, 8 with the bug.
  { id: 'stats-read-past-end', description: 'kvm_stats_read counts the id string twice in the file size: a pread at the end of the data block returns 8 bytes', domain: 'creation', rule: 'LVL-10', needs: '', shortest: 2 },
  // createVm; kvmStats(vm) → layout ok expected, "name_size" with the bug.
  { id: 'stats-name-size-wrong', description: 'the header\'s name_size is the size of the uAPI descriptor struct (16) instead of KVM_STATS_NAME_SIZE', domain: 'creation', rule: 'LVL-10', needs: '', shortest: 2 },
  // upstream: createVm; G(MMAP); slot; vcpu-free guestAccess(gmem-served); kvmStats(vm) → pages.small true expected, false with the bug.
  { id: 'stats-pages-uncounted', description: 'the TDP MMU installs a 4K leaf without kvm_update_page_stats: pages_4k stays 0 after the guest touched a gmem page', domain: 'guest', rule: 'LVL-10', needs: 'P-GUEST-PATH=GMEM', shortest: 5 },
  // createVm; G(MMAP|INIT_SHARED); mmap; store; kpageFlags → LRU with UNEVICTABLE expected (or neither), LRU alone with the bug.
  { id: 'gmem-page-evictable', description: 'the gmem mapping is not marked unevictable: its folios land on an evictable LRU list', domain: 'mmap', rule: 'MAP-41', needs: '', shortest: 5 },
  // createVm; G(MMAP|INIT_SHARED); mmap; store; kpageFlags → no SWAPBACKED expected, SWAPBACKED with the bug.
  { id: 'gmem-page-swapbacked', description: 'gmem folios are marked swap-backed as shmem\'s are (reclaim would try to swap them)', domain: 'mmap', rule: 'MAP-41', needs: '', shortest: 5 },
] as const satisfies readonly BugInfo[];
