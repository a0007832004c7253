/**
 * Every rule id that appears in spec code must be a catalogue entry with a citation, and the
 * catalogue must agree with docs/kernel-rules.md when the project docs are checked out beside us.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, KERNEL_RULES } from '../../../spec/catalogue/index.js';

const RULE_ID = /['"`]((?:CRE|FIO|MAP|SHR|SLOT|POL|UFD|DMAP|LVL|LIFE|ENV)-\d+[a-z′]*|GEN-[A-Za-z0-9-]+)['"`]/g;

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') && !p.includes('catalogue') ? [p] : [];
  });

const idsInCode = (): Map<string, string> => {
  const found = new Map<string, string>();
  for (const file of [...sources('spec'), ...sources('properties'), ...sources('models')]) {
    for (const m of readFileSync(file, 'utf8').matchAll(RULE_ID)) found.set(m[1]!, file);
  }
  return found;
};

describe('rule ids and citations', () => {
  it('every rule id used in code is in the catalogue and has a citation', () => {
    const unknown = [...idsInCode()].filter(([id]) => !CATALOGUE.has(id)).map(([id, f]) => `${id} (${f})`);
    expect(unknown).toEqual([]);
    const uncited = [...CATALOGUE.values()].filter((r) => r.domain === 'GEN' ? !/\//.test(r.src) : !r.id).map((r) => r.id);
    expect(uncited, 'GEN rules must cite an upstream source path').toEqual([]);
  });

  it('at least 100 kernel-rules.md ids are used by the spec', () => {
    const used = [...idsInCode().keys()].filter((id) => !id.startsWith('GEN-'));
    expect(used.length).toBeGreaterThanOrEqual(100);
  });

  const doc = '../shared/docs/kernel-rules.md';
  it('the catalogue lists exactly the rule ids of docs/kernel-rules.md', (ctx) => {
    if (!existsSync(doc)) return ctx.skip(`the project docs are not checked out beside the repo (${doc})`);
    const ids = [...readFileSync(doc, 'utf8').matchAll(/^\*\*([A-Z]+-\d+[a-z′]*)/gm)].map((m) => m[1]);
    expect(KERNEL_RULES.map((r) => r.id).sort()).toEqual([...new Set(ids)].sort());
  });
});
