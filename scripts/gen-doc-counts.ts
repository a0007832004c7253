/**
 * `npm run docs`: writes every count the documentation states (scripts/doc-counts.ts). `--check`
 * changes nothing and exits 1 naming every stale count.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DOCS, fill, root } from './doc-counts.js';

const check = process.argv.includes('--check');
const all: string[] = [];
for (const f of DOCS()) {
  const p = path.join(root, f);
  const before = readFileSync(p, 'utf8');
  const { text, stale } = fill(f, before);
  all.push(...stale);
  if (!check && text !== before) writeFileSync(p, text);
}
if (check && all.length) {
  console.error(`stale counts (npm run docs rewrites them):\n${all.join('\n')}`);
  process.exit(1);
}
console.log(check ? 'counts up to date' : `counts written${all.length ? `: ${all.length} changed` : ''}`);
