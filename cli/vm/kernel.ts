/**
 * The kernel a `gmemcheck vm` run boots: Debian's newest (`--kernel debian`, ./apt.ts) or the
 * user's own bzImage/vmlinuz with an optional modules directory and .config. The modules the
 * initramfs needs are resolved once per kernel and kept decompressed in the cache.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fetchDebianKernel, type Fetcher } from './apt.js';
import { buildEntry, cacheLayout } from './cache.js';
import { indexModules, resolveModules, WANTED_MODULES, type ResolvedModule } from './modules.js';

export interface BootKernel {
  /** What to call it in messages: "Debian 7.2.13+deb14-amd64" or the path. */
  readonly label: string;
  readonly image: string;
  /** The .config text, when one was found. */
  readonly config?: string;
  readonly configFrom?: string;
  /** Where modules are searched (a modules_install tree, a build tree, Debian's package). */
  readonly modulesDir?: string;
}

export class KernelError extends Error {
  override name = 'KernelError';
}

const readIf = (p: string | undefined): string | undefined => (p !== undefined && existsSync(p) ? readFileSync(p, 'utf8') : undefined);

/** A .config near a user's kernel image: the build tree's (…/arch/x86/boot/bzImage → …/.config), or beside it. */
export const configNear = (image: string, modulesDir?: string): string | undefined => {
  const dir = path.dirname(image);
  const candidates = [
    path.resolve(dir, '../../../.config'),
    path.join(dir, '.config'),
    path.join(dir, `config-${path.basename(image).replace(/^(vmlinuz|bzImage)-?/, '')}`),
    ...(modulesDir ? [path.join(modulesDir, 'config'), path.join(modulesDir, '.config')] : []),
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
};

/** A build tree's root when the image is …/arch/x86/boot/bzImage (modules are built in place there). */
const buildTreeOf = (image: string): string | undefined => {
  const root = path.resolve(path.dirname(image), '../../..');
  return existsSync(path.join(root, 'Makefile')) && existsSync(path.join(root, '.config')) ? root : undefined;
};

export const resolveKernel = async (
  spec: string, opts: { readonly modules?: string; readonly config?: string }, cache: string, f: Fetcher,
): Promise<BootKernel> => {
  if (spec === 'debian') {
    const k = await fetchDebianKernel(cache, f);
    if (opts.modules !== undefined) throw new KernelError('--modules goes with --kernel PATH; --kernel debian brings its own modules');
    return { label: `Debian ${path.basename(k.modulesDir)}${k.downloaded ? '' : ' (cached)'}`, image: k.kernel, config: readFileSync(k.config, 'utf8'), configFrom: k.config, modulesDir: k.modulesDir };
  }
  const image = path.resolve(spec);
  if (!existsSync(image) || !statSync(image).isFile()) throw new KernelError(`--kernel ${spec}: no such file (a bzImage or vmlinuz, or 'debian')`);
  const modulesDir = opts.modules !== undefined ? path.resolve(opts.modules) : buildTreeOf(image);
  if (modulesDir !== undefined && !existsSync(modulesDir)) throw new KernelError(`--modules ${opts.modules}: no such directory`);
  const configFrom = opts.config !== undefined ? path.resolve(opts.config) : configNear(image, modulesDir);
  if (opts.config !== undefined && !existsSync(configFrom!)) throw new KernelError(`--config ${opts.config}: no such file`);
  const config = readIf(configFrom);
  return { label: image, image, ...(config !== undefined ? { config, configFrom: configFrom! } : {}), ...(modulesDir ? { modulesDir } : {}) };
};

/** The wanted modules of this kernel, decompressed, from the cache or resolved now. */
export const kernelModules = async (k: BootKernel, cache: string, busybox: string): Promise<ResolvedModule[]> => {
  if (k.modulesDir === undefined) return [];
  const index = indexModules(k.modulesDir);
  const chosen = [...index.entries()].filter(([n]) => (WANTED_MODULES as readonly string[]).includes(n)).sort();
  // Keyed by the files themselves: a rebuilt module gets a fresh entry.
  const key = createHash('sha256').update(JSON.stringify(chosen.map(([n, p]) => {
    const st = statSync(p);
    return [n, p, st.size, st.mtimeMs];
  }))).digest('hex').slice(0, 16);
  const dir = cacheLayout(cache).initramfsModules(key);
  const list = path.join(dir, 'modules.json');
  if (!existsSync(list)) {
    const resolved = await resolveModules(index, WANTED_MODULES, busybox);
    await buildEntry(dir, async (tmp) => {
      for (const m of resolved) writeFileSync(path.join(tmp, `${m.name}.ko`), m.data);
      writeFileSync(path.join(tmp, 'modules.json'), JSON.stringify(resolved.map((m) => ({ name: m.name, file: m.file }))));
    });
  }
  const names = JSON.parse(readFileSync(list, 'utf8')) as { name: string; file: string }[];
  mkdirSync(dir, { recursive: true });
  return names.map((m) => ({ ...m, data: readFileSync(path.join(dir, `${m.name}.ko`)) }));
};
