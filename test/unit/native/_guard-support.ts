/**
 * Test-side proof that the native target never points the kernel at memory it does not own.
 *
 * `sentinelBinding` wraps the real addon. It learns which ranges the target mapped (every mmap
 * that succeeded through it) and, before forwarding any call that acts on an address range, works
 * out the range the kernel would act on: [addr, addr + len rounded up to a page) for the
 * VMA-walking calls (munmap, mprotect, madvise, mbind, mincore, UFFDIO_REGISTER), where a range
 * whose end wraps past 2^64 covers nothing (each of those syscalls computes end = start + len and
 * walks `while (start < end)`, after rejecting end < start); [addr, addr + len) for GUP and
 * one-byte accesses. If any part of that range outside the target's own mappings intersects a VMA
 * of this process, the call is NOT forwarded: it is recorded as a violation and answered with a
 * harmless error, so even the unfixed code cannot damage the test process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { openFds } from './_support.js';
import type { NativeBinding, RawAccess, RawUffdAccess } from '../../../adapters/native/_internals/binding.js';
import { CONVENTION, PAGE_SIZE as PAGE } from '../../../spec/vocab/index.js';

const USER_TOP = CONVENTION.USER_TOP;

const U64 = 1n << 64n;

export interface Violation {
  readonly call: string;
  readonly addr: bigint;
  readonly len: bigint;
  readonly vma: readonly [bigint, bigint];
}

/** The VMAs of this process right now (user space only). */
export const vmas = (): [bigint, bigint][] =>
  readFileSync('/proc/self/maps', 'utf8').split('\n').flatMap((line): [bigint, bigint][] => {
    const m = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (!m) return [];
    const s = BigInt(`0x${m[1]}`);
    return s < USER_TOP ? [[s, BigInt(`0x${m[2]}`)]] : [];
  });

/**
 * Mappings of the kinds a native target creates (memfd "gmemcheck", guest_memfd, KVM): a leaked
 * one shows up here. V8 maps and unmaps heap pages on its own, so the total count is not stable.
 */
export const mapsCount = (): number => readFileSync('/proc/self/maps', 'utf8').split('\n').filter((l) => /memfd:gmemcheck|kvm/.test(l)).length;

/** Entries of /proc/self/fd (all of them, unlike openFds() in _support.ts). */
export const fdCount = (): number => readdirSync('/proc/self/fd').length;

const alignUp = (len: bigint): bigint => (BigInt.asUintN(64, len) + PAGE - 1n) & ~(PAGE - 1n);

/** The range a VMA-walking syscall acts on, or undefined when it acts on nothing (wrap or zero). */
const walked = (addr: bigint, len: bigint): [bigint, bigint] | undefined => {
  const a = BigInt.asUintN(64, addr);
  const l = alignUp(len);
  if (l === 0n || a + l >= U64) return undefined;
  return [a, a + l];
};

const touched = (addr: bigint, len: bigint): [bigint, bigint] => {
  const a = BigInt.asUintN(64, addr);
  const end = a + BigInt.asUintN(64, len);
  return [a, end > U64 ? U64 : end];
};

export class Sentinel {
  readonly violations: Violation[] = [];
  readonly owned: [bigint, bigint][] = [];

  /** The first VMA not owned by the target that [lo, hi) meets, if any. */
  foreign(lo: bigint, hi: bigint): readonly [bigint, bigint] | undefined {
    const l = lo;
    const h = hi > USER_TOP ? USER_TOP : hi;
    if (l >= h) return undefined;
    for (const [s, e] of vmas()) {
      if (e <= l || s >= h) continue;
      // The part of this VMA inside [l, h) must be covered by the target's own mappings.
      let cur = s > l ? s : l;
      const end = e < h ? e : h;
      for (const [os, oe] of [...this.owned].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
        if (os <= cur && oe > cur) cur = oe;
      }
      if (cur < end) return [s, e];
    }
    return undefined;
  }

  check(call: string, range: [bigint, bigint] | undefined, addr: bigint, len: bigint): boolean {
    if (range === undefined) return true;
    const vma = this.foreign(range[0], range[1]);
    if (vma === undefined) return true;
    this.violations.push({ call, addr, len, vma });
    return false;
  }
}

