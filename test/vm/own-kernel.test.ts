/**
 * Testing one's own kernel build: --kernel PATH with --modules and --config, here with the files
 * of Debian's package taken as if they were a local build (docs/vm.md). A config without
 * CONFIG_KVM_GUEST_MEMFD is refused before anything boots, naming what is missing.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchDebianKernel } from '../../cli/vm/apt.js';
import { cacheRoot } from '../../cli/vm/cache.js';
import { killChildren, qemuUnder, runVm } from './_support.js';

describe('gmemcheck vm --kernel PATH', () => {
  afterEach(killChildren);

  it('boots a bzImage with its modules directory and config, and probes it', async () => {
    const k = await fetchDebianKernel(cacheRoot(), { say: () => undefined });
    const build = mkdtempSync(path.join(tmpdir(), 'gmc-own-'));
    copyFileSync(k.kernel, path.join(build, 'bzImage'));
    const r = await runVm(['--kernel', path.join(build, 'bzImage'), '--modules', k.modulesDir, '--config', k.config, '--', 'probe']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`vm: kernel: ${path.join(build, 'bzImage')}`);
    expect(r.stdout).toContain(`release:    ${path.basename(k.modulesDir)}`);
    expect(qemuUnder(r.tmp)).toEqual([]);
  });

  it('a config without guest_memfd is refused before boot, exit 3, naming the option', async () => {
    const k = await fetchDebianKernel(cacheRoot(), { say: () => undefined });
    const build = mkdtempSync(path.join(tmpdir(), 'gmc-own-'));
    const cfg = path.join(build, '.config');
    writeFileSync(cfg, readFileSync(k.config, 'utf8').replace('CONFIG_KVM_GUEST_MEMFD=y', '# CONFIG_KVM_GUEST_MEMFD is not set'));
    const r = await runVm(['--kernel', k.kernel, '--modules', k.modulesDir, '--config', cfg, '--', 'probe']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/lacks what gmemcheck vm needs: CONFIG_KVM_GUEST_MEMFD=y \(guest_memfd itself\)/);
    expect(r.stderr).not.toMatch(/booting/);
  });
});
