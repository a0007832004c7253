/**
 * Op mixes: relative weights of op kinds for each rule domain's targeted property (one per
 * PropertyDomain of spec/vocab/domains.ts, checked by the compiler), and for the long
 * mixed sequences. A mix only shapes the distribution; the spec alone decides what is allowed.
 */
import { OP_KINDS, type OpKind, type PropertyDomain } from '../../spec/vocab/index.js';

export type Mix = Readonly<Partial<Record<OpKind, number>>>;

export const MIXES = {
  creation: { createVm: 2, closeVm: 1, checkExtension: 2, createGmem: 8, fstat: 3, fdFlags: 2, sameInode: 1, close: 1, dup: 1, mmap: 1, createVcpu: 2, createGmemMisuse: 3, kvmStats: 1 },
  fileops: { createGmem: 2, fallocate: 10, fileIo: 3, ftruncate: 1, fstat: 1, mmap: 2, load: 3, store: 3, close: 1, dup: 1, madvise: 1, lseek: 2, fileIoV: 3, fdMeta: 2, fcntl: 3, spliceLike: 3, passFd: 1, fdReach: 1, fdDup: 1, fdIoctl: 2, fdAdvise: 1, fdPoll: 1, fdUring: 1, pathCall: 1, fdInfo: 1, copyRange: 3 },
  mmap: { createGmem: 2, mmap: 5, munmap: 2, mprotect: 1, mprotectRange: 3, load: 5, store: 5, madvise: 3, fallocate: 3, kernelAccess: 4, mincore: 2, close: 1, futex: 2, directIo: 2, pin: 2, pinRead: 2, unpin: 1, mlock: 3, msync: 2, mmapEx: 3, child: 3, pagemap: 2, smaps: 2, setVmaName: 1, munmapPart: 2, procmapQuery: 2, pagemapScan: 2, mapFiles: 1, kpageFlags: 2, mremap: 2, spanRange: 2 },
  memslot: { createVm: 2, closeVm: 1, createGmem: 3, mmap: 1, setMemoryRegion: 10, close: 1, dup: 1, fallocate: 1, createVcpu: 2, preFault: 4, dirtyLog: 2, setMemoryRegionPad: 3 },
  mempolicy: { createGmem: 2, createMemfd: 1, mmap: 3, munmap: 2, mbind: 6, getMempolicy: 6, setMempolicy: 2, load: 1, store: 1, fallocate: 1, getMempolicyFlags: 2, numaMaps: 3, movePages: 3, setMempolicyHomeNode: 4 },
  uffd: { createVm: 1, createGmem: 2, createMemfd: 3, mmap: 3, munmap: 1, uffdCreate: 2, uffdRegister: 4, load: 4, store: 4, uffdResolve: 2, fallocate: 1, madvise: 1, convert: 1, kernelAccess: 1, futex: 1, uffdMove: 2, pagemap: 2, smaps: 1, uffdWriteProtect: 3, uffdPoison: 2, pagemapScan: 3 },
  shareability: { createVm: 1, createGmem: 2, mmap: 2, convert: 6, setMemoryAttributes: 1, load: 3, store: 3, kernelAccess: 2, fallocate: 2, futex: 1, pin: 2, pinRead: 1, unpin: 1, child: 2, pagemap: 1 },
  directmap: { createGmem: 3, mmap: 2, load: 3, store: 3, fileIo: 3, kernelAccess: 5, fallocate: 2, madvise: 1, futex: 2, directIo: 2, pin: 1, pinRead: 1, mlock: 1 },
  guest: { createVm: 1, createGmem: 2, mmap: 2, store: 2, load: 1, madvise: 3, setMemoryRegion: 4, guestAccess: 5, guestMapLevel: 3, fallocate: 1, close: 1, kvmStats: 2 },
  lifetime: { createVm: 1, closeVm: 2, createGmem: 2, close: 3, dup: 2, mmap: 3, munmap: 2, load: 3, store: 3, setMemoryRegion: 2, fallocate: 1, passFd: 2, fdReach: 1, fcntl: 1, fdFlags: 1, fdDup: 2, fdIoctl: 1, child: 2, fdInfo: 2, fdWatch: 1, fdExecCheck: 1 },
} as const satisfies Readonly<Record<PropertyDomain, Mix>>;

/** Heavier weights in the long mixed sequences: creation, mapping, accesses and fallocate make the states. */
const MIXED_WEIGHTS: Mix = {
  createGmem: 3, fallocate: 4, mmap: 3, load: 4, store: 4, madvise: 2, setMemoryRegion: 3, mbind: 2, getMempolicy: 2, kernelAccess: 2,
};

/** Every op kind of the vocabulary (weight 1 unless listed above): the long mixed sequences. */
export const MIXED: Mix = Object.fromEntries(OP_KINDS.map((k) => [k, MIXED_WEIGHTS[k] ?? 1]));

/**
 * The widened mix in its memfd form: every op kind, with the memfd control backing created far more
 * often than guest_memfd, for a kernel built without guest_memfd (linux-6.18-nogmem), where each
 * gmem op answers as that kernel does (ENOTTY, then dead handles) and everything else runs on memfd.
 */
export const MEMFD_MIXED: Mix = { ...MIXED, createMemfd: 8, createGmem: 1, mmap: 6, load: 4, store: 4, kernelAccess: 5, futex: 3, directIo: 3, mprotect: 2, mprotectRange: 3, mbind: 2, pin: 3, pinRead: 3, unpin: 1, madvise: 4, mlock: 3, msync: 2, mmapEx: 3, createVcpu: 2, preFault: 3, createGmemMisuse: 2, child: 2, pagemap: 3, smaps: 3, fdInfo: 2, setVmaName: 1, munmapPart: 2, procmapQuery: 2, pagemapScan: 3, mapFiles: 2, setMempolicyHomeNode: 2, copyRange: 3, mremap: 2, spanRange: 2 };

/** The op kinds a mix can draw once the excluded ones are left out (none: nothing to run). */
export const drawableKinds = (mix: Mix, excluded: ReadonlySet<OpKind> = new Set()): OpKind[] =>
  (Object.entries(mix) as [OpKind, number][]).filter(([k, w]) => w > 0 && !excluded.has(k)).map(([k]) => k);
