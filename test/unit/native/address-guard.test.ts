/**
 * Issue 12, defects 1 and 2: the native target's address-space guard. Every op runs through a
 * sentinel binding (./_guard-support.ts) that refuses — and records — any call whose range would
 * reach a VMA the target did not map. Before the fix, an mmap with a length ≥ 2^64 mapped one page
 * while the target recorded the full length (so load/store anywhere above the map read and wrote
 * the process's own memory), and a negative length was "direct" (madvise(DONTNEED) with −2^62
 * zapped every VMA above a 4 KiB map). Both show up here as violations on the old code, without
 * the damage: the sentinel never forwards them.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Op, Outcome } from '../../../spec/vocab/index.js';
import { err, ok } from '../../../spec/vocab/index.js';
import { loadBinding } from '../../../adapters/native/_internals/binding.js';
import { NativeTarget } from '../../../adapters/native/_internals/target.js';
import { BadOpError } from '../../../spec/vocab/errors.js';
import { describeNative, load, map, memfd, store } from './_support.js';
import { Sentinel, sentinelBinding, vmas } from './_guard-support.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/index.js';

const MPOL_DEFAULT = 0;

describeNative('native address-space guard (the kernel only ever sees ranges the target owns)', () => {
  let s: Sentinel;
  let t: NativeTarget;
  beforeEach(() => {
    s = new Sentinel();
    t = new NativeTarget(sentinelBinding(loadBinding().binding!, s), { uffdTimeoutMs: 200 });
  });
  afterEach(async () => {
    await t.close();
    expect(s.violations, 'calls that would have reached memory the target does not own').toEqual([]);
  });

  const run = async (ops: readonly Op[]): Promise<(Outcome | string)[]> => {
    const out: (Outcome | string)[] = [];
    for (const op of ops) out.push(await t.apply(op).catch((e: unknown) => (e as Error).name));
    return out;
  };

  /** Offsets from the map's base to the first byte of VMAs above it (what a bad guard would reach). */
  const foreignOffsets = (): bigint[] => {
    const base = s.owned[0]![0];
    // The nearest foreign VMAs on either side: the target hints its mappings into a free arena
    // (addrspace.ts), so the nearest ones above may be terabytes away.
    const abs = (x: bigint): bigint => (x < 0n ? -x : x);
    return vmas().filter(([a]) => a < base || a > base + P).map(([a]) => a - base).sort((x, y) => (abs(x) < abs(y) ? -1 : 1)).slice(0, 24);
  };

  it('a forked child\'s load or store never leaves the map either (a child store reaches every page the parent shares)', async () => {
    expect(await run([memfd(0, P), map(0, 0, P), { kind: 'child', act: { kind: 'store', map: 0, offset: 0n, value: 3 } }, load(0, 0n)])).toEqual([ok(), ok(), ok(), ok({ value: 3 })]);
    for (const offset of [...foreignOffsets(), -P, P, -(1n << 63n), (1n << 63n) - P]) {
      for (const act of [{ kind: 'load', map: 0, offset }, { kind: 'store', map: 0, offset, value: 0x41 }, { kind: 'store', map: 5, offset, value: 0x41 }] as const) {
        expect(await t.apply({ kind: 'child', act })).toEqual({ kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_MAPERR', offset });
      }
    }
  });

  it('mmap with a length ≥ 2^64 is refused (the ABI carries 64 bits), so no load/store can leave the one page', async () => {
    expect(await run([memfd(0, P), map(0, 0, P)])).toEqual([ok(), ok()]);
    const offs = foreignOffsets();
    expect(offs.length).toBeGreaterThan(0);
    for (const length of [(1n << 64n) + P, 1n << 127n, -(1n << 64n)]) {
      await expect(t.apply({ kind: 'mmap', fd: 0, id: 1, offset: 0n, length, prot: 3n, shared: true })).rejects.toBeInstanceOf(BadOpError);
    }
    // Handle 1 was never created: every access answers as through a dead map, none is issued.
    for (const off of offs) {
      expect(await t.apply(load(1, off))).toEqual({ kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_MAPERR', offset: off });
      expect(await t.apply(store(1, off, 0x41))).toEqual({ kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_MAPERR', offset: off });
    }
  });

  // A length is a size_t (u64 in the op declarations): what a negative length would be in C is its
  // two's complement, and that is how an op carries it (a negative bigint fails the boundary check).
  const sizeT = (v: bigint): bigint => BigInt.asUintN(64, v);

  it('lengths ≥ 2^63 (a negative length in C) are huge size_ts: no madvise/mbind/register/mincore reaches another VMA', async () => {
    expect(await run([memfd(0, P), map(0, 0, P), store(0, 0n, 7), { kind: 'uffdCreate', id: 0, features: 0n }])).toEqual([ok(), ok(), ok(), ok()]);
    for (const length of [-(1n << 62n), -(1n << 40n), -(1n << 63n), -P - P].map(sizeT)) {
      for (const advice of ['DONTNEED', 'HUGEPAGE', 'REMOVE', 'POPULATE_WRITE'] as const) {
        const o = await t.apply({ kind: 'madvise', map: 0, offset: 0n, length, advice });
        expect(o.kind, `madvise ${advice} ${length}`).toBe('errno');
      }
      expect((await t.apply({ kind: 'mbind', map: 0, offset: 0n, length, mode: BigInt(MPOL_DEFAULT), nodes: 1n, flags: 0 })).kind).toBe('errno');
      expect((await t.apply({ kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length, mode: 1n })).kind).toBe('errno');
    }
    // The page under test is still there with its byte: nothing above or below it was zapped.
    expect(await t.apply(load(0, 0n))).toEqual(ok({ value: 7 }));
  });

  it('a range whose end wraps past 2^64 goes to the kernel, which rejects it before acting on any VMA', async () => {
    expect(await run([memfd(0, P), map(0, 0, P)])).toEqual([ok(), ok()]);
    // −4096 as size_t: start + len wraps, so madvise answers EINVAL (mm/madvise.c: end < start).
    expect(await t.apply({ kind: 'madvise', map: 0, offset: 0n, length: sizeT(-P), advice: 'DONTNEED' })).toEqual(err('EINVAL'));
    expect(await t.apply({ kind: 'mbind', map: 0, offset: 0n, length: sizeT(-P), mode: BigInt(MPOL_DEFAULT), nodes: 1n, flags: 0 })).toEqual(err('EINVAL'));
  });

  it('offset + length overflow and offsets far from the map never reach another VMA', async () => {
    expect(await run([memfd(0, 4n * P), map(0, 0, 4n * P)])).toEqual([ok(), ok()]);
    const offs = foreignOffsets();
    // Offsets from a map's base are i64 in the op declarations (2^64 − 4096 is −4096, 2^63 is −2^63).
    for (const offset of [...offs, -P, -(1n << 63n), (1n << 63n) - P]) {
      for (const length of [P, 2n * P, 1n << 40n, (1n << 64n) - 1n]) {
        await t.apply({ kind: 'madvise', map: 0, offset, length, advice: 'DONTNEED' });
        await t.apply({ kind: 'mbind', map: 0, offset, length, mode: 2n, nodes: 1n, flags: 0 });
        await t.apply({ kind: 'mincore', map: 0, offset, pages: 4 });
        await t.apply({ kind: 'kernelAccess', map: 0, offset, len: 4096, call: 'process_vm_writev', value: 0x41 });
        await t.apply({ kind: 'getMempolicy', map: 0, offset, query: 'ADDR' });
      }
      await t.apply(load(0, offset));
      await t.apply(store(0, offset, 0x41));
    }
  });

  // Issue 15: mmapEx takes a whole flags word and a placement over a map. MAP_FIXED unmaps what it
  // covers, so every length and every flags word over every kind of map must stay on owned or free
  // memory: refused (TargetLimitError) or answered, never a violation. MAP_32BIT maps land below
  // 2 GiB with no free gap after them, next to the process's own mappings.
  it('mmapEx: MAP_FIXED over a map, at any length and with any word, covers only the map and free space', async () => {
    const ex = (id: number, flags: bigint, over: number | undefined, length: bigint): Op =>
      ({ kind: 'mmapEx', fd: 0, id, offset: 0n, length, prot: 3n, flags, place: over === undefined ? { kind: 'any' } : { kind: 'over', map: over } });
    expect(await run([memfd(0, P)])).toEqual([ok()]);
    let id = 0;
    const lengths = [P, 2n * P, 1n << 30n, 1n << 33n, 1n << 40n, 1n << 46n, (1n << 47n) - P, 1n << 63n, (1n << 64n) - 1n, (1n << 64n) - P, 0n];
    for (const victimFlags of [0x1n, 0x41n, 0x3n]) {
      for (const length of lengths) {
        for (const flags of [0x11n, 0x100011n, 0x13n, 0x12n, 0x31n, 0xffffffffffffffffn, 0x8011n, 0x2011n, 0x1n]) {
          const victim = id++;
          await run([ex(victim, victimFlags, undefined, P), ex(id++, flags, victim, length)]);
          await run([ex(id++, flags, undefined, length)]);
        }
      }
    }
    expect(id).toBeGreaterThan(200);
  });

  // Round 5: kpageFlags reads /proc/kpageflags at the PFN pagemap gives; only a page of the
  // target's own mapping may be looked up (a PFN of Node's memory would be read otherwise).
  it('kpageFlags looks up PFNs only inside its own mapping: offsets above, below, far away and in a munmapPart hole ask nothing', async () => {
    const kp = (m: number, offset: bigint): Op => ({ kind: 'kpageFlags', map: m, offset });
    const first = await run([memfd(0, 8n * P), map(0, 0, 8n * P), store(0, 0n, 1), store(0, 4n * P, 2), kp(0, 0n)]);
    expect(first[4]).toMatchObject({ kind: 'ok', value: { count: 1 } });
    const outside = [...foreignOffsets(), -P, -(1n << 40n), 8n * P, (1n << 63n) - P];
    for (const o of await run(outside.map((off) => kp(0, off)))) expect(o).toEqual(ok(null));
    const got = await run([{ kind: 'munmapPart', map: 0, offset: 2n * P, length: P, id: 1 }, kp(0, 2n * P), kp(0, 3n * P), kp(1, P)]);
    expect(got.slice(1, 3)).toEqual([ok(null), ok(null)]);
    expect(got.at(-1)).toMatchObject({ kind: 'ok', value: { count: 1 } });
  });
});
