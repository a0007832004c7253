/**
 * Loads build/Release/gmemcheck_native.node (built by node-gyp from binding.gyp at the repo root
 * during `npm install` / `npm ci`) and types its raw functions. Every raw function returns the
 * kernel's answer: a non-negative result, or -errno as a negative number.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import type { GeneratedBinding } from './binding-gen.js';

/** [signo, si_code, si_addr] when the access faulted; the byte otherwise. */
export type RawAccess = number | [number, number, bigint];

export interface RawUffdAccess {
  readonly access?: RawAccess;
  readonly flags?: bigint;
  readonly address?: bigint;
  readonly resolve?: number;
  /** The range the call unregistered (the faulting page after a failed resolve; all on timeout). */
  readonly unregStart?: bigint;
  readonly unregLen?: bigint;
  readonly timedOut?: boolean;
  /** The access's page was made PROT_NONE because the access stayed blocked past the grace. */
  readonly protNone?: bigint;
  /** The id of a helper thread still blocked after that (see reapStuck). */
  readonly stuck?: number;
}

/** One parallel branch op's raw result: [rc, v0, v1, v2, t0 ns, t1 ns, access, event [flags, page, resolve rc, events] | null]. */
export type RawParResult = [number, bigint, bigint, bigint, bigint, bigint, RawAccess, [bigint, bigint, number, number] | null];

export interface RawParRun {
  readonly results?: RawParResult[][];
  readonly wallNs?: bigint;
  readonly timedOut: boolean;
  /** The id of a run whose threads stayed blocked (see parReap). */
  readonly stuck?: number;
}

/**
 * The addon's functions: those made from gm_sys.c's scalar wrappers (GeneratedBinding, written by
 * scripts/gen-native-glue.ts) and the hand-written glue of the *.cc files below.
 */
