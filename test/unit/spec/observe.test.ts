/**
 * The observation rules in the spec (MAP-38 smaps, MAP-39 pagemap) on gmem under 6.18 and on memfd,
 * each expectation worked out from fs/proc/task_mmu.c (spec/catalogue/surface-observe-rules.ts).
 */
import { describe, expect, it } from 'vitest';
import { driver, P } from './helpers.js';
import { linux618, resolveProfile } from '../../../spec/profiles/index.js';
import { ok, type Op } from '../../../spec/vocab/index.js';

const UP = resolveProfile('upstream');
const pm = (map: number, offset = 0n): Op => ({ kind: 'pagemap', map, offset });
const sm = (map: number, offset = 0n): Op => ({ kind: 'smaps', map, offset });
const mmap = (id: number, offset: bigint, length: bigint, shared = true, fd = 0): Op => ({ kind: 'mmap', fd, id, offset, length, prot: 3n, shared });
const store = (map: number, offset: bigint): Op => ({ kind: 'store', map, offset, value: 1, onUserfault: 'COPY', fill: 0 });
const NONE = { present: false, swap: false, file: false, exclusive: false, uffdWp: false, guard: false };
const entry = (b: Partial<typeof NONE>) => ok({ ...NONE, ...b });
const smaps = (v: Record<string, unknown>) => ok({
  start: 0n, end: 4n * P, perms: 'rw-s', offset: ((v.start as bigint | undefined) ?? 0n), name: 'anon_inode:[kvm-gmem]', rss: 0, pss: 0, shared: 0, private: 0, anonymous: 0, filePmdMapped: 0, locked: 0, thpEligible: 0,
  flags: ['rd', 'wr', 'sh', 'mr', 'mw', 'ms'], ...v,
} as never);

const gmemMapped = (p = linux618) => {
  const d = driver(p);
  d.one({ kind: 'createVm', id: 0, type: 0n });
  d.one({ kind: 'createGmem', vm: 0, id: 0, size: 4n * P, flags: 3n, reserved: [] });
  d.one(mmap(0, 0n, 4n * P));
  return d;
};

describe('MAP-39: pagemap of a gmem mapping', () => {
  it('no PTE reads 0; a faulted page is PRESENT|FILE|EXCLUSIVE; a second mapper clears EXCLUSIVE', () => {
    for (const p of [linux618, UP]) {
      const d = gmemMapped(p);
      expect(d.one(pm(0))).toEqual(entry({}));
      d.one(store(0, 0n));
      expect(d.one(pm(0))).toEqual(entry({ present: true, file: true, exclusive: true }));
      d.one(mmap(1, 0n, P));
      d.one(store(1, 0n));
      expect(d.one(pm(0))).toEqual(entry({ present: true, file: true }));
      d.one({ kind: 'madvise', map: 1, offset: 0n, length: P, advice: 'DONTNEED' });
      expect(d.one(pm(0))).toEqual(entry({ present: true, file: true, exclusive: true }));
      d.one({ kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: P });
      expect(d.one(pm(0))).toEqual(entry({}));
    }
  });
  it('outside the mapping: 0 or no entry depending on the address; past the address space no entry', () => {
    const d = gmemMapped();
    expect(d.do(pm(0, 4n * P)).allowed).toEqual([entry({}), ok(null)]);
    // Past 2^47 an entry still exists under 5-level paging (LA57: 7.2.13 under QEMU -cpu max); past 2^56 none.
    expect(d.do(pm(0, 1n << 50n)).allowed).toEqual([entry({}), ok(null)]);
    expect(d.one(pm(0, 1n << 57n))).toEqual(ok(null));
    d.one({ kind: 'munmap', map: 0 });
    expect(d.one(pm(0))).toEqual({ kind: 'errno', errno: 'EFAULT' });
  });
  it('a MAP_PRIVATE copy is anonymous: PRESENT|EXCLUSIVE without FILE', () => {
    const d = driver(linux618);
    d.one({ kind: 'createMemfd', id: 0, size: 4n * P });
    d.one(mmap(0, 0n, 4n * P, false));
    d.one(store(0, P));
    expect(d.one(pm(0, P))).toEqual(entry({ present: true, exclusive: true }));
  });
});

