/**
 * Imports point down the whole chain, never up (README.md "Layers"):
 *
 *   vocab (spec/vocab) → spec (rules, state, profiles) and targets (adapters) → harness (models)
 *   → reports (models/report, models/html) → app (cli, bench, bin, scripts) → suites (properties, test)
 *
 * A file may import its own layer and any layer below; spec and targets sit side by side and never
 * import each other (the emulator must stay independent of the spec, or testing one against the
 * other proves nothing). The spec and the vocabulary do no I/O.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Layer { readonly name: string; readonly rank: number; readonly roots: readonly string[] }

/** Most specific root first: a file belongs to the first layer with a root that prefixes it. */
const LAYERS: readonly Layer[] = [
  { name: 'vocab', rank: 0, roots: ['spec/vocab/'] },
  { name: 'spec', rank: 1, roots: ['spec/'] },
  { name: 'targets', rank: 1, roots: ['adapters/'] },
  { name: 'reports', rank: 3, roots: ['models/report/', 'models/html/'] },
  { name: 'harness', rank: 2, roots: ['models/'] },
  { name: 'app', rank: 4, roots: ['cli/', 'bench/', 'bin/', 'scripts/'] },
  { name: 'suites', rank: 5, roots: ['properties/', 'test/'] },
];

const layerOf = (file: string): Layer | undefined => LAYERS.find((l) => l.roots.some((r) => file.startsWith(r)));

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|mjs)$/.test(p) ? [p] : [];
  });

/** Static `from '…'`, `export … from '…'` and dynamic `import('…')` specifiers. */
const specifiers = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);

/** The repo path a relative specifier names (`.js` as written; the file itself is `.ts`). */
const resolve = (from: string, spec: string): string => normalize(join(dirname(from), spec)).replace(/\.js$/, '.ts');

const ALL = ['spec', 'adapters', 'models', 'cli', 'bench', 'bin', 'scripts', 'properties', 'test'].flatMap(files);

const edges = ALL.flatMap((f) => specifiers(f).filter((s) => s.startsWith('.')).map((s) => ({ from: f, to: resolve(f, s) })));

describe('layers: imports only point down', () => {
  it('every source file belongs to a layer', () => {
    expect(ALL.filter((f) => layerOf(f) === undefined)).toEqual([]);
    expect(ALL.length).toBeGreaterThan(300);
  });

  it('no import goes to a higher layer, and spec and targets never import each other', () => {
    const bad = edges.flatMap(({ from, to }) => {
      const a = layerOf(from);
      const b = layerOf(to);
      if (a === undefined || b === undefined) return [`${from} → ${to} (outside every layer)`];
      if (b.rank > a.rank || (b.rank === a.rank && b !== a)) return [`${from} (${a.name}) → ${to} (${b.name})`];
      return [];
    });
    expect(bad).toEqual([]);
  });

  it('the check can fail: an upward edge is recognised', () => {
    const a = layerOf('models/lockstep.ts')!;
    const b = layerOf('models/report/message.ts')!;
    expect(b.rank > a.rank).toBe(true);
    expect(layerOf('spec/vocab/ops.ts')!.name).toBe('vocab');
    expect(layerOf('adapters/emulator/index.ts')!.rank).toBe(layerOf('spec/step.ts')!.rank);
  });

  it('the spec and the vocabulary do no file, process or network I/O', () => {
    const bad = [...files('spec')].flatMap((f) => specifiers(f).filter((s) => /^node:(fs|child_process|net|os)/.test(s)).map((s) => `${f}: ${s}`));
    expect(bad).toEqual([]);
  });

  it('one dispatch style: exhaustive ts-pattern matches; the op dispatchers build their table once with kindTable', () => {
    const users = ALL.filter((f) => specifiers(f).includes('ts-pattern'));
    // A match that can fall through (otherwise/run) gives up the compile-time proof that every case is handled.
    expect(users.filter((f) => !/\.exhaustive\(\)/.test(readFileSync(f, 'utf8')) || /\.(otherwise|run)\(/.test(readFileSync(f, 'utf8')))).toEqual([]);
    const opDispatchers = ['spec/step.ts', 'adapters/emulator/dispatch.ts', 'adapters/native/_internals/dispatch.ts'];
    for (const f of opDispatchers) expect(readFileSync(f, 'utf8'), f).toMatch(/kindTable\(\(kind\) =>\s+match\(kind\)/);
    expect(users).toEqual(expect.arrayContaining(opDispatchers));
  });

  it('no module exports `then` (a thenable namespace makes `await import()` hang forever)', () => {
    const bad = ALL.filter((f) => /export\s+(const|function|let)\s+then\b/.test(readFileSync(f, 'utf8')));
    expect(bad).toEqual([]);
  });
});
