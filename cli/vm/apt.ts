/**
 * Fetches Debian's newest kernel (image, modules, config) and busybox-static into the cache with
 * the private apt configuration of ./apt-config.ts: `apt-get download` + `dpkg -x`, nothing
 * installed, the machine's apt setup untouched. A cached kernel or busybox is reused without a
 * download; the package lists are refreshed at most every few hours.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { aptDirs, aptOptions, compareKernelVersions, kernelDepends, newestKernel, pickArchive, sourcesLine } from './apt-config.js';
import { ageSeconds, buildEntry, cacheLayout, cached } from './cache.js';

const run = promisify(execFile);

/** apt or dpkg failed, or the archive was unreachable: the message carries apt's own words. */
export class FetchError extends Error {
  override name = 'FetchError';
}

/** Refresh the unstable package lists when older than this. */
const LISTS_MAX_AGE_S = 6 * 3600;

const machineSources = (etc = '/etc/apt'): { name: string; text: string }[] => {
  const files: { name: string; text: string }[] = [];
  const dir = path.join(etc, 'sources.list.d');
  const names = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.sources') || n.endsWith('.list')).sort() : [];
  for (const n of names) files.push({ name: path.join(dir, n), text: readFileSync(path.join(dir, n), 'utf8') });
  const main = path.join(etc, 'sources.list');
  if (existsSync(main)) files.push({ name: main, text: readFileSync(main, 'utf8') });
  return files;
};

const tool = async (cmd: string, args: readonly string[], cwd?: string): Promise<string> => {
  try {
    const r = await run(cmd, [...args], { cwd, maxBuffer: 64 << 20, env: { ...process.env, LC_ALL: 'C', DEBIAN_FRONTEND: 'noninteractive' } });
    return r.stdout;
  } catch (e) {
    const err = e as { code?: string | number; stderr?: string; stdout?: string; message: string };
    if (err.code === 'ENOENT') throw new FetchError(`${cmd} not found: --kernel debian needs apt-get and dpkg (a Debian or Ubuntu host)`);
    const said = `${err.stderr ?? ''}\n${err.stdout ?? ''}`.split('\n').filter((l) => /^(E|W|Err):|error/i.test(l)).slice(0, 4).join('; ');
    throw new FetchError(`${cmd} ${args.filter((a) => !a.startsWith('Dir::') && a !== '-o').slice(0, 3).join(' ')} failed: ${said || err.message}`);
  }
};

export interface Fetcher {
  readonly say: (line: string) => void;
}

/** The private apt configuration, written on first use; the package lists refreshed if stale. */
const prepareApt = async (root: string, f: Fetcher): Promise<string[]> => {
  const d = aptDirs(root);
  mkdirSync(path.join(d.lists, 'partial'), { recursive: true });
  mkdirSync(path.join(d.cache, 'archives', 'partial'), { recursive: true });
  const line = sourcesLine(pickArchive(machineSources()));
  if (!existsSync(d.sourceList) || readFileSync(d.sourceList, 'utf8') !== line) writeFileSync(d.sourceList, line);
  const opts = aptOptions(root);
  const stamp = path.join(root, 'lists.updated');
  if (ageSeconds(stamp) > LISTS_MAX_AGE_S) {
    f.say(`fetching the package lists of Debian unstable (${line.trim().split(' ').filter((w) => w.includes('://'))[0]})`);
    const out = await tool('apt-get', [...opts, '-q', 'update']);
    // apt-get update exits 0 even when a source could not be fetched; its Err:/W: lines say so.
    const failed = out.split('\n').filter((l) => /^(Err:|W: Failed|E:)/.test(l));
    if (failed.length > 0) throw new FetchError(`the Debian archive is unreachable: ${failed.slice(0, 3).join('; ')}`);
    writeFileSync(stamp, new Date().toISOString());
  }
  return opts;
};

const download = async (opts: string[], pkgs: readonly string[], into: string): Promise<string[]> => {
  mkdirSync(into, { recursive: true });
  await tool('apt-get', [...opts, '-q', 'download', ...pkgs], into);
  const debs = readdirSync(into).filter((n) => n.endsWith('.deb'));
  for (const p of pkgs) if (!debs.some((d) => d.startsWith(`${p}_`))) throw new FetchError(`apt-get download did not produce ${p}`);
  return debs.map((d) => path.join(into, d));
};

const extract = async (debs: readonly string[], into: string): Promise<void> => {
  for (const d of debs) await tool('dpkg-deb', ['-x', d, into]);
};

export interface DebianKernel {
  readonly abi: string;
  readonly kernel: string;
  readonly config: string;
  readonly modulesDir: string;
  /** Was it downloaded now (false: cache hit)? */
  readonly downloaded: boolean;
}

