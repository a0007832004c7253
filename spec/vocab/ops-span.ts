/**
 * A range op spanning two VMAs (issue 15, docs/kernel-surface.md E18, rule MAP-26): madvise,
 * mprotect or mlock over the tail of a mapping and, right after its end, 1..4 anonymous private
 * pages the target maps for the call alone (MAP_FIXED_NOREPLACE into the free gap the spec's
 * address space keeps after every mapping) and unmaps after it. Declared here and spread into
 * ./ops.ts's OPS, so this family grows without touching the other families' lines.
 *
 * The call and its argument are one enum: only calls whose answer on a fresh anonymous private
 * VMA is certain are drawn (ok for all but MADV_REMOVE, which refuses a VMA without a file).
 * `tail` is how many of the mapping's last pages the range covers (0 reads as 1; more than the
 * mapping has reads as all of it), `pages` how many anonymous pages follow (0 reads as 1).
 */
import { count, enumOf, handle, type Fields } from './field.js';
import type { OpDecl } from './ops.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;
const map = handle('map');

/** The calls: madvise advice, mprotect prot words, mlock/mlock2(MLOCK_ONFAULT)/munlock. */
export const SPAN_CALL = {
  madvDontneed: 0, madvRemove: 1, madvFree: 2, madvWillneed: 3,
  protNone: 4, protRead: 5, protReadWrite: 6,
  mlock: 7, mlockOnfault: 8, munlock: 9,
} as const;
export type SpanCall = keyof typeof SPAN_CALL;
/** At most this many anonymous pages and this many tail pages. */
export const SPAN_MAX_PAGES = 4;

/** The tail pages a span covers of a mapping of `mapPages` pages, and the anonymous pages after it. */
export const spanPages = (tail: number, pages: number, mapPages: number): { readonly tail: number; readonly anon: number } => ({
  tail: Math.min(Math.max(tail, 1), mapPages),
  anon: Math.max(pages, 1),
});

export const SPAN_OPS = {
  spanRange: decl({
    doc: 'madvise/mprotect/mlock (SPAN_CALL) over the mapping\'s last `tail` pages (1..4, at most all) and `pages` (1..4) anonymous private pages mapped right after its end for the call and unmapped after it',
    // No footprint: the pages touched depend on the mapping's length, which the op does not carry.
    fields: { map, tail: count(SPAN_MAX_PAGES), pages: count(SPAN_MAX_PAGES), call: enumOf(SPAN_CALL) },
  }),
} as const;
