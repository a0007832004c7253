import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { indexModules, modinfoDepends, moduleName, ModuleError, resolveModules } from '../../../cli/vm/modules.js';

/** A stand-in .ko: some bytes and a .modinfo-like run of NUL-separated key=value strings. */
const ko = (name: string, depends: string): Buffer => Buffer.from(`\x7fELF....\0license=GPL\0depends=${depends}\0name=${name}\0vermagic=7.2\0`, 'latin1');

describe('module resolution for the initramfs', () => {
  it('names modules as the kernel does (- and _ alike) and reads depends from .modinfo', () => {
    expect(moduleName('/x/kvm-amd.ko.xz')).toBe('kvm_amd');
    expect(moduleName('9pnet_virtio.ko')).toBe('9pnet_virtio');
    expect(modinfoDepends(ko('kvm_amd', 'kvm,ccp'))).toEqual(['kvm', 'ccp']);
    expect(modinfoDepends(ko('netfs', ''))).toEqual([]);
  });

  it('loads dependencies first, once each; a dependency not in the tree is taken as built in', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'gmc-mod-'));
    const put = (rel: string, data: Buffer) => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), data);
    };
    put('kernel/arch/x86/kvm/kvm.ko', ko('kvm', ''));
    put('kernel/arch/x86/kvm/kvm-amd.ko.gz', gzipSync(ko('kvm_amd', 'kvm,ccp')));
    put('kernel/net/9p/9pnet.ko', ko('9pnet', 'netfs'));
    put('kernel/fs/netfs/netfs.ko', ko('netfs', ''));
    put('kernel/fs/9p/9p.ko', ko('9p', '9pnet,netfs'));
    const index = indexModules(root);
    expect([...index.keys()].sort()).toEqual(['9p', '9pnet', 'kvm', 'kvm_amd', 'netfs']);
    const r = await resolveModules(index, ['9p', 'kvm_amd', 'kvm_intel']);
    expect(r.map((m) => m.name)).toEqual(['netfs', '9pnet', '9p', 'kvm', 'kvm_amd']);
    // The gzip module is decompressed: busybox insmod gets the plain ELF.
    expect(r.find((m) => m.name === 'kvm_amd')!.data.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
  });

  it('a dependency cycle is an error, not a hang', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'gmc-mod-'));
    writeFileSync(path.join(root, 'a.ko'), ko('a', 'b'));
    writeFileSync(path.join(root, 'b.ko'), ko('b', 'a'));
    await expect(resolveModules(indexModules(root), ['a'])).rejects.toBeInstanceOf(ModuleError);
  });
});
