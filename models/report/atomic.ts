/**
 * Crash-safe writes: a reader (or a run killed with SIGKILL) sees either nothing or a complete
 * file/folder, never half of one. Everything goes to a temporary name in the same directory (so
 * rename(2) stays on one filesystem and is atomic), then is renamed into place.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const tmpName = (final: string): string =>
  path.join(path.dirname(final), `.${path.basename(final)}.tmp-${process.pid}-${Date.now()}`);

export const writeFileAtomic = (file: string, content: string): void => {
  const tmp = tmpName(file);
  writeFileSync(tmp, content, { flush: true });
  renameSync(tmp, file);
};

/** Writes `files` (name → content) into a fresh folder that appears at `dir` all at once. */
export const writeFolderAtomic = (dir: string, files: Readonly<Record<string, string>>): void => {
  mkdirSync(path.dirname(dir), { recursive: true });
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
