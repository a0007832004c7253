/**
 * Citation checking: the `obs:` probe ids a text cites and whether the project's probe records
 * (docs/probe-records/*.md) define them, and the source keys it names.
 *
 * An obs reference is `obs:` followed by items separated by ", ": `FD-07` (one id), `FD-07/08/12`
 * (more numbers of the same prefix), `FA-R06..08` (a range), `UF-G*` (any id of that prefix),
 * `ST-1x` (the ids 10..19) or `finding 6` (a numbered finding of the record). Anything else right
 * after `obs:` does not resolve.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const NUM = String.raw`[A-Z]?\d+[a-z]?`;
const ITEM = String.raw`(?:finding \d+|[A-Z][A-Z0-9-]*(?:\*|\dx\b|${NUM}(?:\.\.${NUM})?(?:\/${NUM})*))`;
const REF = new RegExp(String.raw`obs:(?!\s)(${ITEM}(?:, ${ITEM})*)?`, 'g');

export interface ObsRef {
  readonly text: string;
  /** The items, or none when what follows `obs:` is not an id. */
  readonly items: readonly string[];
}

/** The obs references of a text; `obs:` right after a backtick is the notation being named, not a reference. */
export const obsRefs = (text: string): ObsRef[] =>
  [...text.matchAll(/(?<!`)obs:/g)].map((m) => {
    REF.lastIndex = m.index;
    const r = REF.exec(text);
    const list = r && r.index === m.index ? r[1] : undefined;
    return { text: text.slice(m.index, m.index + 40).split('\n')[0]!, items: list ? list.split(', ') : [] };
  });

type Ranges = Map<string, [number, number][]>;

const num = (s: string): number => Number(s.replace(/^[A-Z]/, '').replace(/[a-z]$/, ''));

/** An id or id range of a record: prefix and numbers. */
const split = (id: string): { prefix: string; lo: number; hi: number } | undefined => {
  const m = /^(.*?)(\d+)[a-z]?(?:\.\.([A-Z]?\d+[a-z]?))?$/.exec(id);
  if (!m) return undefined;
  return { prefix: m[1]!, lo: Number(m[2]), hi: m[3] ? num(m[3]) : Number(m[2]) };
};

export interface ProbeIds {
  readonly ranges: Ranges;
  readonly findings: ReadonlySet<number>;
}

/** The ids a record defines: the first cell of its table rows (`FD-07`, `CR-F01..10`, `UF-G0-*`, comma-separated), and `### Finding N`. */
export const recordIds = (markdown: string): ProbeIds => {
  const ranges: Ranges = new Map();
  const findings = new Set<number>();
  for (const line of markdown.split('\n')) {
    const f = /^#+ Finding (\d+)/.exec(line);
    if (f) findings.add(Number(f[1]));
    const row = /^\| *([A-Z][^|]*?) *\|/.exec(line);
    if (!row) continue;
    for (const id of row[1]!.split(/, */)) {
      // `UF-G0-*`: the whole family (its ids are not numbered one by one in the record).
      if (id.trim().endsWith('*')) {
        ranges.set(id.trim().slice(0, -1), [...(ranges.get(id.trim().slice(0, -1)) ?? []), [0, Infinity]]);
        continue;
      }
      const s = split(id.trim());
      if (!s) continue;
      ranges.set(s.prefix, [...(ranges.get(s.prefix) ?? []), [s.lo, s.hi]]);
    }
  }
  return { ranges, findings };
};

const covered = (ids: ProbeIds, prefix: string, n: number): boolean => (ids.ranges.get(prefix) ?? []).some(([lo, hi]) => lo <= n && n <= hi);

/** Why an item does not resolve, or undefined when it does. */
export const unresolved = (ids: ProbeIds, item: string): string | undefined => {
  const finding = /^finding (\d+)$/.exec(item);
  if (finding) return ids.findings.has(Number(finding[1])) ? undefined : `no finding ${finding[1]}`;
  if (item.endsWith('*')) {
    const p = item.slice(0, -1);
    return [...ids.ranges.keys()].some((k) => k.startsWith(p)) ? undefined : `no id starts with ${p}`;
  }
  const decade = /^(.*?)(\d)x$/.exec(item);
  if (decade) {
    const [p, d] = [decade[1]!, Number(decade[2])];
    return Array.from({ length: 10 }, (_, i) => d * 10 + i).some((n) => covered(ids, p, n)) ? undefined : `no id ${p}${d}0..${d}9`;
  }
  const [head, ...more] = item.split('/');
  const s = split(head!);
  if (!s) return `not an id: ${item}`;
  const nums = [...Array.from({ length: s.hi - s.lo + 1 }, (_, i) => s.lo + i), ...more.map(num)];
  const missing = nums.filter((n) => !covered(ids, s.prefix, n));
  return missing.length ? `${s.prefix}${missing.join(',')} not recorded` : undefined;
};

const RECORDS = new URL('../../docs/probe-records/', import.meta.url);

/** Every id the project's probe records define. */
export const probeIds = (): ProbeIds => {
  const all = readdirSync(RECORDS).filter((f) => f.endsWith('.md')).map((f) => recordIds(readFileSync(join(RECORDS.pathname, f), 'utf8')));
  const ranges: Ranges = new Map();
  for (const r of all) for (const [k, v] of r.ranges) ranges.set(k, [...(ranges.get(k) ?? []), ...v]);
  return { ranges, findings: new Set(all.flatMap((r) => [...r.findings])) };
};
