/**
 * read/write/pread/pwrite/lseek/fsync on the memfd control backing (GEN-SHMEM-RW): the file
 * position is shared by dup()ed fds (one open file here), holes read as zeroes, writes extend.
 */
import { ok, err, type Outcome } from '../vocab/index.js';
import { only, rule, andThen } from '../rule.js';
import { LLONG_MAX, negative, pagesUp, type FileCtx } from '../ctx.js';
import { byteOf, writeSpan } from '../state/bytes.js';
import { imUpdate } from '../state/imap.js';
import { folio } from '../state/folio.js';
import { withInode } from '../state/update.js';
import { appendCount } from '../fdcalls/file-state.js';
import type { Inode, SpecState } from '../state/types.js';

type F = FileCtx<'fileIo'>;
const O_APPEND = 0o2000;

const readCount = (ino: Inode, pos: bigint, len: number): number => {
  const avail = ino.sizeBytes > pos ? ino.sizeBytes - pos : 0n;
  return Number(avail < BigInt(len) ? avail : BigInt(len));
};
const readAt = (ino: Inode, pos: bigint, len: number): Outcome => {
  const count = readCount(ino, pos, len);
  return ok({ count });
};

export const writeAt = (s: SpecState, ino: Inode, pos: bigint, len: number, value: number, movePos: boolean): SpecState => {
  // A zero-length write copies nothing and never reaches write_end, so i_size stays
  // (mm/filemap.c generic_perform_write; observed on the native target).
  if (len === 0) return s;
  const end = pos + BigInt(len);
  const a = Number(pos >> 12n);
  const b = pagesUp(end);
  const sizeBytes = end > ino.sizeBytes ? end : ino.sizeBytes;
  return withInode(s, {
    ...ino,
    sizeBytes,
    sizePages: pagesUp(sizeBytes),
    folios: len === 0 ? ino.folios : imUpdate(ino.folios, a, b, () => folio(true, false)),
    data: writeSpan(ino.data, a, Number(pos & 4095n), len, value),
    pos: movePos ? end : ino.pos,
  });
};

export const shmemIo = rule<F>({
  id: 'GEN-SHMEM-RW',
  cite: 'mm/shmem.c shmem_file_read_iter; mm/filemap.c generic_perform_write, generic_write_checks; fs/read_write.c rw_verify_area (end past LLONG_MAX: EINVAL), generic_write_check_limits (O_APPEND at EOF: EFBIG at LLONG_MAX, obs:CCR-07)',
  decide: ({ s, op, ino }) => {
    // rw_verify_area: a transfer whose end lies past LLONG_MAX is EINVAL before anything is read
    // or written (measured on 6.18: no EFBIG, since tmpfs allows files up to LLONG_MAX).
    const at = op.call === 'read' || op.call === 'write' ? ino.pos : op.offset;
    if (op.call !== 'lseek' && op.call !== 'fsync' && at + BigInt(op.len) > LLONG_MAX) return only(s, err('EINVAL'));
    switch (op.call) {
      case 'read': {
        const count = readCount(ino, ino.pos, op.len);
        return andThen(readAt(ino, ino.pos, op.len), () => withInode(s, { ...ino, pos: ino.pos + BigInt(count) }));
      }
      case 'pread':
        return only(s, readAt(ino, op.offset, op.len));
      case 'write':
      case 'pwrite': {
        // O_APPEND (F_SETFL, LIFE-11) writes at EOF, pwrite included (generic_write_checks).
        const append = ((ino.fl ?? 0) & O_APPEND) !== 0;
        const pos = append ? ino.sizeBytes : op.call === 'write' ? ino.pos : op.offset;
        // At EOF generic_write_check_limits applies: EFBIG at LLONG_MAX, else the count cut to end there.
        const n = append ? appendCount(ino.sizeBytes, op.len) : op.len;
        if (n === 'EFBIG') return only(s, err('EFBIG'));
        return andThen(ok({ count: n }), () => writeAt(s, ino, pos, n, op.value, op.call === 'write'));
      }
      case 'lseek':
        return negative(op.offset) ? only(s, err('EINVAL')) : andThen(ok({ offset: op.offset }), () => withInode(s, { ...ino, pos: op.offset }));
      case 'fsync':
        return only(s, ok());
    }
  },
});
