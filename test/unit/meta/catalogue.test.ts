/**
 * The catalogue ships with the spec and every citation resolves inside the repository or names a
 * public source:
 *   - docs/rules.md is the current rendering of spec/catalogue;
 *   - every rule id the code names is a catalogue entry;
 *   - every source key (S1 … SEED4) a citation names is in spec/catalogue/sources.ts;
 *   - every `obs:` probe id in any file of the repository is defined by docs/probe-records;
 *   - a GEN rule cites an upstream source path, or a file of this repository that exists;
 *   - no file names a path outside the repository or a document that is not in it.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, OPEN_QUESTIONS, SOURCE_KEYS, SOURCES, sourceKeysIn } from '../../../spec/catalogue/index.js';
import { rulesDoc } from '../../../spec/catalogue/render-doc.js';
import { ALL_RULES } from '../../../spec/index.js';
import { obsRefs, probeIds, unresolved } from '../../support/citations.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const SKIP_DIRS = new Set(['node_modules', 'build', '.git', 'gmemcheck-results', 'tmp', 'scratch', '.scratch']);
const TEXT = /\.(ts|mjs|js|json|md|c|cc|h|py|sh|gyp|txt|yml|yaml)$/;

const repoFiles = (dir = ROOT): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (SKIP_DIRS.has(f)) return [];
    if (statSync(p).isDirectory()) return repoFiles(p);
    return TEXT.test(f) && f !== 'package-lock.json' ? [relative(ROOT, p)] : [];
  });

const read = (f: string): string => readFileSync(join(ROOT, f), 'utf8');
const THIS = 'test/unit/meta/catalogue.test.ts';
const CHECKER = 'test/support/citations.ts';

const RULE_ID = /['"`]((?:CRE|FIO|MAP|SHR|SLOT|POL|UFD|DMAP|LVL|LIFE|ENV)-\d+[a-z′]*|GEN-[A-Za-z0-9-]+)['"`]/g;

describe('the rule catalogue', () => {
  it('docs/rules.md is the current rendering of spec/catalogue (npx tsx scripts/gen-rules-doc.ts)', () => {
    expect(read('docs/rules.md')).toBe(rulesDoc(CATALOGUE));
  });

  it('every rule id used in code is in the catalogue', () => {
    const unknown = repoFiles().filter((f) => /^(spec|properties|models|adapters|cli)\//.test(f) && f.endsWith('.ts') && !f.startsWith('spec/catalogue/'))
      .flatMap((f) => [...read(f).matchAll(RULE_ID)].map((m) => m[1]!).filter((id) => !CATALOGUE.has(id)).map((id) => `${id} (${f})`));
    expect(unknown).toEqual([]);
  });

  it('at least 100 numbered rule ids are used by the spec', () => {
    const used = new Set(ALL_RULES.map((r) => r.id).filter((id) => !id.startsWith('GEN-')));
    expect(used.size).toBeGreaterThanOrEqual(100);
  });

  it('every source key a citation names is a catalogue source', () => {
    const texts = [
      ...[...CATALOGUE.values()].map((r) => [r.id, `${r.statement} ${r.status} ${r.measured} ${r.src}`] as const),
      ...ALL_RULES.map((r) => [r.id, r.cite] as const),
      ...Object.entries(OPEN_QUESTIONS).map(([k, q]) => [k, `${q.evidence} ${q.host}`] as const),
      ...SOURCES.map((s) => [s.key, s.cite] as const),
    ];
    const missing = texts.flatMap(([where, t]) => sourceKeysIn(t).filter((k) => !SOURCE_KEYS.has(k)).map((k) => `${k} (${where})`));
    expect(missing).toEqual([]);
    const cited = new Set(texts.filter(([w]) => !SOURCE_KEYS.has(w)).flatMap(([, t]) => sourceKeysIn(t)));
    // S24 (the probe records) is cited through obs: ids.
    expect(SOURCES.map((s) => s.key).filter((k) => k !== 'S24' && !cited.has(k)), 'sources nothing cites').toEqual([]);
  });

  it('every obs: probe id in the repository is defined by docs/probe-records', () => {
    const ids = probeIds();
    const bad = repoFiles().filter((f) => f !== CHECKER && f !== THIS).flatMap((f) => obsRefs(read(f)).flatMap((r) =>
      r.items.length === 0 ? [`${f}: '${r.text}' names no probe id`] : r.items.flatMap((i) => {
        const why = unresolved(ids, i);
        return why ? [`${f}: obs:${i}: ${why}`] : [];
      })));
    expect(bad).toEqual([]);
  });

  it('the obs: checker rejects ids the records do not define', () => {
    const ids = probeIds();
    expect(unresolved(ids, 'FD-07/08')).toBeUndefined();
    expect(unresolved(ids, 'CR-F01..10')).toBeUndefined();
    expect(unresolved(ids, 'UF-G0-*')).toBeUndefined();
    expect(unresolved(ids, 'finding 6')).toBeUndefined();
    expect(unresolved(ids, 'FD-99')).toMatch(/not recorded/);
    expect(unresolved(ids, 'CR-F01..12')).toMatch(/CR-F11,12 not recorded/);
    expect(unresolved(ids, 'ZZ-*')).toMatch(/no id/);
    expect(unresolved(ids, 'finding 42')).toMatch(/no finding/);
    expect(obsRefs('see obs: ENOTTY')[0]!.items).toEqual([]);
  });

  it('a GEN rule cites an upstream source path or a file of this repository', () => {
    const bad = [...CATALOGUE.values()].filter((r) => r.domain === 'generic').filter((r) => {
      const path = /^[\w.-]+\/[\w./-]+/.exec(r.src)?.[0];
      if (!path) return true;
      const top = path.split('/')[0]!;
      return ['spec', 'docs', 'models', 'adapters', 'cli'].includes(top) ? !existsSync(join(ROOT, path)) : !/\.[ch]$/.test(path);
    }).map((r) => `${r.id}: ${r.src}`);
    expect(bad).toEqual([]);
  });

  it('no file names a path outside the repository or a document that is not in it', () => {
    const OUTSIDE = new RegExp(['\\.\\./shared', '\\.\\./seeds', '\\/work\\/', 'kernel-rules\\.md', 'this-kernel\\.md', 'native-notes\\.md', 'vm-notes\\.md', 'style\\.md', 'architecture\\.md', 'anchors\\.md', 'BRIEF\\.md'].join('|'));
    const bad = repoFiles().filter((f) => f !== THIS).flatMap((f) => read(f).split('\n').map((l, i) => [l, i] as const)
      .filter(([l]) => OUTSIDE.test(l)).map(([l, i]) => `${f}:${i + 1}: ${l.trim().slice(0, 100)}`));
    expect(bad).toEqual([]);
  });
});
