/**
 * The project as the guest runs it: cli/vm/guest-main.ts and everything it imports bundled by
 * esbuild into one ES module, plus the native addon. Node then starts in the guest without tsx
 * transforming hundreds of TypeScript files under emulation (vm-notes: 16 s from ext4, 7.8 s
 * warm, for the unbundled tree), and nothing of node_modules needs to reach the guest.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADDON_PATH } from '../../adapters/native/_internals/binding.js';
import { cSourcesForBundle } from '../../models/report/repro/c-source.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the tree lands in the guest (/gmemcheck in the initramfs, bind-mounted at /run/gmemcheck). */
export const GUEST_TREE = '/run/gmemcheck';
export const GUEST_ADDON = `${GUEST_TREE}/gmemcheck_native.node`;

export class BundleError extends Error {
  override name = 'BundleError';
}

export interface GuestTree {
  readonly bundle: Buffer;
  readonly addon: Buffer;
}

export const buildGuestTree = async (): Promise<GuestTree> => {
  if (!existsSync(ADDON_PATH)) throw new BundleError(`the native addon is not built (${ADDON_PATH}); run npm install (or npm run build:native)`);
  const { build } = await import('esbuild');
  const r = await build({
    entryPoints: [path.join(REPO, 'cli/vm/guest-main.ts')],
    bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'silent',
    // The bundle runs from the initramfs: the addon sits next to it, not under build/Release.
    // The C sources a reproducer embeds travel inside the bundle (models/report/repro/c-source.ts).
    define: { GMEMCHECK_ADDON_PATH: JSON.stringify(GUEST_ADDON), GMEMCHECK_C_SOURCES: JSON.stringify(cSourcesForBundle()) },
    // CommonJS dependencies (seedrandom) call require() for node builtins.
    banner: { js: "import { createRequire as __gmcCreateRequire } from 'node:module'; const require = __gmcCreateRequire(import.meta.url);" },
    external: ['esbuild', 'playwright-core', 'vitest'],
  });
  if (r.errors.length > 0 || r.outputFiles.length !== 1) throw new BundleError(`esbuild: ${r.errors.map((e) => e.text).join('; ') || 'no output'}`);
  return { bundle: Buffer.from(r.outputFiles[0]!.contents), addon: readFileSync(ADDON_PATH) };
};
