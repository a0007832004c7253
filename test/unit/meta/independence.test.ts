/**
 * Architecture invariants (docs/architecture.md): adapters never import spec logic (only the shared
 * vocabulary), and the spec never imports an adapter or does I/O. Otherwise testing one against the
 * other would prove nothing.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|mjs)$/.test(p) ? [p] : [];
  });
const imports = (file: string): string[] => [...readFileSync(file, 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('independence of spec and adapters', () => {
  it('adapters import nothing from spec/ but spec/vocab', () => {
    const bad = files('adapters').flatMap((f) => imports(f).filter((i) => /\/spec\//.test(i) && !/\/spec\/vocab\//.test(i)).map((i) => `${f}: ${i}`));
    expect(bad).toEqual([]);
  });
  it('spec imports no adapter, no model and no node I/O module', () => {
    const bad = files('spec').flatMap((f) => imports(f).filter((i) => /adapters\/|models\/|^node:(fs|child_process|net)/.test(i)).map((i) => `${f}: ${i}`));
    // spec/profiles/derive.ts reads the ProbeResult *type* only.
    expect(bad.filter((b) => !b.startsWith('spec/profiles/derive.ts'))).toEqual([]);
  });
  it('no module exports `then` (a thenable namespace makes `await import()` hang forever)', () => {
    const bad = ['spec', 'models', 'adapters', 'cli'].flatMap((d) => { try { return files(d); } catch { return []; } })
      .filter((f) => /export\s+(const|function|let)\s+then\b/.test(readFileSync(f, 'utf8')));
    expect(bad).toEqual([]);
  });
});
