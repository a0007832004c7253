/**
 * Embedding only what a reproducer uses from the project's C sources (gm_uapi.h, gm_sys.h,
 * gm_sys.c, runtime.c). A source is a sequence of top-level items separated by blank lines (the
 * layout rule those files follow; a `#define` line is an item of its own). An item is kept when
 * an identifier it defines is referenced by the program or by another kept item; a system
 * `#include` is kept when one of the identifiers its trailing comment names is used.
 */

export interface CItem {
  /** Identifiers the item defines (function, struct tag as `struct x`, variable, macro). */
  readonly defines: readonly string[];
  readonly text: string;
}

export interface CInclude {
  readonly line: string;
  /** The identifiers this header is included for (its trailing comment). */
  readonly for: readonly string[];
}

export interface CSource {
  readonly items: readonly CItem[];
  readonly includes: readonly CInclude[];
}

const IDENT = /[A-Za-z_]\w*/g;
const COMMENT = /\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;
const ATTRIBUTE = /__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)|_Alignas\s*\([^)]*\)/g;
const STRING = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g;

/** The identifiers an item's code mentions (comments and strings excluded), `struct x` as one token. */
const mentions = (text: string): Set<string> => {
  const code = text.replace(COMMENT, ' ').replace(STRING, ' ');
  const out = new Set<string>(code.match(IDENT) ?? []);
  for (const m of code.matchAll(/\b(struct|enum)\s+(\w+)/g)) out.add(`${m[1]} ${m[2]}`);
  return out;
};

/** Top-level comma-separated parts of a declaration (commas inside brackets do not split). */
const declarators = (s: string): string[] => {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if ('([{'.includes(ch)) depth++;
    if (')]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) { out.push(cur); cur = ''; } else cur += ch;
  }
  return [...out, cur];
};

const definesOf = (text: string): string[] => {
  const code = text.replace(COMMENT, ' ').replace(ATTRIBUTE, ' ').trim();
  const macro = /^#define\s+(\w+)/.exec(code);
  if (macro) return [macro[1]!];
  const tagged = /^(struct|enum)\s+(\w+)\s*\{([^}]*)\}\s*;/.exec(code);
  if (tagged) return [`${tagged[1]} ${tagged[2]}`, ...(tagged[1] === 'enum' ? tagged[3]!.split(',').map((e) => e.trim().split(/\s|=/)[0]!).filter(Boolean) : [])];
  const head = code.split('{')[0]!;
  // A function definition: the identifier right before its parameter list.
  if (code.includes('{') && head.includes('(') && !head.includes('=')) return [/(\w+)\s*\(/.exec(head)![1]!];
  // Variables: the last identifier of each declarator, initializers and array bounds stripped.
  return declarators(code.replace(/;\s*$/, '')).map((d) => /(\w+)\s*(?:\[[^\]]*\]\s*)*$/.exec(d.split('=')[0]!.trim())?.[1]).filter((n): n is string => n !== undefined);
};

/** Splits a source into its includes and items (quoted project includes are dropped: their items are embedded). */
export const parseC = (source: string): CSource => {
  const includes: CInclude[] = [];
  const items: CItem[] = [];
  for (const para of source.split(/\n[ \t]*\n/)) {
    const lines = para.split('\n');
    const rest: string[] = [];
    for (const line of lines) {
      const inc = /^#include\s+<[^>]+>\s*(?:\/\*\s*(.*?)\s*\*\/)?/.exec(line);
      if (inc) includes.push({ line: line.replace(/\s*\/\*.*$/, ''), for: (inc[1] ?? '').split(/\s+/).filter(Boolean) });
      else if (/^#include\s+"/.test(line) || /^#(ifndef|endif|ifdef)\b/.test(line) || /^#define\s+GM_\w+_H\b/.test(line)) continue;
      else if (/^#define\s/.test(line) && lines.every((l) => /^#define\s|^\s*$/.test(l))) items.push({ defines: definesOf(line), text: line });
      else rest.push(line);
    }
    const text = rest.join('\n').trim();
    // A paragraph of nothing but comments (a file's head) or of prototypes (a header's
    // declarations: the definitions are embedded instead) is never embedded.
    const code = text.replace(COMMENT, '').replace(ATTRIBUTE, '').trim();
    if (code === '' || (!code.includes('{') && /\)\s*;$/.test(code))) continue;
    items.push({ defines: definesOf(text), text });
  }
  return { items, includes };
};

/** The items of `sources` the code in `roots` needs, transitively, in source order (per source); and the includes they need. */
export const selectC = (sources: readonly CSource[], roots: string): { items: string[][]; includes: string[] } => {
  const all = sources.flatMap((s) => s.items);
  const byName = new Map<string, CItem>();
  for (const it of all) for (const d of it.defines) if (!byName.has(d)) byName.set(d, it);
  const kept = new Set<CItem>();
  const used = new Set<string>();
  const visit = (text: string) => {
    for (const id of mentions(text)) {
      used.add(id);
      const it = byName.get(id);
      if (it && !kept.has(it)) {
        kept.add(it);
        visit(it.text);
      }
    }
  };
  visit(roots);
  const includes = [...new Map(sources.flatMap((s) => s.includes).filter((i) => i.for.some((n) => used.has(n))).map((i) => [i.line, i])).keys()];
  return { items: sources.map((s) => s.items.filter((it) => kept.has(it)).map((it) => it.text)), includes };
};