/** The real binding behind a Sentinel (see the file comment). */
export const sentinelBinding = (real: NativeBinding, s: Sentinel): NativeBinding => {
  const segv = (addr: bigint): RawAccess => [11, 1, addr];
  return {
    ...real,
    mmap: (fd, offset, length, prot, shared) => {
      const r = real.mmap(fd, offset, length, prot, shared);
      if (typeof r === 'bigint') s.owned.push([r, r + alignUp(length)]);
      return r;
    },
    // A MAP_FIXED (without NOREPLACE) unmaps whatever it covers: it must cover only owned or free
    // memory. One ending past TASK_SIZE covers nothing: __get_unmapped_area refuses it (ENOMEM)
    // before anything is unmapped (mm/mmap.c, v7.2).
    mmapEx: (fd, offset, length, prot, flags, at) => {
      const replaces = (flags & 0x10n) !== 0n && (flags & 0x100000n) === 0n;
      const w = walked(at, length);
      const range = w !== undefined && w[1] <= USER_TOP - PAGE ? w : undefined;
      if (replaces && !s.check('mmapEx MAP_FIXED', range, at, length)) return -14;
      const r = real.mmapEx(fd, offset, length, prot, flags, at);
      if (typeof r === 'bigint') s.owned.push([r, r + alignUp(length)]);
      return r;
    },
    munmap: (addr, len) => {
      if (!s.check('munmap', walked(addr, len), addr, len)) return -14;
      const rc = real.munmap(addr, len);
      if (rc === 0) {
        const w = walked(addr, len);
        if (w) {
          // What stays owned: each owned range minus the unmapped one (a partial munmap keeps both ends).
          const keep = s.owned.flatMap(([a, e]): [bigint, bigint][] => (e <= w[0] || a >= w[1] ? [[a, e]] : [...(a < w[0] ? [[a, w[0]] as [bigint, bigint]] : []), ...(e > w[1] ? [[w[1], e] as [bigint, bigint]] : [])]));
          s.owned.length = 0;
          s.owned.push(...keep);
        }
      }
      return rc;
    },
    mprotect: (addr, len, prot) => (s.check('mprotect', walked(addr, len), addr, len) ? real.mprotect(addr, len, prot) : -14),
    madvise: (addr, len, advice) => (s.check('madvise', walked(addr, len), addr, len) ? real.madvise(addr, len, advice) : -14),
    mbind: (addr, len, mode, nodes, flags) => (s.check('mbind', walked(addr, len), addr, len) ? real.mbind(addr, len, mode, nodes, flags) : -14),
    mincore: (addr, pages) => (s.check('mincore', walked(addr, BigInt(pages) * PAGE), addr, BigInt(pages) * PAGE) ? real.mincore(addr, pages) : -12),
    uffdRegister: (uffd, start, len, mode) => (s.check('uffdRegister', walked(start, len), start, len) ? real.uffdRegister(uffd, start, len, mode) : -22),
    kernelAccess: (call, addr, len, own, value) => (s.check('kernelAccess', touched(addr, own), addr, own) ? real.kernelAccess(call, addr, len, own, value) : [-14, -1]),
    // kpageflags: the PFN of the page at addr is looked up only for a page of the target's own mappings.
    kpageFlags: (addr) => (s.check('kpageFlags', touched(addr, 1n), addr, 1n) ? real.kpageFlags(addr) : -14),
    futex: (addr, op, value) => (s.check('futex', touched(addr, 4n), addr, 4n) ? real.futex(addr, op, value) : -14),
    directIo: (fd, addr, len, write, value) => (s.check('directIo', touched(addr, len), addr, len) ? real.directIo(fd, addr, len, write, value) : [-14, -1]),
    getMempolicy: (addr, node) => (s.check('getMempolicy', touched(addr, 1n), addr, 1n) ? real.getMempolicy(addr, node) : [-14, 0, 0n]),
    access: (addr, store, value) => (s.check(store ? 'store' : 'load', touched(addr, 1n), addr, 1n) ? real.access(addr, store, value) : segv(addr)),
    // The forked child's byte access (kinds 0 and 1): a store in the child reaches the parent's pages wherever they are shared.
    child: (kind, addr, ...rest) => (kind > 1 || s.check(kind === 1 ? 'child store' : 'child load', touched(addr, 1n), addr, 1n) ? real.child(kind, addr, ...rest) : -200000 - (11 * 256 + 1)),
    accessUffd: (addr, store, value, ...rest): RawUffdAccess =>
      (s.check(store ? 'store' : 'load', touched(addr, 1n), addr, 1n) ? real.accessUffd(addr, store, value, ...rest) : { access: segv(addr) }),
  };
};

/** Runs `call`, which must throw a TypeError or RangeError, and checks that no fd and no mapping appeared. */
export const refused = (call: () => unknown): void => {
  const fds = openFds();
  const maps = mapsCount();
  let thrown: unknown;
  try {
    call();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'the call must throw').toBeDefined();
  expect((thrown as Error).name).toMatch(/^(TypeError|RangeError)$/);
  expect(openFds(), 'no fd may leak').toBe(fds);
  expect(mapsCount(), 'no mapping may appear').toBe(maps);
};