describe('MAP-38: smaps of a gmem mapping', () => {
  it('the maps line: 7.2 names the file /[kvm-gmem] (deleted) (CRE-17)', () => {
    const d = gmemMapped(UP);
    expect(d.one(sm(0))).toEqual(smaps({ name: '/[kvm-gmem] (deleted)' }));
  });
  it('Rss/Pss/Private after a fault, Shared and half the Pss with a second mapper, no `me` on gmem', () => {
    const d = gmemMapped();
    expect(d.one(sm(0))).toEqual(smaps({}));
    d.one(store(0, 0n));
    expect(d.one(sm(0))).toEqual(smaps({ rss: 4, pss: 4, private: 4 }));
    d.one(mmap(1, 2n * P, P));
    d.one(store(1, 0n));
    d.one(store(0, 2n * P));
    // Page 2 is mapped twice: Shared 4, its Pss 2. (mmap 1 maps file page 2, not contiguous below or above map 0.)
    expect(d.one(sm(0))).toEqual(smaps({ rss: 8, pss: 6, private: 4, shared: 4 }));
  });
  it('mlock splits the VMA and shows Locked = Pss and `lo`; madvise flags split and show their letters', () => {
    const d = gmemMapped();
    d.one({ kind: 'mlock', map: 0, offset: P, length: P, call: 'MLOCK', flags: 0 });
    expect(d.one(sm(0, P))).toEqual(smaps({ start: P, end: 2n * P, rss: 4, pss: 4, private: 4, locked: 4, flags: ['rd', 'wr', 'sh', 'mr', 'mw', 'ms', 'lo'] }));
    expect(d.one(sm(0, 0n))).toEqual(smaps({ end: P }));
    d.one({ kind: 'madvise', map: 0, offset: 2n * P, length: 2n * P, advice: 'RANDOM' });
    d.one({ kind: 'madvise', map: 0, offset: 3n * P, length: P, advice: 'DONTDUMP' });
    expect(d.one(sm(0, 2n * P))).toEqual(smaps({ start: 2n * P, end: 3n * P, flags: ['rd', 'wr', 'sh', 'mr', 'mw', 'ms', 'rr'] }));
    expect(d.one(sm(0, 3n * P))).toEqual(smaps({ start: 3n * P, end: 4n * P, flags: ['rd', 'wr', 'sh', 'mr', 'mw', 'ms', 'rr', 'dd'] }));
    d.one({ kind: 'madvise', map: 0, offset: 2n * P, length: 2n * P, advice: 'NORMAL' });
    d.one({ kind: 'madvise', map: 0, offset: 2n * P, length: 2n * P, advice: 'DODUMP' });
    d.one({ kind: 'mlock', map: 0, offset: 0n, length: 4n * P, call: 'MUNLOCK', flags: 0 });
    expect(d.one(sm(0, 0n))).toEqual(smaps({ rss: 4, pss: 4, private: 4 }));
  });
  it('a mapping of the file pages right below may share the VMA (found natively: the kernel merged them)', () => {
    const d = driver(linux618);
    d.one({ kind: 'createMemfd', id: 0, size: 8n * P });
    d.one(mmap(0, 2n * P, 4n * P));
    d.one(mmap(1, P, P));
    d.one(store(1, 0n));
    const base = { perms: 'rw-s', name: '/memfd:gmemcheck (deleted)', rss: 0, pss: 0, shared: 0, private: 0, anonymous: 0, filePmdMapped: 0, locked: 0, flags: ['rd', 'wr', 'sh', 'mr', 'mw', 'me', 'ms'] };
    const allowed = d.do(sm(0)).allowed;
    for (const thpEligible of [0, 1]) {
      expect(allowed).toContainEqual(ok({ ...base, start: 0n, end: 4n * P, offset: 2n * P, thpEligible }));
      expect(allowed).toContainEqual(ok({ ...base, start: -P, end: 4n * P, offset: P, rss: 4, pss: 4, private: 4, thpEligible }));
    }
    expect(allowed).toHaveLength(4);
    // Two mappings both end where this one starts: either may sit below it (found natively: the longer one did).
    d.one(mmap(2, 0n, 2n * P));
    const starts = new Set(d.do(sm(0)).allowed.map((o) => (o.kind === 'ok' ? (o.value as { start: bigint }).start : null)));
    expect(starts).toEqual(new Set([0n, -P, -2n * P]));
    d.one({ kind: 'munmap', map: 2 });
    // Different state at the edge (a lock) means no merge.
    d.one({ kind: 'mlock', map: 1, offset: 0n, length: P, call: 'MLOCK', flags: 0 });
    expect(d.do(sm(0)).allowed).toHaveLength(2);
  });
});
