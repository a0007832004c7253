/**
 * Counts the documentation states, computed from the code: every
 * `<!-- count:KEY -->…<!-- /count -->` in README.md, docs/*.md and spec/README.md gets the value
 * of KEY below. scripts/gen-doc-counts.ts (`npm run docs`) writes them; test/unit/docs/counts.test.ts
 * fails naming every stale one, so a count cannot drift from what it counts.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_RULES } from '../spec/index.js';
import { CATALOGUE } from '../spec/catalogue/index.js';
import { OP_KINDS } from '../spec/vocab/index.js';
import { PRESETS } from '../spec/profiles/index.js';
import { BUGS } from '../adapters/emulator/index.js';
import { DEFAULT_LIMITS } from '../adapters/remote/agent/limits.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const encoded = new Set(ALL_RULES.map((r) => r.id));
const thousands = (n: number): string => n.toLocaleString('en-US');

export const COUNTS: Readonly<Record<string, () => string>> = {
  'catalogue-rules': () => String(CATALOGUE.size),
  'catalogue-numbered': () => String([...CATALOGUE.keys()].filter((id) => !id.startsWith('GEN-')).length),
  'numbered-encoded': () => String([...encoded].filter((id) => !id.startsWith('GEN-') && CATALOGUE.has(id)).length),
  'gen-encoded': () => String([...encoded].filter((id) => id.startsWith('GEN-')).length),
  'not-encoded': () => [...CATALOGUE.keys()].filter((id) => !encoded.has(id)).join(', '),
  'op-kinds': () => String(OP_KINDS.length),
  'presets': () => String(Object.keys(PRESETS).length),
  'emulator-bugs': () => String(BUGS.length),
  'agent-targets': () => String(DEFAULT_LIMITS.targets),
  'agent-vms': () => String(DEFAULT_LIMITS.vms),
  'agent-fds': () => String(DEFAULT_LIMITS.fds),
  'agent-maps': () => String(DEFAULT_LIMITS.maps),
  'agent-populate-mib': () => String(DEFAULT_LIMITS.populateBytes >> 20n),
  'agent-ops-per-second': () => thousands(DEFAULT_LIMITS.opsPerSecond),
};

export const DOCS = (): string[] =>
  ['README.md', 'spec/README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

const MARK = /<!-- count:([\w-]+) -->(.*?)<!-- \/count -->/g;

/** Each file's text with every count filled in, and the counts that were stale or unknown. */
export const fill = (file: string, text: string): { text: string; stale: string[] } => {
  const stale: string[] = [];
  const out = text.replace(MARK, (_m, key: string, was: string) => {
    const f = COUNTS[key];
    if (f === undefined) {
      stale.push(`${file}: unknown count '${key}'`);
      return _m;
    }
    const now = f();
    if (now !== was) stale.push(`${file}: ${key} says ${was || '(nothing)'}, is ${now}`);
    return `<!-- count:${key} -->${now}<!-- /count -->`;
  });
  return { text: out, stale };
};