export interface NativeBinding extends GeneratedBinding {
  openKvm(): number;
  ioctlInt(fd: number, nr: number, arg: number | bigint): number;
  createGmem(vmFd: number, size: bigint, flags: bigint, reserved: readonly bigint[]): number;
  setMemoryRegion(vmFd: number, v1: boolean, slot: number, flags: number, gpa: bigint, size: bigint, uaddr: bigint, gmemFd: number, gmemOffset: bigint): number;
  /** api 0 = KVM_SET_MEMORY_ATTRIBUTES2, 1 = KVM_GMEM_CONVERT_*. */
  convert(fd: number, api: number, offset: bigint, len: bigint, toPrivate: boolean): [number, bigint | null];
  /** KVM_PRE_FAULT_MEMORY with every field: [rc, gpa, size] as the kernel wrote the range back. */
  preFaultFull(vcpuFd: number, gpa: bigint, size: bigint, flags: bigint, padding: readonly bigint[]): [number, bigint, bigint];
  /** KVM_SET_USER_MEMORY_REGION2 with pad1 and pad2 (≤ 14 words) as given (SLOT-20). */
  setMemoryRegionPad(vmFd: number, slot: number, flags: number, gpa: bigint, size: bigint, uaddr: bigint, gmemFd: number, gmemOffset: bigint, pad1: number, pad2: readonly bigint[]): number;
  memfdCreate(size: bigint): number;
  fstat(fd: number): [number, bigint, number, number, bigint, bigint];
  fdFlags(fd: number): [number, number, number];
  /** call: 0 read, 1 write, 2 pread, 3 pwrite → [count | -errno, first byte or -1]; 4 lseek → bigint | -errno; 5 fsync. */
  fileIo(fd: number, call: number, offset: bigint, len: number, value: number): [number, number] | number | bigint;
  /** The fd-level calls with out-parameters or buffers (fdio.cc): lseek → bigint offset (signed: a kernel may return a negative one) | -errno. */
  lseek(fd: number, offset: bigint, whence: number): bigint | number;
  fileIov(fd: number, call: number, offset: bigint, len: number, iovcnt: number, rwf: number, value: number): number;
  /** call 6 (fstatfs) → [rc, f_type, f_bsize, f_namelen]; others rc. */
  fdMeta(fd: number, call: number, mode: number): number | [number, number, number, number];
  /** gm_smaps: -errno, 0 (no VMA holds addr), or [start, end, kB counts (GM_SMAPS_* order), THPeligible, the VmFlags line, perms, file offset, name]. */
  smaps(addr: bigint): number | [bigint, bigint, number[], number, string, string, bigint, string];
  /** gm_fd_info: -errno, or [pos, flags, link]. */
  fdInfo(fd: number): number | [bigint, number, string];
  /** get_mempolicy(addr, the whole flags word) → [rc, mode (the node with MPOL_F_NODE), nodes]. */
  getMempolicyFlags(addr: bigint, flags: bigint): [number, number, bigint];
  /** gm_numa_maps: -errno, 0 (no VMA holds addr), or [start, policy, file, pages, anon, n0]. */
  numaMaps(addr: bigint): number | [bigint, string, string, number, number, number];
  /** gm_move_pages → [rc, the status word of each page]. */
  movePages(base: bigint, len: bigint, offset: bigint, pages: number, move: boolean, node: number, flags: number): [number, number[]];
  /** gm_procmap_query: -errno, or [the 13 u64 words of struct procmap_query as the kernel left them, the name buffer, whether a build id was asked for]. */
  procmapQuery(addr: bigint, size: bigint, flags: bigint, nameSize: number, buildId: number, tail: boolean): number | [bigint[], string, boolean];
  /** gm_map_files: -errno, 0 (an open), or [the link] (readlink). */
  mapFiles(addr: bigint, how: number): number | [string];
  /** gm_kvm_stats: -errno, or [id, layout, has bits, pages_4k (-1: absent), pages_2m + pages_1g (-1: absent), readAt (bytes or -errno), write (bytes or -errno)]. */
  kvmStats(fd: number, at: number, wcall: number): number | [string, string, number, number, number, number, number];
  /** gm_pagemap_scan: -errno, or [regions returned, walk_end, [[start, end, categories]…]]. */
  pagemapScan(size: bigint, flags: bigint, start: bigint, end: bigint, inverted: bigint, mask: bigint, anyof: bigint, ret: bigint, vecNull: boolean, vecLen: bigint, maxPages: bigint): number | [number, bigint, bigint[][]];
  /** → [rc, value] (F_GETLK: the l_type reported; F_SETLEASE: what F_GETLEASE saw). */
  fcntl(fd: number, cmd: number, arg: bigint): [number, number];
  /** req: an ioctl number, or -1 for close_range(fd, fd, CLOSE_RANGE_CLOEXEC): [rc, what the call wrote]. */
  fdIoctl(fd: number, req: number, arg: number): [number, number];
  mmap(fd: number, offset: bigint, length: bigint, prot: bigint, shared: boolean): bigint | number;
  /** The raw mmap with the whole flags word at `at`: a hint unless the flags say MAP_FIXED (the caller has checked what a fixed mapping there covers). */
  mmapEx(fd: number, offset: bigint, length: bigint, prot: bigint, flags: bigint, at: bigint): bigint | number;
  mincore(addr: bigint, pages: number): boolean[] | number;
  pageMapped(addr: bigint): boolean;
  /** The VMA covering or following addr (PROCMAP_QUERY); null if none; -errno if unsupported. */
  nextVma(addr: bigint): [bigint, bigint] | null | number;
  /** call: KERNEL_ACCESS_CALL's number; own: the part of [addr, addr+len) the mapping under test holds. */
  kernelAccess(call: number, addr: bigint, len: bigint, own: bigint, value: number): [number, number];
  futex(addr: bigint, op: number, value: number): number;
  /** An O_DIRECT scratch file (O_TMPFILE) in dir, or -errno. */
  dioScratch(dir: string): number;
  directIo(fd: number, addr: bigint, len: bigint, write: boolean, value: number): [number, number];
  /** IORING_REGISTER_BUFFERS of [addr, addr+len) on a new ring: the ring fd or -errno. */
  uringPin(addr: bigint, len: bigint): number;
  /** WRITE_FIXED of [addr, addr+len) of the ring's buffer into a scratch memfd → [count | -errno, first byte or -1]. */
  uringRead(ring: number, addr: bigint, len: bigint): [number, number];
  uringUnpin(ring: number): number;
  /** vmsplice [addr, addr+len) into a new pipe kept open → [count | -errno, read end, write end]. */
  splicePin(addr: bigint, len: bigint): [number, number, number];
  /** read(2) (offset 0) or pread(2) of the pipe → [count | -errno, first byte or -1]. */
  pipeRead(fd: number, offset: bigint, len: bigint): [number, number];
  /** flags: MPOL_F_ADDR, or MPOL_F_ADDR | MPOL_F_NODE → [rc, mode (or node), nodes]. */
  getMempolicy(addr: bigint, flags: number): [number, number, bigint];
  uffdCreate(features: bigint): number;
  /** how: 0 COPY, 1 CONTINUE, 2 ZEROPAGE. */
  uffdResolve(uffd: number, how: number, addr: bigint, len: bigint, fill: number): number;
  access(addr: bigint, store: boolean, value: number): RawAccess;
  accessUffd(addr: bigint, store: boolean, value: number, uffd: number, how: number, fill: number, timeoutMs: number, regStart: bigint, regLen: bigint): RawUffdAccess;
  /** Waits up to waitMs for a stuck helper thread; true once it has ended and was joined. */
  reapStuck(id: number, waitMs: number): boolean;
  /** Helper threads still held as stuck. */
  stuckCount(): number;
  /** Branches of [code, a0..a5] calls on threads (gm_par.c); uffds to monitor; ranges to unregister on timeout. */
  parRun(branches: readonly (readonly (readonly (number | bigint)[])[])[], uffds: readonly number[], ranges: readonly (readonly [bigint, bigint])[], timeoutMs: number): RawParRun;
  /** Waits up to waitMs for a stuck parallel run; true once its threads ended and were joined. */
  parReap(id: number, waitMs: number): boolean;
  /** Faults our handler passed on to the previous SIGSEGV/SIGBUS handler (wasm traps). */
  chainedCount(): number;
  /** A real guest in a VM (src/guest.cc): its code memslot and one vCPU. Guest id, or [failed step, -errno]. */
  guestCreate(kvmFd: number, vmFd: number, slotId: number): number | [string, number];
  guestDestroy(id: number): number;
  guestAccess(id: number, gpa: bigint, write: boolean, value: number): RawGuestAccess;
  readonly guestLayout: { readonly codeGpa: bigint; readonly codeBytes: number; readonly maxGuests: number };
  /** Hands fds to the closer thread (src/closer.cc); returns how many were queued. */
  closeAsync(fds: readonly number[]): number;
  /** Waits until every fd handed to closeAsync is closed. */
  closeSettle(): number;
  /** A PCI BAR resource file mapped shared (src/shared.cc), or -errno. */
  mapShared(path: string, size: number): ArrayBuffer | number;
}

