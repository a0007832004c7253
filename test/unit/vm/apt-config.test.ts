import { describe, expect, it } from 'vitest';
import {
  aptOptions, compareKernelVersions, kernelDepends, newestKernel, NoArchiveError, parseDeb822, parseOneLine, pickArchive, sourcesLine,
} from '../../../cli/vm/apt-config.js';

const DEBIAN_SOURCES = `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;

describe('private apt configuration', () => {
  it('takes the archive URI and key from the machine\'s deb822 sources, skipping the security archive', () => {
    expect(parseDeb822(DEBIAN_SOURCES)).toEqual([{ uri: 'http://deb.debian.org/debian', signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg' }]);
  });

  it('ignores disabled stanzas, deb-src and inline keys; reads one-line sources too', () => {
    expect(parseDeb822('Types: deb\nURIs: http://a/debian\nSuites: sid\nEnabled: no\n')).toEqual([]);
    expect(parseDeb822('Types: deb-src\nURIs: http://a/debian\nSuites: sid\n')).toEqual([]);
    expect(parseDeb822('Types: deb\nURIs: http://a/debian/\nSuites: sid\nSigned-By: -----BEGIN PGP\n .\n')).toEqual([{ uri: 'http://a/debian' }]);
    expect(parseOneLine('# c\ndeb [arch=amd64 signed-by=/k.gpg] http://m.example/debian bookworm main\ndeb http://s/debian-security bookworm-security main\n'))
      .toEqual([{ uri: 'http://m.example/debian', signedBy: '/k.gpg' }]);
  });

  it('names no host of its own: without a Debian source it says where it looked', () => {
    expect(() => pickArchive([{ name: '/etc/apt/sources.list.d/x.sources', text: 'Types: deb\nURIs: http://s/debian-security\nSuites: trixie-security\n' }]))
      .toThrow(NoArchiveError);
    expect(() => pickArchive([])).toThrow(/no Debian archive found/);
    expect(sourcesLine({ uri: 'http://m/debian', signedBy: '/k' })).toBe('deb [signed-by=/k] http://m/debian unstable main\n');
  });

  it('points every apt directory into the private root and reads no dpkg status', () => {
    const o = aptOptions('/c/apt');
    const values = o.filter((_, i) => i % 2 === 1);
    expect(o.filter((_, i) => i % 2 === 0).every((x) => x === '-o')).toBe(true);
    expect(values).toContain('Dir::Etc::SourceList=/c/apt/sources.list');
    expect(values).toContain('Dir::Etc::SourceParts=/dev/null');
    expect(values).toContain('Dir::State::Lists=/c/apt/lists');
    expect(values).toContain('Dir::Cache=/c/apt/cache');
    expect(values).toContain('Dir::State::status=/dev/null');
  });

  it('picks the newest kernel ABI of the flavour, not metapackages, cloud/rt flavours or debug packages', () => {
    const search = [
      'linux-image-7.2.13+deb14-amd64 - Linux 7.2.13 for 64-bit PCs',
      'linux-image-7.2.13+deb14-amd64-dbg - Linux 7.2.13 for 64-bit PCs (debug symbols)',
      'linux-image-7.2.13+deb14-cloud-amd64 - Linux 7.2.13 for x86-64 cloud',
      'linux-image-7.10.1+deb14-rt-amd64 - Linux 7.10.1 rt',
      'linux-image-7.2.9+deb14-amd64 - Linux 7.2.9',
      'linux-image-6.1.0-28-amd64 - Linux 6.1',
      'linux-image-amd64 - Linux for 64-bit PCs (meta-package)',
    ].join('\n');
    expect(newestKernel(`${search}\n`)).toBe('7.2.13+deb14');
    expect(newestKernel('linux-image-6.1.0-28-amd64 - x\nlinux-image-6.1.0-9-amd64 - y\n')).toBe('6.1.0-28');
    expect(newestKernel('nothing here\n')).toBeUndefined();
    expect(compareKernelVersions('7.10.1+deb14', '7.9.20+deb14')).toBeGreaterThan(0);
  });

  it('finds the packages with the files in the image metapackage\'s Depends', () => {
    const show = 'Package: linux-image-7.2.13+deb14-amd64\nDepends: dracut | initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool, linux-base-7.2.13+deb14-amd64 (= 7.2.13-1), linux-binary-7.2.13+deb14-amd64 (= 7.2.13-1), linux-modules-7.2.13+deb14-amd64 (= 7.2.13-1)\n';
    expect(kernelDepends(show, '7.2.13+deb14')).toEqual(['linux-base-7.2.13+deb14-amd64', 'linux-binary-7.2.13+deb14-amd64', 'linux-modules-7.2.13+deb14-amd64']);
  });
});
