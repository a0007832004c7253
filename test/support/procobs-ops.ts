/** Ops and arbitraries of the procfs query ioctls (MAP-40, MAP-42) shared by the spec, emulator and native tests. */
import fc from 'fast-check';
import type { OpOf } from '../../spec/vocab/index.js';

type PQ = OpOf<'procmapQuery'>;
type SC = OpOf<'pagemapScan'>;

/** PROCMAP_QUERY of map 0 at offset 0 with the right size and nothing else asked, fields overridden. */
export const pq = (o: Partial<Omit<PQ, 'kind'>> = {}): PQ =>
  ({ kind: 'procmapQuery', map: 0, offset: 0n, size: 104n, queryFlags: 0n, nameSize: 0, buildId: 'none', tail: false, ...o });

/** PAGEMAP_SCAN of map 0 from offset 0 over `pages` pages, every category returned, fields overridden. */
export const scan = (o: Partial<Omit<SC, 'kind'>> = {}): SC => ({
  kind: 'pagemapScan', map: 0, offset: 0n, pages: 4, endExtra: 0, size: 96n, flags: 0n,
  categoryInverted: 0n, categoryMask: 0n, categoryAnyof: 0n, returnMask: 0x1ffn, vecNull: false, vecLen: 8n, maxPages: 0n, ...o,
});

const edge64 = fc.constantFrom(0n, 1n, 2n, 3n, 0x10n, 0x3fn, 0x40n, 0x100n, 0x1ffn, 0x200n, 1n << 31n, 1n << 32n, 1n << 63n, (1n << 64n) - 1n);

/** Any PROCMAP_QUERY on a handle of `h` at an offset of `off`, with edge sizes and words. */
export const procmapQueryArb = (h: fc.Arbitrary<number>, off: fc.Arbitrary<bigint>): fc.Arbitrary<PQ> =>
  fc.record({
    map: h, offset: off, size: fc.constantFrom(0n, 23n, 24n, 40n, 86n, 92n, 100n, 104n, 112n, 4096n, 4097n, 1n << 63n), queryFlags: edge64,
    nameSize: fc.constantFrom(0, 1, 27, 4096, 0xffffffff), buildId: fc.constantFrom('none', 'buffer', 'sizeOnly', 'addrOnly' as const), tail: fc.boolean(),
  }).map((o) => pq(o));

/** Any PAGEMAP_SCAN on a handle of `h` at an offset of `off`, with edge sizes and words. */
export const pagemapScanArb = (h: fc.Arbitrary<number>, off: fc.Arbitrary<bigint>): fc.Arbitrary<SC> =>
  fc.record({
    map: h, offset: off, pages: fc.integer({ min: 0, max: 4 }), endExtra: fc.constantFrom(0, 1, 4095), size: fc.constantFrom(96n, 95n, 1n << 32n),
    flags: edge64, categoryInverted: edge64, categoryMask: edge64, categoryAnyof: edge64, returnMask: edge64,
    vecNull: fc.boolean(), vecLen: fc.constantFrom(0n, 1n, 8n, 1n << 40n, (1n << 64n) - 1n), maxPages: fc.constantFrom(0n, 1n, 2n, (1n << 64n) - 1n),
  }).map((o) => scan(o));

/** /proc/self/map_files of map 0 at offset 0. */
export const mf = (how: OpOf<'mapFiles'>['how'], o: Partial<Omit<OpOf<'mapFiles'>, 'kind' | 'how'>> = {}): OpOf<'mapFiles'> => ({ kind: 'mapFiles', map: 0, offset: 0n, how, ...o });

/** Any map_files op on a handle of `h` at an offset of `off`. */
export const mapFilesArb = (h: fc.Arbitrary<number>, off: fc.Arbitrary<bigint>): fc.Arbitrary<OpOf<'mapFiles'>> =>
  fc.record({ map: h, offset: off, how: fc.constantFrom('readlink', 'openRdonly', 'openRdwr', 'openPath' as const) }).map((o) => mf(o.how, o));