/**
 * What one guest access did: [0, byte] halted normally; [1, gpa, flags] KVM_EXIT_MEMORY_FAULT;
 * [2, gpa] an MMIO exit; [3, exitReason] another exit; [4, -errno] KVM_RUN failed; [5] the GPA
 * cannot be put in a page table entry.
 */
export type RawGuestAccess = [0, number] | [1, bigint, bigint] | [2, bigint] | [3, number] | [4, number] | [5];

const here = path.dirname(fileURLToPath(import.meta.url));
/** Set by esbuild's define when the guest bundle of `gmemcheck vm` is built (cli/vm/bundle.ts). */
declare const GMEMCHECK_ADDON_PATH: string | undefined;
/** Repo root: adapters/native/_internals → ../../.. (or where the guest bundle put the addon). */
export const ADDON_PATH = typeof GMEMCHECK_ADDON_PATH === 'string'
  ? GMEMCHECK_ADDON_PATH
  : path.resolve(here, '../../../build/Release/gmemcheck_native.node');

let cached: { binding?: NativeBinding; error?: string } | undefined;

/**
 * Why the addon did not load, in one line: Node's loader message without its "Require stack"
 * (which lists our own source files and says nothing to the user), and what to do about it.
 */
export const addonLoadError = (file: string, e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code;
  const first = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
  const why = code === 'MODULE_NOT_FOUND' ? 'it is not built' : first.replace(`${file}: `, '');
  return `native addon ${file} not loadable: ${why} (build it with: npm run build:native)`;
};

/** The addon, or the reason it could not be loaded. Loaded once per process (dlopen is global). */
export const loadBinding = (): { binding?: NativeBinding; error?: string } => {
  if (cached === undefined) {
    try {
      cached = { binding: createRequire(import.meta.url)(ADDON_PATH) as NativeBinding };
    } catch (e) {
      cached = { error: addonLoadError(ADDON_PATH, e) };
    }
  }
  return cached;
};
