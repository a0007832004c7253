/**
 * A minimal writer for the "newc" cpio format the kernel unpacks as an initramfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst): a 110-byte ASCII header per
 * entry, the name, the data, each padded to 4 bytes, closed by the TRAILER!!! entry. Archives can
 * be concatenated; the kernel unpacks them in order. Written here because the machines have no
 * cpio(1) and the format is a page of code.
 */

export type CpioEntry =
  | { readonly kind: 'dir'; readonly path: string; readonly mode?: number }
  | { readonly kind: 'file'; readonly path: string; readonly data: Uint8Array; readonly mode?: number }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');
const pad4 = (n: number): number => (4 - (n % 4)) % 4;

/** One header + name + data, padded. `ino` must be unique within the archive. */
const record = (name: string, mode: number, data: Uint8Array, ino: number): Buffer[] => {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  const header = [
    '070701', hex8(ino), hex8(mode), hex8(0), hex8(0), hex8(1), hex8(0), hex8(data.length),
    hex8(0), hex8(0), hex8(0), hex8(0), hex8(nameBytes.length), hex8(0),
  ].join('');
  const head = Buffer.from(header, 'ascii');
  return [
    head, nameBytes, Buffer.alloc(pad4(head.length + nameBytes.length)),
    Buffer.from(data.buffer, data.byteOffset, data.length), Buffer.alloc(pad4(data.length)),
  ];
};

/** Paths are archive-relative ("bin/busybox"); a leading slash is dropped, ".." is refused. */
const clean = (p: string): string => {
  const q = p.replace(/^\/+/, '');
  if (q === '' || q.split('/').some((part) => part === '..' || part === '')) throw new Error(`cpio: bad path '${p}'`);
  return q;
};

export const cpioArchive = (entries: readonly CpioEntry[]): Buffer => {
  const parts: Buffer[] = [];
  entries.forEach((e, i) => {
    const path = clean(e.path);
    const ino = i + 1;
    if (e.kind === 'dir') parts.push(...record(path, S_IFDIR | (e.mode ?? 0o755), new Uint8Array(0), ino));
    else if (e.kind === 'file') parts.push(...record(path, S_IFREG | (e.mode ?? 0o644), e.data, ino));
    else parts.push(...record(path, S_IFLNK | 0o777, Buffer.from(e.target, 'utf8'), ino));
  });
  parts.push(...record('TRAILER!!!', 0, new Uint8Array(0), 0));
  return Buffer.concat(parts);
};

/** Every parent directory of the given paths, parents first (cpio needs them before their entries). */
export const parentDirs = (paths: readonly string[]): CpioEntry[] => {
  const dirs = new Set<string>();
  for (const p of paths) {
    const parts = clean(p).split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b)).map((path) => ({ kind: 'dir', path }));
};
