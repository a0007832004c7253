/**
 * The observation ops (issue 15): the kernel's /proc/self/pagemap entry and /proc/self/smaps entry
 * for an address of a mapping, parsed here into the outcome spec/vocab/ops-observe.ts fixes. An
 * offset outside the mapping's own pages goes through addrspace.place() like every ranged op, so
 * the kernel is asked about an address no VMA of this process holds (the dead zone) rather than
 * about V8's memory.
 */
import { VM_FLAG_LETTERS, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { place } from './addrspace.js';
import type { Ctx } from './context.js';
import { DEAD } from './ops-mm.js';
import { fromRc } from './outcomes.js';

/** gm_sys.h GM_PAGEMAP_NONE: the read returned no entry. */
const PAGEMAP_NONE = 0x200;

/** The address the kernel is asked about, or undefined when no safe one exists (answered as a dead map). */
const at = (c: Ctx, op: { readonly map: number; readonly offset: bigint }): { readonly base: bigint; readonly addr: bigint } | undefined => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return undefined;
  const p = place(c.vq, m, op.offset, 1n, c.deadZone, { split: false });
  return p.kind === 'direct' || p.kind === 'relocated' ? { base: m.base, addr: p.addr } : undefined;
};

/** Bits 55..63 of the entry arrive as bits 0..8: soft-dirty (0) is not part of the outcome. */
export const pagemap = (c: Ctx, op: OpOf<'pagemap'>): Outcome => {
  const a = at(c, op);
  if (a === undefined) return DEAD;
  const r = c.b.pagemap(a.addr);
  if (r < 0) return fromRc(r);
  if (r === PAGEMAP_NONE) return ok(null);
  const bit = (n: number): boolean => ((r >> (n - 55)) & 1) === 1;
  return ok({ present: bit(63), swap: bit(62), file: bit(61), exclusive: bit(56), uffdWp: bit(57), guard: bit(58) });
};

const KNOWN: ReadonlySet<string> = new Set(VM_FLAG_LETTERS);

/** The smaps entry: Shared/Private are the clean and dirty counts summed; VmFlags kept to the reported letters. */
export const smaps = (c: Ctx, op: OpOf<'smaps'>): Outcome => {
  const a = at(c, op);
  if (a === undefined) return DEAD;
  const r = c.b.smaps(a.addr);
  if (typeof r === 'number') return r === 0 ? ok(null) : fromRc(r);
  const [start, end, kb, thp, flags, perms, offset, name] = r;
  const [rss, pss, sc, sd, pc, pd, anonymous, filePmdMapped, locked] = kb as [number, number, number, number, number, number, number, number, number];
  const set = new Set(flags.trim().split(/\s+/).filter((l) => KNOWN.has(l)));
  return ok({
    start: start - a.base, end: end - a.base, perms, offset, name, rss, pss, shared: sc + sd, private: pc + pd, anonymous, filePmdMapped, locked,
    thpEligible: thp, flags: VM_FLAG_LETTERS.filter((l) => set.has(l)),
  });
};

/** ok { pos, flags, link } (LIFE-18, CRE-17); a dead handle passes fd -1, whose entries do not exist. */
export const fdInfo = (c: Ctx, op: OpOf<'fdInfo'>): Outcome => {
  const r = c.b.fdInfo(c.t.fd(op.fd));
  if (typeof r === 'number') return fromRc(r);
  const [pos, flags, link] = r;
  return ok({ pos, flags, link });
};
