import { describe, expect, it } from 'vitest';
import { cpioArchive, parentDirs } from '../../../cli/vm/cpio.js';

/** A newc reader for the test: entries as the kernel's unpacker sees them. */
const read = (buf: Buffer) => {
  const out: { name: string; mode: number; data: Buffer }[] = [];
  let off = 0;
  for (;;) {
    expect(buf.toString('ascii', off, off + 6)).toBe('070701');
    const field = (i: number) => parseInt(buf.toString('ascii', off + 6 + i * 8, off + 14 + i * 8), 16);
    const mode = field(1);
    const size = field(6);
    const nameSize = field(11);
    const name = buf.toString('utf8', off + 110, off + 110 + nameSize - 1);
    let p = off + 110 + nameSize;
    p += (4 - (p % 4)) % 4;
    const data = buf.subarray(p, p + size);
    p += size;
    p += (4 - (p % 4)) % 4;
    off = p;
    if (name === 'TRAILER!!!') return { entries: out, end: off };
    out.push({ name, mode, data });
  }
};

describe('newc cpio writer', () => {
  it('writes dirs, files and symlinks with their modes and data, 4-byte aligned, closed by the trailer', () => {
    const a = cpioArchive([
      { kind: 'dir', path: 'bin' },
      { kind: 'file', path: '/bin/busybox', data: Buffer.from('elf!!'), mode: 0o755 },
      { kind: 'symlink', path: 'bin/sh', target: 'busybox' },
      { kind: 'file', path: 'init', data: Buffer.alloc(0) },
    ]);
    const { entries, end } = read(a);
    expect(end).toBe(a.length);
    expect(a.length % 4).toBe(0);
    expect(entries.map((e) => [e.name, e.mode.toString(8), e.data.toString()])).toEqual([
      ['bin', '40755', ''], ['bin/busybox', '100755', 'elf!!'], ['bin/sh', '120777', 'busybox'], ['init', '100644', ''],
    ]);
  });

  it('archives concatenate (the kernel unpacks them in order)', () => {
    const one = cpioArchive([{ kind: 'file', path: 'a', data: Buffer.from('1') }]);
    const two = cpioArchive([{ kind: 'file', path: 'b', data: Buffer.from('22') }]);
    const both = Buffer.concat([one, two]);
    expect(read(both).end).toBe(one.length);
    expect(read(both.subarray(one.length)).entries[0]!.name).toBe('b');
  });

  it('refuses paths that could leave the archive root, and lists parents first', () => {
    expect(() => cpioArchive([{ kind: 'file', path: '../etc/x', data: Buffer.alloc(1) }])).toThrow(/bad path/);
    expect(() => cpioArchive([{ kind: 'dir', path: 'a//b' }])).toThrow(/bad path/);
    expect(parentDirs(['a/b/c.ko', 'a/d', 'e']).map((d) => d.path)).toEqual(['a', 'a/b']);
  });
});
