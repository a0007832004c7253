/**
 * munmapPart (spec/vocab/ops-mmrange.ts): munmap of [base+offset, +length) of a live map, placed
 * like every ranged op (addrspace.ts) so that it never unmaps memory the suite does not own: the
 * part past the mapping's own pages goes to the dead zone, where it unmaps nothing. A range that
 * starts below the mapping is placed as if the mapping had no pages (so it is relocated whole when
 * it would reach them): the model's address space has nothing there, and an in-place call could
 * unmap the mapping's head. Where no safe place exists the op is not run (TargetLimitError), as
 * for mmapEx's MAP_FIXED.
 *
 * After a successful call the handle table follows the model: the pages before the range keep the
 * handle (same base, shorter), the pages after it become map `id` (base = the range's page-rounded
 * end), and their uffd registrations move with them.
 */
import { ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { BadOpError, TargetLimitError } from '../../../spec/vocab/errors.js';
import { pageEnd, place, sizeT } from './addrspace.js';
import type { Ctx } from './context.js';
import { issue } from './ops-mm.js';
import { fromRc } from './outcomes.js';

const PAGE = 4096n;

export const munmapPart = (c: Ctx, op: OpOf<'munmapPart'>): Outcome => {
  if (c.t.maps.has(op.id)) throw new BadOpError(`map handle ${op.id} created twice`);
  const m = c.t.liveMap(op.map);
  // A dead handle is not issued (spec/vocab/CONVENTIONS.md): munmap of nothing is 0.
  if (m === undefined) return ok();
  const size = sizeT(op.length);
  const p = place(c.vq, op.offset < 0n ? { ...m, length: 0n } : m, op.offset, size, c.deadZone, { split: true });
  if (p.kind === 'none') {
    throw new TargetLimitError(`munmapPart: ${size} bytes at offset ${op.offset} of map ${op.map} would reach memory the suite did not map, and the dead zone cannot hold the rest; the op was not run`);
  }
  const rc = issue(p, size, (a, l) => c.b.munmap(a, l), (r) => r < 0, () => -22);
  c.t.maps.set(op.id, { base: 0n, length: 0n, live: false });
  if (rc < 0) return fromRc(rc);
  const end = pageEnd(m);
  // Only a call at an address of the mapping's own pages removed any of them.
  if ((p.kind === 'direct' || p.kind === 'split') && p.addr >= m.base && p.addr < end) {
    const cut = p.addr + ((size + PAGE - 1n) & ~(PAGE - 1n));
    const tailEnd = m.base + m.length;
    c.t.maps.set(op.map, p.addr > m.base ? { base: m.base, length: p.addr - m.base, live: true } : { ...m, live: false });
    if (p.kind === 'direct' && cut > p.addr && cut < end) {
      c.t.maps.set(op.id, { base: cut, length: tailEnd - cut, live: true });
      c.t.regs = c.t.regs.map((r) => (r.map === op.map && r.start >= cut ? { ...r, map: op.id } : r));
    }
    c.t.unregister(p.addr, p.kind === 'split' ? p.ownLen : cut - p.addr);
  }
  return ok();
};
