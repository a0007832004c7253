/**
 * The bug zoo: plausible kernel bugs the emulator can switch on (createEmulator({ bugs })) to
 * measure whether the suite notices them. Each entry names the rule it violates, the profile it
 * needs to show, and the shortest counterexample worked out by hand (ops counted from an empty
 * target; G = createGmem on vm 0 with fd 0, MI = MMAP|INIT_SHARED). Bugs act on guest_memfd files only (the memfd control
 * backing keeps correct shmem behaviour), so the shortest counterexample goes through a gmem file;
 * where `npm run mutants` found a shorter valid one, `shortest` records that length. The sequences are replayed in
 * test/unit/emulator/bugs.test.ts, which checks that each bug changes at least one outcome.
 */
import type { PropertyDomain } from '../../spec/vocab/index.js';
import { FD_BUGS } from './bugs-fd.js';
import { MAP_BUGS } from './bugs-map.js';
import { VCPU_BUGS } from './bugs-vcpu.js';
import { FD2_BUGS } from './bugs-fd2.js';
import { CHILD_BUGS } from './bugs-child.js';
import { KVMFD_BUGS } from './bugs-kvmfd.js';
import { KSTATS_BUGS } from './bugs-kstats.js';
import { UFFDWP_BUGS } from './bugs-uffdwp.js';
import { SCANWP_BUGS } from './bugs-scanwp.js';
import { OBSERVE_BUGS } from './bugs-observe.js';
import { PROCOBS_BUGS } from './bugs-procobs.js';
import { GUARD_BUGS } from './bugs-guard.js';
import { MREMAP_BUGS } from './bugs-mremap.js';
import { MMRANGE_BUGS } from './bugs-mmrange.js';
import { MPROT_BUGS } from './bugs-mprot.js';
import { NUMA_BUGS } from './bugs-numa.js';
import { SERIES_BUGS } from './bugs-series.js';
import { HOMESLOT_BUGS } from './bugs-homeslot.js';
import { UFFDSCAN_BUGS } from './bugs-uffdscan.js';
import { CONVCOPY_BUGS } from './bugs-convcopy.js';
import { SPAN_BUGS } from './bugs-span.js';

export interface BugInfo {
  readonly id: string;
  readonly description: string;
  /** The domain whose property should catch it. */
  readonly domain: PropertyDomain;
  /** The catalogue rule it violates. */
  readonly rule: string;
  /** Profile the bug needs beyond linux-6.18 (empty = the 6.18 profile). */
  readonly needs: string;
  /** Length in ops of the shortest known counterexample. */
  readonly shortest: number;
}

