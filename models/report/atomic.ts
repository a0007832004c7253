/**
 * Crash-safe writes: a reader (or a run killed with SIGKILL) sees either nothing or a complete
 * file/folder, never half of one. Everything goes to a temporary name in the same directory (so
 * rename(2) stays on one filesystem and is atomic), then is renamed into place.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const tmpName = (final: string): string =>
  path.join(path.dirname(final), `.${path.basename(final)}.tmp-${process.pid}-${Date.now()}`);

export const writeFileAtomic = (file: string, content: string): void => {
  const tmp = tmpName(file);
  writeFileSync(tmp, content, { flush: true });
  renameSync(tmp, file);
};

/**
 * mkdir -p, one level at a time. Node's `recursive` mode loops forever when mkdir answers ENOENT
 * for a path whose parent exists (e.g. anything under /proc): here that error ends it.
 */
export const makeDirs = (dir: string): void => {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !existsSync(d); d = path.dirname(d)) {
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
};

/**
 * Can `dir` be written to, or created? The reason when not, undefined when it can. Nothing is left
 * behind: an existing directory gets a probe file that is removed again; for a missing one, its
 * first missing component is created and removed (the run creates it when it has something to
 * write).
 */
export const ensureWritableDir = (dir: string): string | undefined => {
  const abs = path.resolve(dir);
  let first = abs;
  while (!existsSync(first) && path.dirname(first) !== first && !existsSync(path.dirname(first))) first = path.dirname(first);
  try {
    if (!existsSync(abs)) {
      mkdirSync(first);
      rmSync(first, { recursive: true, force: true });
      return undefined;
    }
  } catch (e) {
    return `cannot create the directory (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  const probe = path.join(abs, `.gmemcheck-probe-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
    return undefined;
  } catch (e) {
    return `cannot write there (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
};

/** Writes `files` (name → content) into a fresh folder that appears at `dir` all at once. */
export const writeFolderAtomic = (dir: string, files: Readonly<Record<string, string>>): void => {
  makeDirs(path.dirname(dir));
  const tmp = tmpName(dir);
  mkdirSync(tmp);
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(tmp, name), content, { flush: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
};
