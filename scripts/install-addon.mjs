// npm's install step (package.json "install"): build the native addon with node-gyp, offline.
//
// - `npx gmemcheck …` in a clone installs the clone as a package into npx's cache, and npm runs
//   this step again (npm_command=exec): it must not rebuild the addon silently behind a command
//   the user typed to run something else. It builds nothing there and says so; the native target
//   says why it is unavailable if the addon is missing (`npm run build:native` builds it).
// - Otherwise (npm ci / npm install) it builds unless the built addon is up to date: a stamp holds
//   the hash of binding.gyp, the addon's sources and Node's module ABI the addon was built from.
// - A failed build does not fail the install: the native target reports why it is off.
// - `--force` (npm run build:native) always builds.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const addon = path.join(root, 'build/Release/gmemcheck_native.node');
const stampFile = path.join(root, 'build/gmemcheck-addon.stamp');
const say = (msg) => process.stderr.write(`gmemcheck: ${msg}\n`);

const sourcesHash = () => {
  const h = createHash('sha256');
  const src = path.join(root, 'adapters/native/src');
  for (const f of ['binding.gyp', ...readdirSync(src).sort().map((n) => path.join('adapters/native/src', n))]) {
    h.update(f).update(readFileSync(path.join(root, f)));
  }
  return h.update(`node-abi ${process.versions.modules}`).digest('hex');
};

const force = process.argv.includes('--force');
if (!force && process.env.npm_command === 'exec') {
  say(`npx: not building the native addon (${existsSync(addon) ? 'the built one is used as it is' : 'none is built: npm run build:native builds it'})`);
  process.exit(0);
}
const want = sourcesHash();
if (!force && existsSync(addon) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === want) {
  say('native addon up to date');
  process.exit(0);
}
const r = spawnSync('node-gyp', ['rebuild'], { cwd: root, stdio: 'inherit' });
if (r.status === 0) writeFileSync(stampFile, `${want}\n`);
else say('native addon build failed; nativeAvailable() will say why the native target is off');