export const BUGS = [
  // createVm; createGmem(flags=BIT2) → EINVAL expected, fd with the bug.
  { id: 'flags-bit2-unchecked', description: 'flag bit 2 accepted although cap 244 lacks it', domain: 'creation', rule: 'CRE-2', needs: '', shortest: 2 },
  // createVm; createGmem(size=P+1) → EINVAL expected.
  { id: 'size-unaligned-accepted', description: 'an unaligned size is accepted', domain: 'creation', rule: 'CRE-4', needs: '', shortest: 2 },
  // createVm; createGmem(reserved=[1,0,0,0,0,0]) → ok expected.
  { id: 'reserved-rejected', description: 'non-zero reserved words rejected', domain: 'creation', rule: 'CRE-6', needs: 'P-RESERVED=IGNORED', shortest: 2 },
  // createVm; G; fdFlags → cloexec false expected.
  { id: 'gmem-cloexec', description: 'the gmem fd is close-on-exec', domain: 'creation', rule: 'CRE-7', needs: '', shortest: 3 },
  // createVm; G(2P); fstat → size 2P expected.
  { id: 'fstat-size-off-by-page', description: 'fstat reports one page less than the size', domain: 'creation', rule: 'CRE-1', needs: '', shortest: 3 },
  // createVm; G; fileIo(pread) → ESPIPE expected.
  { id: 'pread-einval', description: 'pread fails with EINVAL instead of ESPIPE', domain: 'fileops', rule: 'FIO-1', needs: '', shortest: 3 },
  // createVm; G; fileIo(fsync) → EINVAL expected.
  { id: 'fsync-ok', description: 'fsync succeeds on a gmem fd', domain: 'fileops', rule: 'FIO-14', needs: '', shortest: 3 },
  // createVm; G(4P); fallocate(KEEP_SIZE, 4P, P) → EINVAL expected.
  { id: 'alloc-past-eof', description: 'allocation past EOF accepted', domain: 'fileops', rule: 'FIO-7', needs: '', shortest: 3 },
  // createVm; G; fallocate(PUNCH|KEEP, 1, P) → EINVAL expected.
  { id: 'punch-unaligned-accepted', description: 'unaligned punch hole accepted', domain: 'fileops', rule: 'FIO-6', needs: '', shortest: 3 },
  // createVm; G(4P); fallocate(PUNCH|KEEP, 4P, P) → ok expected.
  { id: 'punch-past-eof-einval', description: 'punch hole at EOF rejected', domain: 'fileops', rule: 'FIO-8', needs: '', shortest: 3 },
  // createVm; G(MI); mmap; store 0xaa; fallocate(PUNCH|KEEP, 0, P); load → 0 expected.
  { id: 'punch-keeps-pte', description: 'punch hole leaves host PTEs mapped (stale data visible)', domain: 'fileops', rule: 'FIO-9', needs: '', shortest: 6 },
  // createVm; G(MI); mmap; store 0xaa; fallocate(PUNCH|KEEP, 0, P); load → 0 expected.
  { id: 'punch-no-zero', description: 'punch hole zaps PTEs but keeps the folio (no zeroing)', domain: 'fileops', rule: 'FIO-9', needs: '', shortest: 6 },
  // createVm; G(MI); closeVm; fallocate(KEEP, 0, P) → ok expected.
  { id: 'vm-close-kills-gmem', description: 'closing the VM fd makes the gmem file unusable', domain: 'lifetime', rule: 'SLOT-12', needs: '', shortest: 4 },
  // createVm; G(MMAP); mmap(MAP_PRIVATE) → EINVAL expected.
  { id: 'mmap-private-accepted', description: 'MAP_PRIVATE mmap accepted', domain: 'mmap', rule: 'MAP-2', needs: '', shortest: 3 },
  // createVm; G(MI); mmap; load → 0 expected, SIGBUS with the bug.
  { id: 'init-shared-ignored', description: 'INIT_SHARED ignored: host faults SIGBUS', domain: 'mmap', rule: 'MAP-5', needs: '', shortest: 4 },
  // createVm; G(MI, P); mmap(2P); load @P → SIGBUS expected.
  { id: 'eof-fault-zero', description: 'a fault at or past EOF maps a zero page instead of SIGBUS', domain: 'mmap', rule: 'MAP-4', needs: '', shortest: 4 },
  // createVm; G(MI); mmap; store 0xaa; madvise(REMOVE, 0, P); load → 0 expected.
  { id: 'madv-remove-noop', description: 'MADV_REMOVE does not punch', domain: 'mmap', rule: 'MAP-7', needs: '', shortest: 6 },
  // createVm; G(MI); mmap; store 0xaa; madvise(DONTNEED, 0, P); load → 0xaa expected.
  { id: 'dontneed-frees', description: 'MADV_DONTNEED frees the page-cache folio', domain: 'mmap', rule: 'MAP-14', needs: '', shortest: 6 },
  // createVm; G(MI); mmap; madvise(COLLAPSE) → EINVAL expected.
  { id: 'collapse-accepted', description: 'MADV_COLLAPSE returns 0 on gmem', domain: 'mmap', rule: 'MAP-8', needs: 'P-THP-COLLAPSE=EINVAL', shortest: 4 },
  // createVm; G(MI); fallocate(KEEP, 0, P); mmap; mincore(1) → [false] expected.
  { id: 'mincore-fallocated', description: 'mincore reports fallocated-but-untouched pages', domain: 'mmap', rule: 'MAP-13', needs: '', shortest: 5 },
  // createVm; G(MMAP); mmap; kernelAccess(readv) → EFAULT expected.
  { id: 'gup-private-ok', description: 'GUP succeeds on a private-only gmem page', domain: 'mmap', rule: 'MAP-9', needs: '', shortest: 4 },
  // createVm; G(MI); mmap; store 0xaa; close(fd); load → 0xaa expected.
  { id: 'close-ignores-mapping', description: 'closing the last fd frees the page cache while mapped', domain: 'lifetime', rule: 'LIFE-1', needs: '', shortest: 6 },
  // createVm; G; setMR(slot 0, gpa 0, 2P, off 0); setMR(slot 1, gpa 1M, 2P, off P) → EINVAL expected.
  { id: 'bind-overlap-accepted', description: 'an overlapping gmem range binds to a second slot', domain: 'memslot', rule: 'SLOT-7', needs: '', shortest: 4 },
  // createVm; G; setMR(slot 0, gpa 0, P, off 0); setMR(slot 1, gpa 0, P, off P) → EEXIST expected.
  { id: 'gpa-overlap-einval', description: 'GPA overlap reported as EINVAL', domain: 'memslot', rule: 'SLOT-8', needs: '', shortest: 3 },
  // createVm; G; setMR(slot 0, ...); setMR(identical) → EINVAL expected.
  { id: 'gmem-slot-reissue-ok', description: 're-issuing an identical gmem slot returns 0', domain: 'memslot', rule: 'SLOT-9', needs: '', shortest: 4 },
  // createVm; createVm; createGmem(vm 0); setMR(vm 1, fd 0) → EINVAL expected.
  { id: 'foreign-vm-bind', description: 'a gmem of another VM can be bound', domain: 'memslot', rule: 'SLOT-5', needs: '', shortest: 4 },
  // createVm; G; setMR(slot 0); close(fd); setMR(slot 0, size 0) → ok expected.
  { id: 'close-deletes-slot', description: 'closing a bound gmem fd deletes its memslot', domain: 'memslot', rule: 'SLOT-11', needs: '', shortest: 5 },
  // setMempolicy(BIND,{0}); createVm; G(MI); mmap; getMempolicy(ADDR) → DEFAULT expected.
  { id: 'pol-query-task', description: 'get_mempolicy reports the task policy when none is set', domain: 'mempolicy', rule: 'POL-2', needs: '', shortest: 5 },
  // createVm; G(MI); mmap A; mbind(A, BIND{0}); munmap A; mmap B; getMempolicy(B) → BIND expected.
  { id: 'pol-shared-lost-munmap', description: 'the shared (inode) policy is lost at munmap', domain: 'mempolicy', rule: 'POL-1', needs: 'P-POL-SCOPE=INODE', shortest: 7 },
  // createVm; G(MI); mmap A; mbind(A, BIND{0}); mmap B; mbind(B, DEFAULT); getMempolicy(A) → BIND expected (shmem quirk).
  { id: 'pol-default-always-clears', description: 'mbind(DEFAULT) through a fresh VMA clears the shared policy', domain: 'mempolicy', rule: 'POL-3', needs: 'P-POL-SCOPE=INODE', shortest: 7 },
  // createVm; G(MI); mmap; uffdCreate; uffdRegister(MISSING) → EINVAL expected on 6.18.
  { id: 'uffd-register-gmem-618', description: 'gmem registers for MISSING on 6.18', domain: 'uffd', rule: 'UFD-1', needs: '', shortest: 5 },
  // createVm; G(MMAP); mmap; uffdCreate; uffdRegister(MISSING) → EINVAL expected.
  { id: 'uffd-no-init-shared', description: 'uffd registration allowed without INIT_SHARED', domain: 'uffd', rule: 'UFD-2', needs: 'features.uffd', shortest: 5 },
  // createVm; G(MI); mmap; fallocate(KEEP,0,P); uffdCreate; uffdRegister(MISSING); uffdResolve(COPY) → EEXIST expected.
  { id: 'uffd-copy-populated', description: 'UFFDIO_COPY succeeds onto a populated offset', domain: 'uffd', rule: 'UFD-6', needs: 'features.uffd', shortest: 7 },
  // createVm; G(MI); mmap; uffdCreate; uffdRegister(MINOR); uffdResolve(CONTINUE) → EFAULT expected.
  { id: 'uffd-continue-allocates', description: 'UFFDIO_CONTINUE allocates a missing folio', domain: 'uffd', rule: 'UFD-7', needs: 'features.uffd', shortest: 6 },
  // createVm(1); G(MI); mmap; store; convert(toPrivate); load → SIGBUS expected.
  { id: 'convert-keeps-pte', description: 'conversion to private leaves host PTEs mapped', domain: 'shareability', rule: 'SHR-4', needs: 'features.conversion, VM type 1', shortest: 6 },
  // createVm; G(MI|NDM); pwrite(0,P); pwrite(0,P) → EEXIST expected.
  { id: 'dmap-restored-after-write', description: 'the direct map is restored after a write()', domain: 'directmap', rule: 'DMAP-6', needs: 'features.noDirectMap+write, P-WRITE=ONCE', shortest: 4 },
  // createVm; G(MI, 2M); mmap(2M); madvise(HUGEPAGE); setMR(uaddr=map); guestAccess; guestMapLevel → 1 expected.
  { id: 'lvl-from-host', description: 'guest mapping level taken from the host mapping', domain: 'guest', rule: 'LVL-1', needs: 'P-GUEST-PATH=GMEM', shortest: 7 },
  // --- the wider kernel surface (issue 15) -------------------------------------------------
  // createVm; G(MI); mmap(PROT_READ); kernelAccess(proc_mem_write) → EIO expected.
  { id: 'proc-mem-force-write-shared', description: '/proc/self/mem writes through a read-only shared gmem mapping (FORCE treated as COW)', domain: 'mmap', rule: 'MAP-31', needs: '', shortest: 4 },
  // createVm; G(MMAP); mmap; kernelAccess(proc_mem_read) → EIO expected.
  { id: 'proc-mem-efault', description: '/proc/self/mem answers EFAULT instead of EIO when nothing moved', domain: 'mmap', rule: 'MAP-31', needs: '', shortest: 4 },
  // createVm; G(MMAP); mmap; kernelAccess(vmsplice) → EFAULT expected.
  { id: 'vmsplice-private-pins', description: 'vmsplice takes private gmem pages (read GUP skips the shareability check)', domain: 'mmap', rule: 'MAP-33', needs: '', shortest: 4 },
  // createVm; G(MI, P); mmap(2P); kernelAccess(pipe_read_into, 1, 4096) → EFAULT expected.
  { id: 'pipe-copy-counts-bytes', description: 'a pipe copy counts the bytes of the buffer it could not finish', domain: 'mmap', rule: 'MAP-34', needs: '', shortest: 4 },
  // createVm; G(MI|NDM); mmap; kernelAccess(pvm_local_read) → ok expected.
  { id: 'ndm-blocks-user-copy', description: 'NO_DIRECT_MAP blocks user copies too (VMA marked VM_IO)', domain: 'directmap', rule: 'DMAP-20', needs: 'features.noDirectMap', shortest: 4 },
  // createVm; G(MMAP); mmap; futex(WAKE_PRIVATE) → ok { woken: 0 } expected.
  { id: 'futex-private-gup', description: 'a private futex key is resolved with GUP (WAKE_PRIVATE on a private page fails)', domain: 'mmap', rule: 'MAP-35', needs: '', shortest: 4 },
  // createVm; G(MMAP); mmap; directIo(read, 0, P) → EFAULT expected.
  { id: 'odirect-private-dma', description: 'O_DIRECT pins private gmem pages for DMA', domain: 'mmap', rule: 'MAP-32', needs: '', shortest: 4 },
  // createVm; G(MI); mmap(PROT_READ); pin(IO_URING, 0, P) → EFAULT expected (no write access).
  { id: 'iouring-pin-readonly', description: 'io_uring registers a buffer in a read-only gmem mapping (the long-term pin drops FOLL_WRITE)', domain: 'mmap', rule: 'MAP-36', needs: '', shortest: 4 },
  // createVm; G(MI); mmap; pin(VMSPLICE, 0, P); store 5; pinRead → first 5 expected.
  { id: 'vmsplice-pin-copies', description: 'vmsplice copies the bytes into the pipe instead of referencing the pages', domain: 'mmap', rule: 'MAP-33', needs: '', shortest: 6 },
  // createVm(type 1); G(MMAP); mmap; pin(IO_URING, 0, P); convert to private → EAGAIN expected.
  // createVm; G(MI); mmap; madvise(WIPEONFORK) → EINVAL expected.
  { id: 'wipeonfork-accepted', description: 'MADV_WIPEONFORK and MADV_FREE are accepted on a gmem VMA (they are for anonymous memory)', domain: 'mmap', rule: 'MAP-16', needs: '', shortest: 4 },
  // createVm; G(MI); mmap; mlock; madvise(DONTNEED) → EINVAL expected.
  { id: 'dontneed-ignores-mlock', description: 'MADV_DONTNEED/REMOVE/COLD/PAGEOUT act on an mlocked gmem VMA', domain: 'mmap', rule: 'MAP-28', needs: '', shortest: 5 },
  // createVm; G(MI); mmap; mlock; msync(INVALIDATE) → EBUSY expected.
  { id: 'msync-invalidate-locked', description: 'MS_INVALIDATE on an mlocked gmem range returns 0', domain: 'mmap', rule: 'MAP-22', needs: '', shortest: 5 },
  // createVm; G(MMAP); mmap; mlock2(ONFAULT) → ok expected.
  { id: 'onfault-populates', description: 'mlock2(MLOCK_ONFAULT) populates like mlock, so it fails with ENOMEM on a private-only file', domain: 'mmap', rule: 'MAP-23', needs: '', shortest: 4 },
  // createVm; G(MI); mmap; store 5; madvise(PAGEOUT); load → 5 expected.
  { id: 'pageout-drops-gmem', description: 'MADV_PAGEOUT and MADV_COLD reclaim gmem folios (unevictable) and their bytes are lost', domain: 'mmap', rule: 'MAP-27', needs: '', shortest: 6 },
  { id: 'convert-ignores-pins', description: 'to-private conversion ignores pinned pages (succeeds under a long-term pin)', domain: 'shareability', rule: 'SHR-21', needs: 'features.conversion, VM type 1', shortest: 5 },
  ...FD_BUGS,
  ...MAP_BUGS,
  ...VCPU_BUGS,
  ...FD2_BUGS,
  ...CHILD_BUGS,
  ...UFFDWP_BUGS,
  ...OBSERVE_BUGS,
  ...PROCOBS_BUGS,
  ...GUARD_BUGS,
  ...MREMAP_BUGS,
  ...MMRANGE_BUGS,
  ...MPROT_BUGS,
  ...KVMFD_BUGS,
  ...NUMA_BUGS,
  ...SERIES_BUGS,
  ...HOMESLOT_BUGS,
  ...KSTATS_BUGS,
  ...UFFDSCAN_BUGS,
  ...CONVCOPY_BUGS,
  ...SCANWP_BUGS,
  ...SPAN_BUGS,
] as const satisfies readonly BugInfo[];

export type BugId = (typeof BUGS)[number]['id'];
