/**
 * mprotectRange (spec/vocab/ops-mprot.ts): mprotect of [base+offset, +length) of a live map, placed
 * like every ranged op (addrspace.ts) so that it never changes the protection of memory the suite
 * does not own. A range that runs past the mapping is split: the mapping's own pages first (the
 * kernel changes them before it meets the hole), then the rest in the dead zone, where it meets no
 * VMA (ENOMEM); a rest too long for the dead zone is issued there cut short (the answer is the same:
 * see the `none` case). A range that starts below the mapping is placed as
 * if the mapping had no pages (relocated whole), as for munmapPart: the model has nothing there.
 */
import { err } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { TargetLimitError } from '../../../spec/vocab/errors.js';
import { addrOf, pageEnd, place, sizeT } from './addrspace.js';
import type { Ctx } from './context.js';
import { fromRc } from './outcomes.js';

/** The longest rest issued in the dead zone (its span is 2^41 bytes on each side). */
const CAP = 1n << 40n;

export const mprotectRange = (c: Ctx, op: OpOf<'mprotectRange'>): Outcome => {
  const m = c.t.liveMap(op.map);
  // A dead handle is not issued (spec/vocab/CONVENTIONS.md): ENOMEM, as for mprotect.
  if (m === undefined) return err('ENOMEM');
  const size = sizeT(op.length);
  const own = op.offset < 0n ? { ...m, length: 0n } : m;
  const p = place(c.vq, own, op.offset, size, c.deadZone, { split: true });
  switch (p.kind) {
    case 'direct': case 'relocated': return fromRc(c.b.mprotect(p.addr, size, op.prot));
    case 'split': {
      const rc = c.b.mprotect(p.addr, p.ownLen, op.prot);
      return fromRc(rc < 0 ? rc : c.b.mprotect(p.rest, p.restLen, op.prot));
    }
    case 'none': {
      // Longer than the dead zone holds. Past the checks the kernel makes before any VMA (GROWS
      // bits, alignment, a zero or wrapping length — a wrapping one was placed direct — and the
      // prot word), such a range meets the mapping's own pages and then only the hole, so a
      // shorter call in the dead zone gives the same answer: the own part for real, then the rest
      // cut to CAP (still nonzero and page-aligned at its end's rounding, never wrapping).
      const addr = addrOf(m, op.offset);
      const end = pageEnd(m);
      const inside = op.offset >= 0n && addr >= m.base && addr < end;
      const restAt = inside ? end : addr;
      const restLen = inside ? size - (end - addr) : size;
      const rest = place(c.vq, { ...m, length: 0n }, restAt - m.base, restLen < CAP ? restLen : CAP, c.deadZone, { split: false });
      if (rest.kind !== 'direct' && rest.kind !== 'relocated') {
        throw new TargetLimitError(`mprotectRange: ${size} bytes at offset ${op.offset} of map ${op.map} would reach memory the suite did not map, and the dead zone cannot hold it; the op was not run`);
      }
      const rc = inside ? c.b.mprotect(addr, end - addr, op.prot) : 0;
      return fromRc(rc < 0 ? rc : c.b.mprotect(rest.addr, restLen < CAP ? restLen : CAP, op.prot));
    }
  }
};
