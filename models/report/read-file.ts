/**
 * Reading a small file given on the command line (a trace, a baseline), which is untrusted input:
 * a regular file of at most `max` bytes, checked on the open descriptor (no race with a rename).
 * O_NONBLOCK so that opening a FIFO cannot hang; the size is enforced while reading too, since
 * /proc and similar files report 0. Errors never repeat the file's contents.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

const what = (st: Stats): string =>
  st.isDirectory() ? 'a directory' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device'
    : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a special file';

export const readRegularFile = (file: string, max: number, expected: string, error: (msg: string) => Error): string => {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    throw error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const tooBig = () => error(`${file} is larger than ${max >> 20} MiB; refused`);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw error(`${file} is not a regular file (${what(st)}); ${expected}`);
    if (st.size > max) throw tooBig();
    const chunks: Buffer[] = [];
    let n = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 16);
      const got = readSync(fd, chunk, 0, chunk.length, null);
      if (got === 0) break;
      chunks.push(chunk.subarray(0, got));
      n += got;
      if (n > max) throw tooBig();
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    if (e instanceof Error && !('code' in e)) throw e;
    throw error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  } finally {
    closeSync(fd);
  }
};
