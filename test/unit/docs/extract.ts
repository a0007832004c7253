/**
 * The command examples of README.md and docs/*.md, as test/unit/docs/examples.test.ts runs them.
 *
 *  - In a fenced block tagged `sh`, every line that is not a comment is a command (a trailing
 *    `# comment` is dropped).
 *  - In any other fenced block, a line starting with `$ ` is a command, and the lines after it, up
 *    to the next `$ ` or the end of the block, are the output the documentation shows for it.
 *  - An inline code span that starts with a program (`gmemcheck`, `npx`, `npm`, `node`, `gcc`,
 *    optionally after `VAR=value` assignments) is a command, unless it is a synopsis (it holds
 *    `[`, `|`, `<` or `…`).
 *  - A fenced block whose first line is `usage: gmemcheck <command>` is that command's help text.
 *  - A blockquote (`> ` lines) is output shown for the command named in the paragraph before it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface Example {
  readonly file: string;
  readonly line: number;
  readonly command: string;
  /** Output the documentation shows for it (block commands only). */
  readonly shown: readonly string[];
}

export interface Block {
  readonly file: string;
  readonly line: number;
  readonly lang: string;
  readonly lines: readonly string[];
}

export interface Quote {
  readonly file: string;
  readonly line: number;
  readonly lines: readonly string[];
}

export interface DocFile {
  readonly examples: readonly Example[];
  readonly blocks: readonly Block[];
  readonly quotes: readonly Quote[];
}

/** README.md and docs/, except the generated rule list and the research notes (their test asserts they hold no commands). */
export const docFiles = (root: string): string[] =>
  ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)].filter((f) => f !== 'docs/rules.md');

const PROGRAM = /^(?:[A-Z_][A-Z0-9_]*=\S+ )*(?:gmemcheck|npx|npm|node|gcc) /;
const SYNOPSIS = /[[|<…]/;

export const parseDoc = (root: string, file: string): DocFile => {
  const text = readFileSync(path.join(root, file), 'utf8').split('\n');
  const examples: Example[] = [];
  const blocks: Block[] = [];
  const quotes: Quote[] = [];
  let fence: { lang: string; start: number; lines: string[] } | undefined;
  let quote: { start: number; lines: string[] } | undefined;
  const closeQuote = () => {
    if (quote) quotes.push({ file, line: quote.start, lines: quote.lines });
    quote = undefined;
  };
  text.forEach((raw, i) => {
    const n = i + 1;
    if (fence === undefined && /^```/.test(raw)) {
      closeQuote();
      fence = { lang: raw.slice(3).trim(), start: n, lines: [] };
      return;
    }
    if (fence !== undefined) {
      if (/^```\s*$/.test(raw)) {
        const b: Block = { file, line: fence.start, lang: fence.lang, lines: fence.lines };
        blocks.push(b);
        blockExamples(b).forEach((e) => examples.push(e));
        fence = undefined;
      } else fence.lines.push(raw);
      return;
    }
    if (raw.startsWith('>')) {
      quote ??= { start: n, lines: [] };
      quote.lines.push(raw.replace(/^> ?/, ''));
    } else closeQuote();
    for (const m of raw.matchAll(/`([^`]+)`/g)) {
      const span = m[1]!.trim();
      if (PROGRAM.test(span) && !SYNOPSIS.test(span)) examples.push({ file, line: n, command: span, shown: [] });
    }
  });
  closeQuote();
  return { examples, blocks, quotes };
};

const blockExamples = (b: Block): Example[] => {
  if (b.lang === 'sh') {
    return b.lines.map((l, k) => ({ l: l.replace(/\s+#\s.*$/, '').trim(), k }))
      .filter(({ l }) => l !== '' && !l.startsWith('#'))
      .map(({ l, k }) => ({ file: b.file, line: b.line + 1 + k, command: l, shown: [] }));
  }
  const out: Example[] = [];
  let cur: { command: string; line: number; shown: string[] } | undefined;
  b.lines.forEach((l, k) => {
    if (l.startsWith('$ ')) {
      if (cur) out.push({ file: b.file, ...cur });
      cur = { command: l.slice(2).trim(), line: b.line + 1 + k, shown: [] };
    } else cur?.shown.push(l);
  });
  if (cur) out.push({ file: b.file, ...cur });
  return out;
};

/** Shell words of a command line: quotes group, `VAR=value` prefixes are split off. */
export const shellWords = (cmd: string): { env: Record<string, string>; words: string[] } => {
  const words: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (const m of cmd.matchAll(re)) words.push(m[1] ?? m[2] ?? m[3]!);
  const env: Record<string, string> = {};
  while (words.length && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) {
    const [k, ...v] = words.shift()!.split('=');
    env[k!] = v.join('=');
  }
  return { env, words };
};
