/**
 * Templates for the procfs query ioctls (MAP-40 PAGEMAP_SCAN, MAP-42 PROCMAP_QUERY) and
 * /proc/self/map_files (LIFE-16). All aim at
 * the sequence's hot page or a page of a mapping, now and then just below or past it. The struct
 * size is mostly the right one, sometimes one that cuts a field in half or that the kernel refuses
 * (0, 23, 95, 97, PAGE_SIZE + 1, bit 32, bit 63); every flag and category word gets its edge bits
 * (bit 31, 32, 63, the first unknown bit, all ones). The write-protecting scan flags are drawn
 * rarely, and often once a WP_ASYNC uffd exists (UFD-21: WP_MATCHING re-protects what it reports).
 */
import fc from 'fast-check';
import { PAGE_IS, PM_SCAN_FLAG, PROCMAP_QUERY_FLAG } from '../../../spec/vocab/index.js';
import { hotArb, offsetArb } from '../choices.js';
import { template, type TemplateArbs } from '../template.js';
import { word64Arb } from '../flags.js';
import { mapAt } from './maps.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';

const mapOffsetArb = offsetArb({ huge: 0, near63: 0, past: 1, eof: 0 });
const nearArb = fc.oneof({ weight: 20, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.constantFrom(-P, -2n * P, P, 1n) });

const Q = PROCMAP_QUERY_FLAG;
const queryFlagsArb = word64Arb([0n, 0n, Q.COVERING_OR_NEXT_VMA, Q.FILE_BACKED_VMA, Q.VMA_READABLE | Q.VMA_SHARED, Q.VMA_WRITABLE, Q.VMA_EXECUTABLE,
  Q.COVERING_OR_NEXT_VMA | Q.VMA_EXECUTABLE, Q.COVERING_OR_NEXT_VMA | Q.FILE_BACKED_VMA], { known: 0x3fn });
const querySizeArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant(104n) },
  { weight: 3, arbitrary: fc.constantFrom(24n, 40n, 64n, 84n, 88n, 92n, 96n, 100n, 112n, 4096n) },
  { weight: 1, arbitrary: fc.constantFrom(0n, 23n, 4097n, 1n << 32n, 1n << 63n) },
);
const nameSizeArb = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.constant(256) }, { weight: 1, arbitrary: fc.constantFrom(1, 5, 21, 22, 27, 28, 4096, 0xffffffff) });
const buildIdArb = fc.oneof({ weight: 4, arbitrary: fc.constant('none' as const) }, { weight: 3, arbitrary: fc.constant('buffer' as const) }, { weight: 2, arbitrary: fc.constantFrom('sizeOnly', 'addrOnly' as const) });

const S = PAGE_IS;
const catWord = (valid: readonly bigint[]) => word64Arb(valid, { known: 0x1ffn, weight: 1 });
const scanSizeArb = fc.oneof({ weight: 20, arbitrary: fc.constant(96n) }, { weight: 1, arbitrary: fc.constantFrom(0n, 95n, 97n, 104n, 1n << 32n, (1n << 32n) | 96n) });
const scanFlagsArb = fc.oneof({ weight: 20, arbitrary: fc.constant(0n) }, { weight: 2, arbitrary: word64Arb([PM_SCAN_FLAG.WP_MATCHING, PM_SCAN_FLAG.CHECK_WPASYNC], { known: 3n, weight: 10 }) });
const WPF = PM_SCAN_FLAG;
const wpAimArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: fc.record({
    flags: fc.constantFrom(WPF.WP_MATCHING, WPF.WP_MATCHING | WPF.CHECK_WPASYNC, WPF.CHECK_WPASYNC),
    categoryMask: fc.constantFrom(0n, PAGE_IS.WRITTEN, PAGE_IS.WRITTEN),
    returnMask: fc.constantFrom(0x1ffn, PAGE_IS.WRITTEN),
  }) },
);
const vecLenArb = fc.oneof({ weight: 10, arbitrary: fc.constant(8n) }, { weight: 2, arbitrary: fc.constantFrom(0n, 1n, 2n) }, { weight: 1, arbitrary: fc.constantFrom(1n << 40n, 1n << 62n, (1n << 64n) - 1n) });
const maxPagesArb = fc.oneof({ weight: 8, arbitrary: fc.constant(0n) }, { weight: 2, arbitrary: fc.constantFrom(1n, 2n, 3n) }, { weight: 1, arbitrary: fc.constantFrom(1n << 32n, (1n << 64n) - 1n) });

export const procobsTemplates = {
  procmapQuery: fc.record({
    n: fc.nat(), off: mapOffsetArb, hot: hotArb, near: nearArb, size: querySizeArb, queryFlags: queryFlagsArb,
    nameSize: nameSizeArb, buildId: buildIdArb, tail: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  }).map(({ n, off, hot, near, size, queryFlags, nameSize, buildId, tail }) => template('procmapQuery', (c) => {
    const at = mapAt(c, n, off, hot);
    return { kind: 'procmapQuery', map: at.map, offset: at.offset + near, size, queryFlags, nameSize, buildId, tail };
  })),
  pagemapScan: fc.record({
    n: fc.nat(), off: mapOffsetArb, hot: hotArb, near: nearArb, pages: fc.integer({ min: 0, max: 4 }),
    endExtra: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(1, 4095) }),
    size: scanSizeArb, flags: scanFlagsArb,
    categoryInverted: fc.oneof({ weight: 6, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: catWord([S.WRITTEN, S.PRESENT, S.FILE]) }),
    categoryMask: fc.oneof({ weight: 4, arbitrary: fc.constant(0n) }, { weight: 2, arbitrary: catWord([S.PRESENT, S.WRITTEN, S.FILE, S.GUARD, S.PRESENT | S.FILE]) }),
    categoryAnyof: fc.oneof({ weight: 5, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: catWord([S.PRESENT | S.SWAPPED, S.GUARD | S.FILE]) }),
    returnMask: fc.oneof({ weight: 4, arbitrary: fc.constant(0x1ffn) }, { weight: 2, arbitrary: catWord([0n, S.PRESENT, S.WRITTEN, S.PRESENT | S.FILE | S.GUARD]) }),
    vecNull: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    vecLen: vecLenArb, maxPages: maxPagesArb, wpAim: wpAimArb,
  }).map(({ n, off, hot, near, wpAim, ...rest }) => template('pagemapScan', (c) => {
    const at = mapAt(c, n, off, hot);
    const scan = { kind: 'pagemapScan' as const, map: at.map, offset: ((at.offset >> 12n) << 12n) + near, ...rest };
    // UFD-21: once a WP_ASYNC context exists (its WP registration is drawn mostly WP alone), the
    // write-protecting flags are drawn often, with the WRITTEN mask a dirty-tracking VMM uses.
    if (wpAim === null || c.asyncUffds.size === 0) return scan;
    // Aim at a map registered for WP (from its start unless the drawn page is already there).
    const wpMaps = [...c.wpMaps];
    const map = wpMaps.length === 0 ? scan.map : wpMaps[n % wpMaps.length]!;
    return { ...scan, ...wpAim, map, offset: map === scan.map ? scan.offset : 0n };
  })),
  mapFiles: fc.record({ n: fc.nat(), off: mapOffsetArb, hot: hotArb, near: nearArb, how: fc.constantFrom('readlink', 'openRdonly', 'openRdwr', 'openPath' as const) })
    .map(({ n, off, hot, near, how }) => template('mapFiles', (c) => {
      const at = mapAt(c, n, off, hot);
      return { kind: 'mapFiles', map: at.map, offset: at.offset + near, how };
    })),
} satisfies TemplateArbs;
