/**
 * The project's C sources a reproducer embeds (the syscall wrappers shared with the native addon
 * and the reproducer runtimes), read by their path in the repository. The guest bundle of
 * `gmemcheck vm` runs where the tree is not (cli/vm/bundle.ts): there esbuild's define hands their
 * texts in, so a failure found in the VM still gets its repro.c.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every C source a reproducer may embed, relative to the repository root. */
export const C_SOURCES = [
  'adapters/native/src/gm_sys.h',
  'adapters/native/src/gm_sys.c',
  'adapters/native/src/gm_par.h',
  'adapters/native/src/gm_par.c',
  'models/report/repro/runtime.c',
  'models/report/repro/par-runtime.c',
] as const;
export type CSourcePath = (typeof C_SOURCES)[number];

/** Set by esbuild's define when the guest bundle is built: path → text of every C_SOURCES file. */
declare const GMEMCHECK_C_SOURCES: Readonly<Record<string, string>> | undefined;

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const readCSource = (rel: CSourcePath): string => {
  if (typeof GMEMCHECK_C_SOURCES === 'object' && GMEMCHECK_C_SOURCES !== null) {
    const text = GMEMCHECK_C_SOURCES[rel];
    if (text === undefined) throw new Error(`the bundle carries no ${rel}`);
    return text;
  }
  return readFileSync(path.join(REPO, rel), 'utf8');
};

/** The define value for the bundle: every C source's text, read from the tree now. */
export const cSourcesForBundle = (): Record<string, string> =>
  Object.fromEntries(C_SOURCES.map((rel) => [rel, readFileSync(path.join(REPO, rel), 'utf8')]));
