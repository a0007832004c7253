/**
 * The procfs query ioctls (issue 15; MAP-42, MAP-40): PROCMAP_QUERY for the address at a map
 * offset, PAGEMAP_SCAN over a few pages from one, answered from what the kernel copied back. An
 * address or range that leaves the mapping's own pages goes through addrspace.place() like every
 * ranged op; a scan that starts inside the mapping and runs into a foreign VMA past its end is cut
 * at the mapping's end (the pages past it are the spec's unmapped gap, which reports nothing), and
 * its walk_end put back at the end asked for when the walk got there.
 */
import { MAP_FILES_HOW, PROCMAP_BUILD_ID, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { TargetBrokenError } from '../../../spec/vocab/errors.js';
import { addrOf, pageEnd, place } from './addrspace.js';
import type { Ctx } from './context.js';
import { DEAD } from './ops-mm.js';
import { fromRc } from './outcomes.js';
import { GM_BAD_ARG } from './ops-fd.js';

const PAGE = 4096n;
const NONE = { start: null, end: null, flags: null, pageSize: null, offset: null, name: null, buildIdSize: null };

/**
 * ok "elsewhere" when the VMA found does not overlap this mapping's pages, else its record: each
 * field only where `size` let the kernel copy it back (words 3..7: start, end, flags, page size,
 * offset; build_id_size is the high half of word 10).
 */
export const procmapQuery = (c: Ctx, op: OpOf<'procmapQuery'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  const p = place(c.vq, m, op.offset, 1n, c.deadZone, { split: false });
  if (p.kind !== 'direct' && p.kind !== 'relocated') return DEAD;
  const r = c.b.procmapQuery(p.addr, op.size, op.queryFlags, op.nameSize, PROCMAP_BUILD_ID[op.buildId], op.tail);
  if (r === GM_BAD_ARG) throw new TargetBrokenError(`procmapQuery: harness refused nameSize ${op.nameSize} / buildId ${op.buildId}`);
  if (typeof r === 'number') return fromRc(r);
  const [q, name, asked] = r;
  if (op.size < 40n) return ok(NONE);
  const start = q[3]!;
  const end = q[4]!;
  if (end <= m.base || start >= pageEnd(m)) return ok('elsewhere');
  const word = (i: number): bigint | null => (op.size >= BigInt(8 * (i + 1)) ? q[i]! : null);
  const bid = op.size < 88n ? null : op.buildId === 'buffer' && !asked ? 'skipped' : Number(q[10]! >> 32n);
  const pageSize = word(6);
  return ok({
    start: start - m.base, end: end - m.base, flags: word(5), pageSize: pageSize === null ? null : Number(pageSize), offset: word(7),
    name: op.size >= 96n && op.nameSize !== 0 ? name : null, buildIdSize: bid,
  });
};

/**
 * ok { regions (map-relative), walkEnd (map-relative) }. The range reaches the kernel as is, or
 * relocated (same in-page offset), or cut at the mapping's end (see the file comment).
 */
export const pagemapScan = (c: Ctx, op: OpOf<'pagemapScan'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  const len = BigInt(op.pages) * PAGE + BigInt(op.endExtra);
  const asked = addrOf(m, op.offset);
  const p = place(c.vq, m, op.offset, len, c.deadZone, { split: false });
  let start: bigint;
  let end: bigint;
  let cutAt: bigint | undefined;
  if (p.kind === 'direct') { start = p.addr; end = BigInt.asUintN(64, p.addr + len); }
  else if (asked >= m.base && asked < pageEnd(m)) { start = asked; end = pageEnd(m); cutAt = end; }
  else if (p.kind === 'relocated') { start = p.addr; end = p.addr + len; }
  else return DEAD;
  const r = c.b.pagemapScan(op.size, op.flags, start, end, op.categoryInverted, op.categoryMask, op.categoryAnyof, op.returnMask, op.vecNull, op.vecLen, op.maxPages);
  if (r === GM_BAD_ARG) throw new TargetBrokenError(`pagemapScan: harness refused vec_len ${op.vecLen} over ${len} bytes`);
  if (typeof r === 'number') return fromRc(r);
  const [, walkEnd, regions] = r;
  const rel = (x: bigint): bigint => x - start + op.offset;
  const fullEnd = op.offset + ((len + PAGE - 1n) / PAGE) * PAGE;
  return ok({
    regions: regions.map(([a, b, cat]) => [rel(a!), rel(b!), Number(cat!)]),
    walkEnd: cutAt !== undefined && walkEnd === cutAt ? fullEnd : rel(walkEnd),
  });
};

/** readlink → ok { link }, an open → ok (closed again at once); the address placed like pagemap's. */
export const mapFiles = (c: Ctx, op: OpOf<'mapFiles'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  const p = place(c.vq, m, op.offset, 1n, c.deadZone, { split: false });
  if (p.kind !== 'direct' && p.kind !== 'relocated') return DEAD;
  const r = c.b.mapFiles(p.addr, MAP_FILES_HOW[op.how]);
  if (r === GM_BAD_ARG) throw new TargetBrokenError(`mapFiles: harness refused how ${op.how}`);
  if (typeof r === 'number') return fromRc(r);
  return ok({ link: r[0] });
};
