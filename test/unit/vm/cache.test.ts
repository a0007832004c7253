import { mkdtempSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEntry, cacheLayout, cacheRoot, safeName } from '../../../cli/vm/cache.js';

describe('vm cache', () => {
  it('lives under $XDG_CACHE_HOME/gmemcheck, else ~/.cache/gmemcheck (a relative XDG path is ignored)', () => {
    expect(cacheRoot({ XDG_CACHE_HOME: '/x/cache' }, '/home/u')).toBe('/x/cache/gmemcheck');
    expect(cacheRoot({}, '/home/u')).toBe('/home/u/.cache/gmemcheck');
    expect(cacheRoot({ XDG_CACHE_HOME: 'rel' }, '/home/u')).toBe('/home/u/.cache/gmemcheck');
  });

  it('has one place per kind of entry, with version strings made into plain names', () => {
    const l = cacheLayout('/c');
    expect(l.apt).toBe('/c/apt');
    expect(l.debianKernel('7.2.13+deb14')).toBe('/c/debian/7.2.13+deb14');
    expect(l.busybox('1:1.38.0-3+b1')).toBe('/c/busybox/1_1.38.0-3+b1');
    expect(safeName('a/b:c')).toBe('a_b_c');
  });

  it('an entry appears only complete (renamed into place), and a failed fill leaves nothing', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'gmc-cache-'));
    const dir = path.join(root, 'debian', 'x');
    await expect(buildEntry(dir, async () => { throw new Error('download failed'); })).rejects.toThrow('download failed');
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(path.join(root, 'debian'))).toEqual([]);
    let fills = 0;
    await buildEntry(dir, async (tmp) => { fills++; writeFileSync(path.join(tmp, 'vmlinuz'), 'k'); });
    await buildEntry(dir, async () => { fills++; });
    expect(fills).toBe(1);
    expect(readdirSync(dir)).toEqual(['vmlinuz']);
  });
});

describe('cached Debian kernels', () => {
  it('the newest complete one is found by version (used when the archive cannot be reached)', async () => {
    const { newestCachedKernel } = await import('../../../cli/vm/apt.js');
    const { mkdirSync } = await import('node:fs');
    const root = mkdtempSync(path.join(tmpdir(), 'gmc-cache-'));
    expect(newestCachedKernel(root)).toBeUndefined();
    for (const abi of ['7.2.9+deb14', '7.10.1+deb14', '7.2.13+deb14']) {
      const mods = path.join(root, 'debian', abi, 'usr', 'lib', 'modules', `${abi}-amd64`);
      mkdirSync(mods, { recursive: true });
      writeFileSync(path.join(mods, 'vmlinuz'), 'k');
      if (abi !== '7.10.1+deb14') writeFileSync(path.join(mods, 'config'), 'CONFIG_KVM=m\n');
    }
    // 7.10.1 has no config (an incomplete entry would not have been renamed in; here, made by hand).
    expect(newestCachedKernel(root)).toMatchObject({ abi: '7.2.13+deb14', downloaded: false });
  });
});
