/**
 * Where `gmemcheck vm` keeps what it fetched and built: $XDG_CACHE_HOME/gmemcheck, else
 * ~/.cache/gmemcheck. Every entry is written into a temporary sibling and renamed into place when
 * complete, so a run killed half-way never leaves an entry that looks usable, and two runs
 * fetching the same kernel at once both end with one good copy.
 */
import { existsSync, mkdirSync, renameSync, rmSync, mkdtempSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

export const cacheRoot = (env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string =>
  path.join(env['XDG_CACHE_HOME'] && path.isAbsolute(env['XDG_CACHE_HOME']) ? env['XDG_CACHE_HOME'] : path.join(home, '.cache'), 'gmemcheck');

/** The cache layout, one place (unit-tested). */
export const cacheLayout = (root: string) => ({
  root,
  /** The private apt configuration (./apt-config.ts). */
  apt: path.join(root, 'apt'),
  /** An extracted Debian kernel: <abi>/usr/lib/modules/<abi>/{vmlinuz,config,kernel/...}. */
  debianKernel: (abi: string) => path.join(root, 'debian', safeName(abi)),
  /** An extracted busybox-static: <version>/usr/bin/busybox. */
  busybox: (version: string) => path.join(root, 'busybox', safeName(version)),
  /** Decompressed modules for the initramfs, per kernel (keyed by the modules directory). */
  initramfsModules: (key: string) => path.join(root, 'modules', safeName(key)),
  /** Downloads in progress. */
  downloads: path.join(root, 'downloads'),
});

/** A cache key that is a plain directory name (versions carry ':' and '+', keys may carry '/'). */
export const safeName = (s: string): string => s.replace(/[^A-Za-z0-9.+_-]/g, '_');

/** Is the entry complete (its directory exists: entries appear only by rename)? */
export const cached = (dir: string): boolean => existsSync(dir);

/**
 * Builds an entry: `fill` writes into a fresh temporary directory, which is then renamed to
 * `dir`. If another run renamed its copy first, ours is discarded.
 */
export const buildEntry = async (dir: string, fill: (tmp: string) => Promise<void>): Promise<string> => {
  if (cached(dir)) return dir;
  mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = mkdtempSync(`${dir}.tmp-`);
  try {
    await fill(tmp);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      if (!cached(dir)) throw e;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
};

/** Age in seconds of a file, or Infinity if it does not exist. */
export const ageSeconds = (file: string, now = Date.now()): number => {
  try {
    return (now - statSync(file).mtimeMs) / 1000;
  } catch {
    return Infinity;
  }
};
