/** mincore: resident = PTE present or up-to-date page-cache folio (MAP-13, GEN-MINCORE). */
import { err, ok } from '../vocab/index.js';
import { cases, only, rule } from '../rule.js';
import { aligned, type Ctx, type MapCtx } from '../ctx.js';
import { imGet } from '../state/imap.js';
import { deadMap } from '../lifetime/handles.js';
import { onMap, type Steps } from '../run.js';

export const mincoreArgs = rule<Ctx<'mincore'>>({
  id: 'GEN-MINCORE',
  cite: 'mm/mincore.c sys_mincore (unaligned EINVAL, nothing to do 0, unmapped ENOMEM)',
  decide: ({ s, op }) => {
    if (!aligned(op.offset) || op.offset < 0n) return only(s, err('EINVAL'));
    const m = s.maps.get(op.map);
    if (op.pages <= 0) {
      // access_ok(start, 0) fails only past TASK_SIZE, which depends on where the mapping sits.
      if (m === undefined || op.offset <= BigInt(m.pages) * 4096n) return only(s, ok([]));
      return cases([[ok([]), () => s], [err('ENOMEM'), () => s]], 'mincore(len 0) beyond the mapping: access_ok depends on the mapping address');
    }
    return m === undefined || Number(op.offset >> 12n) + op.pages > m.pages ? only(s, err('ENOMEM')) : undefined;
  },
});
export const mincoreDead = deadMap<Ctx<'mincore'>>('EFAULT');
export const mincorePre = [mincoreDead, mincoreArgs] as const;

/** MAP-13: fallocated but never touched pages are not resident (only up-to-date folios count). */
export const map13 = rule<MapCtx<'mincore'>>({
  id: 'MAP-13',
  cite: 'MAP-13; mm/mincore.c mincore_page (folio_test_uptodate) (obs:HF-11/12)',
  decide: ({ s, op, map, ino }) => {
    const a = Number(op.offset >> 12n);
    const out: boolean[] = new Array<boolean>(op.pages);
    for (let i = 0; i < op.pages; i++) {
      const mp = a + i;
      out[i] = imGet(map.ptes, mp) !== undefined || imGet(map.cow, mp) !== undefined || imGet(ino.folios, map.pgoff + mp)?.uptodate === true;
    }
    return only(s, ok(out));
  },
});
export const mincoreMapChain = [map13] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  mincore: (p, s, o) => onMap({ p, s, op: o }, mincorePre, o.map, mincoreMapChain),
} satisfies Steps;
