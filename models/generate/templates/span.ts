/**
 * spanRange (issue 15; spec/vocab/ops-span.ts, MAP-26): a call over a mapping's last pages and
 * the anonymous pages after it. The map is one whose end the native target keeps a free gap after
 * (mapped by plain mmap at an arena hint, never cut by munmapPart nor made by mremap or mmapEx): elsewhere the anonymous pages may meet another VMA and the op
 * would not be run. Without such a map the handle is one not created yet (a dead map: EFAULT).
 */
import fc from 'fast-check';
import { SPAN_CALL, SPAN_MAX_PAGES, type SpanCall } from '../../../spec/vocab/ops-span.js';
import { template, type TemplateArbs } from '../template.js';

const calls = Object.keys(SPAN_CALL) as SpanCall[];

export const spanTemplates = {
  spanRange: fc.record({ n: fc.nat(), tail: fc.nat(SPAN_MAX_PAGES), pages: fc.nat(SPAN_MAX_PAGES), call: fc.constantFrom(...calls) })
    .map(({ n, tail, pages, call }) => template('spanRange', (c) => {
      const ok = c.maps.flatMap((m, i) => (m.length > 0n && !c.cutMaps.has(i) && !c.crowdedMaps.has(i) ? [i] : []));
      // Most recent maps first: they are the likeliest to be live.
      const map = ok.length > 0 ? ok[ok.length - 1 - (n % Math.min(3, ok.length))]! : c.maps.length;
      return { kind: 'spanRange', map, tail, pages, call };
    })),
} satisfies TemplateArbs;
