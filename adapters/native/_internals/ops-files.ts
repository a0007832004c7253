/** guest_memfd / memfd creation and plain file-descriptor ops. */
import { CONVERT_API, FILE_IO_CALL, err, errnoName, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Ctx } from './context.js';
import { create } from './context.js';
import { fromRc } from './outcomes.js';

export const createGmem = (c: Ctx, op: OpOf<'createGmem'>): Outcome => {
  const rc = create(c.t.fds, op.id, 'fd', () => c.b.createGmem(c.t.vmFd(op.vm), op.size, op.flags, op.reserved));
  if (rc >= 0) c.t.slots.fileCreated(op.id, op.flags);
  return fromRc(rc);
};

export const createMemfd = (c: Ctx, op: OpOf<'createMemfd'>): Outcome =>
  fromRc(create(c.t.fds, op.id, 'fd', () => c.b.memfdCreate(op.size)));

export const close = (c: Ctx, op: OpOf<'close'>): Outcome => {
  const rc = c.b.close(c.t.fd(op.fd));
  if (rc === 0) c.t.fds.delete(op.fd);
  return fromRc(rc);
};

export const dup = (c: Ctx, op: OpOf<'dup'>): Outcome => {
  const rc = create(c.t.fds, op.id, 'fd', () => c.b.dup(c.t.fd(op.fd)));
  if (rc >= 0) c.t.slots.fileDuplicated(op.fd, op.id);
  return fromRc(rc);
};

export const fstat = (c: Ctx, op: OpOf<'fstat'>): Outcome => {
  const [rc, size, blksize, mode] = c.b.fstat(c.t.fd(op.fd));
  return fromRc(rc, () => ({ size, blksize, mode }));
};

const ACCMODE = ['O_RDONLY', 'O_WRONLY', 'O_RDWR'] as const;

/** ok { accmode: 'O_RDWR' | …, cloexec } (spec/vocab/CONVENTIONS.md). */
export const fdFlags = (c: Ctx, op: OpOf<'fdFlags'>): Outcome => {
  const [rc, acc, cloexec] = c.b.fdFlags(c.t.fd(op.fd));
  return fromRc(rc, () => ({ accmode: ACCMODE[acc] ?? `O_ACCMODE_${acc}`, cloexec: cloexec === 1 }));
};

export const sameInode = (c: Ctx, op: OpOf<'sameInode'>): Outcome => {
  const a = c.b.fstat(c.t.fd(op.fd));
  if (a[0] < 0) return err(errnoName(-a[0]));
  const b = c.b.fstat(c.t.fd(op.other));
  if (b[0] < 0) return err(errnoName(-b[0]));
  return ok(a[4] === b[4] && a[5] === b[5]);
};

/** spec/vocab/CONVENTIONS.md: read/write { count }, lseek { offset }, fsync none. */
export const fileIo = (c: Ctx, op: OpOf<'fileIo'>): Outcome => {
  const r = c.b.fileIo(c.t.fd(op.fd), FILE_IO_CALL[op.call], op.offset, op.len, op.value);
  if (typeof r === 'bigint') return ok({ offset: r });
  if (typeof r === 'number') return fromRc(r);
  return fromRc(r[0], (count) => ({ count }));
};

export const ftruncate = (c: Ctx, op: OpOf<'ftruncate'>): Outcome => fromRc(c.b.ftruncate(c.t.fd(op.fd), op.size));

export const fallocate = (c: Ctx, op: OpOf<'fallocate'>): Outcome =>
  fromRc(c.b.fallocate(c.t.fd(op.fd), op.mode, op.offset, op.len));

/** The proposed conversion ioctls on the gmem fd; this kernel's answer (e.g. ENOTTY) is the outcome. */
export const convert = (c: Ctx, op: OpOf<'convert'>): Outcome => {
  const [rc, errorOffset] = c.b.convert(c.t.fd(op.fd), CONVERT_API[op.api], op.offset, op.len, op.toPrivate, op.errorOffsetIn);
  if (rc >= 0) return ok();
  return errorOffset === null ? err(errnoName(-rc)) : { kind: 'errno', errno: errnoName(-rc), errorOffset };
};
