/**
 * Kernel modules the initramfs loads before anything else can run: virtio transport and console,
 * 9p (the host's root and working directory), and KVM. They are found by name in a modules
 * directory (Debian's package, or a user's `make modules_install` tree or build tree), their
 * dependencies read from each module's .modinfo section, and they are decompressed on the host
 * so the initramfs's busybox insmod needs no decompressor. A module that is not there is fine when
 * the kernel has it built in; ./config-check.ts says what is missing.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';

const run = promisify(execFile);

/**
 * What the guest needs, in load order before dependencies are added. kvm_amd/kvm_intel: the guest
 * tries both. virtio_blk and ext4: the O_DIRECT scratch disk (./scratch-disk.ts).
 */
export const WANTED_MODULES = ['virtio_pci', 'virtio_console', 'netfs', '9pnet', '9pnet_virtio', '9p', 'virtio_blk', 'ext4', 'kvm', 'kvm_amd', 'kvm_intel'] as const;

export class ModuleError extends Error {
  override name = 'ModuleError';
}

export const moduleName = (file: string): string => path.basename(file).replace(/\.ko(\.(xz|zst|gz))?$/, '').replace(/-/g, '_');

const SKIP_DIRS = new Set(['.git', 'Documentation', 'scripts', 'tools', 'source', 'build', 'include', 'firmware']);

/** Every module file under `dir`, by module name (first found wins). */
export const indexModules = (dir: string): Map<string, string> => {
  const out = new Map<string, string>();
  const walk = (d: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = path.join(d, n);
      if (/\.ko(\.(xz|zst|gz))?$/.test(n)) {
        const m = moduleName(n);
        if (!out.has(m)) out.set(m, p);
      } else if (depth < 12 && !SKIP_DIRS.has(n)) {
        let st;
        try { st = statSync(p); } catch { continue; }
        if (st.isDirectory()) walk(p, depth + 1);
      }
    }
  };
  walk(dir, 0);
  return out;
};

/** The `depends=` list of a module's .modinfo section (the strings are NUL-separated key=value pairs). */
export const modinfoDepends = (ko: Uint8Array): string[] => {
  const text = Buffer.from(ko.buffer, ko.byteOffset, ko.length).toString('latin1');
  const m = /(?:^|\0)depends=([^\0]*)\0/.exec(text);
  return m ? m[1]!.split(',').map((s) => s.trim().replace(/-/g, '_')).filter(Boolean) : [];
};

/** The module's bytes, decompressed (xz/zstd by the host tools or busybox; gzip by zlib). */
export const readModule = async (file: string, busybox?: string): Promise<Buffer> => {
  if (file.endsWith('.ko')) return readFileSync(file);
  if (file.endsWith('.gz')) return gunzipSync(readFileSync(file));
  const viaTool = async (cmd: string, args: string[]): Promise<Buffer> =>
    (await run(cmd, [...args, file], { encoding: 'buffer', maxBuffer: 256 << 20 })).stdout;
  const tries: [string, string[]][] = file.endsWith('.xz')
    ? [['xz', ['-dc']], ...(busybox ? [[busybox, ['xz', '-dc']] as [string, string[]]] : [])]
    : [['zstd', ['-dcq']]];
  let last: unknown;
  for (const [cmd, args] of tries) {
    try {
      return await viaTool(cmd, args);
    } catch (e) {
      last = e;
    }
  }
  throw new ModuleError(`cannot decompress ${file} (${file.endsWith('.xz') ? 'xz' : 'zstd'} not found or failed: ${(last as Error).message.split('\n')[0]})`);
};

export interface ResolvedModule {
  readonly name: string;
  readonly file: string;
  readonly data: Buffer;
}

/**
 * The wanted modules that exist under the index, each preceded by its dependencies (a module's
 * dependency missing from the tree is assumed built in). Load order = array order.
 */
export const resolveModules = async (index: ReadonlyMap<string, string>, wanted: readonly string[], busybox?: string): Promise<ResolvedModule[]> => {
  const out: ResolvedModule[] = [];
  const seen = new Set<string>();
  const visit = async (name: string, chain: readonly string[]): Promise<void> => {
    if (seen.has(name)) return;
    if (chain.includes(name)) throw new ModuleError(`module dependency cycle: ${[...chain, name].join(' -> ')}`);
    const file = index.get(name);
    if (file === undefined) return;
    const data = await readModule(file, busybox);
    for (const dep of modinfoDepends(data)) await visit(dep, [...chain, name]);
    seen.add(name);
    out.push({ name, file, data });
  };
  for (const w of wanted) await visit(w, []);
  return out;
};