const kernelFiles = (dir: string, abi: string) => {
  // The modules directory is the kernel release: <abi>-<flavour> (7.2.13+deb14-amd64).
  const base = path.join(dir, 'usr', 'lib', 'modules');
  const rel = (existsSync(base) ? readdirSync(base) : []).find((n) => n === `${abi}-amd64`) ?? `${abi}-amd64`;
  const mods = path.join(base, rel);
  return { kernel: path.join(mods, 'vmlinuz'), config: path.join(mods, 'config'), modulesDir: mods };
};

/** The newest kernel already in the cache, if any (by ABI version). */
export const newestCachedKernel = (cache: string): DebianKernel | undefined => {
  const dir = path.dirname(cacheLayout(cache).debianKernel('x'));
  const abis = (existsSync(dir) ? readdirSync(dir) : []).filter((n) => !n.includes('.tmp-')).sort(compareKernelVersions);
  for (const abi of abis.reverse()) {
    const files = kernelFiles(path.join(dir, abi), abi);
    if (existsSync(files.kernel) && existsSync(files.config)) return { abi, ...files, downloaded: false };
  }
  return undefined;
};

/**
 * The newest linux-image-<abi>-amd64 of Debian unstable, from the cache or downloaded now. When the
 * archive cannot be reached but a kernel is cached, that one is used and the reason is said (an
 * empty cache, as in CI, makes it an error).
 */
export const fetchDebianKernel = async (cache: string, f: Fetcher): Promise<DebianKernel> => {
  try {
    return await fetchNewest(cache, f);
  } catch (e) {
    const cached = e instanceof FetchError ? newestCachedKernel(cache) : undefined;
    if (cached === undefined) throw e;
    f.say(`${(e as Error).message}; using the cached Linux ${cached.abi}`);
    return cached;
  }
};

const fetchNewest = async (cache: string, f: Fetcher): Promise<DebianKernel> => {
  const layout = cacheLayout(cache);
  const opts = await prepareApt(layout.apt, f);
  const search = await tool('apt-cache', [...opts, 'search', '--names-only', '^linux-image-[0-9]']);
  const abi = newestKernel(search);
  if (abi === undefined) throw new FetchError('no linux-image-<version>-amd64 package in Debian unstable\'s package lists');
  const dir = layout.debianKernel(abi);
  const downloaded = !cached(dir);
  if (downloaded) {
    // linux-image-<abi>-amd64 is a metapackage; its Depends name the packages with the files.
    const pkgs = kernelDepends(await tool('apt-cache', [...opts, 'show', `linux-image-${abi}-amd64`]), abi);
    if (!pkgs.some((p) => p.startsWith('linux-modules-'))) throw new FetchError(`linux-image-${abi}-amd64 depends on no modules package (${pkgs.join(', ')})`);
    f.say(`downloading Linux ${abi} (${pkgs.join(', ')})`);
    await buildEntry(dir, async (tmp) => {
      const debs = await download(opts, pkgs, path.join(tmp, '.debs'));
      await extract(debs, tmp);
      await tool('rm', ['-rf', path.join(tmp, '.debs')]);
    });
  }
  const files = kernelFiles(dir, abi);
  for (const p of [files.kernel, files.config]) if (!existsSync(p)) throw new FetchError(`the Debian kernel packages of ${abi} have no ${path.basename(p)} (looked in ${files.modulesDir})`);
  return { abi, ...files, downloaded };
};

/** busybox-static from Debian unstable (the initramfs's shell, mount, insmod), cached by version; any cached one when the archive is unreachable. */
export const fetchBusybox = async (cache: string, f: Fetcher): Promise<string> => {
  try {
    return await fetchBusyboxNewest(cache, f);
  } catch (e) {
    const dir = path.dirname(cacheLayout(cache).busybox('x'));
    const have = (existsSync(dir) ? readdirSync(dir) : []).filter((n) => !n.includes('.tmp-')).map((n) => path.join(dir, n, 'usr', 'bin', 'busybox')).find((p) => existsSync(p));
    if (!(e instanceof FetchError) || have === undefined) throw e;
    return have;
  }
};

const fetchBusyboxNewest = async (cache: string, f: Fetcher): Promise<string> => {
  const layout = cacheLayout(cache);
  const opts = await prepareApt(layout.apt, f);
  const show = await tool('apt-cache', [...opts, 'show', 'busybox-static']);
  const version = /^Version:\s*(\S+)/m.exec(show)?.[1];
  if (version === undefined) throw new FetchError('busybox-static is not in Debian unstable\'s package lists');
  const dir = layout.busybox(version);
  if (!cached(dir)) {
    f.say(`downloading busybox-static ${version}`);
    await buildEntry(dir, async (tmp) => {
      const debs = await download(opts, ['busybox-static'], path.join(tmp, '.debs'));
      await extract(debs, tmp);
    });
  }
  const bin = path.join(dir, 'usr', 'bin', 'busybox');
  if (!existsSync(bin)) throw new FetchError(`busybox-static ${version} has no usr/bin/busybox`);
  return bin;
};
