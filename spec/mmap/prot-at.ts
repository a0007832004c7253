/**
 * The protection of a page of a mapping: a partial mprotect (MAP-19) leaves runs of pages with a
 * protection of their own (Mapping.protAt), the rest keeps the mapping's `prot`. Read here, so the
 * rules that mean one page or one VMA never read the whole mapping's word by mistake.
 */
import { imEach, imFind, imGet, imSet } from '../state/imap.js';
import type { Mapping } from '../state/types.js';

/** READ|WRITE|EXEC of map page mp. */
export const protOf = (m: Mapping, mp: number): number => (m.protAt === undefined ? m.prot : imGet(m.protAt, mp) ?? m.prot);

/** The first map page in [a, b) whose protection fails `ok`, or undefined (a walk over runs, not pages). */
export const firstProt = (m: Mapping, a: number, b: number, ok: (prot: number) => boolean): number | undefined => {
  if (a >= b) return undefined;
  if (m.protAt === undefined) return ok(m.prot) ? undefined : a;
  return imFind(m.protAt, a, b, (v) => !ok(v ?? m.prot));
};

/** The mapping with pages [a, b) at protection `prot` (the whole mapping: the table goes). */
export const withProt = (m: Mapping, a: number, b: number, prot: number): Mapping => {
  if (a <= 0 && b >= m.pages) return { ...m, prot, protAt: undefined };
  const protAt = imSet(m.protAt ?? null, a, b, prot === m.prot ? undefined : prot);
  return { ...m, protAt: protAt === null ? undefined : protAt };
};

/** [a, b) as runs of equal protection (as many pieces as runs, never one per page). */
export const protRuns = (m: Mapping, a: number, b: number): { s: number; e: number; prot: number }[] => {
  if (a >= b) return [];
  if (m.protAt === undefined) return [{ s: a, e: b, prot: m.prot }];
  const out: { s: number; e: number; prot: number }[] = [];
  imEach(m.protAt, a, b, (s, e, v) => {
    const prot = v ?? m.prot;
    const last = out[out.length - 1];
    if (last !== undefined && last.prot === prot) last.e = e;
    else out.push({ s, e, prot });
  });
  return out;
};
