/**
 * The emulator's rest of the fd-level calls (adapters/emulator/ops/fdcalls2.ts), each against the
 * outcome worked out by hand from the kernel source (not from the spec): gmem is an anonymous
 * regular inode without read/write methods or ->poll, memfd a shmem file.
 */
import { describe, expect, it } from 'vitest';
import { err, ok, type Op, type OpOf } from '../../../spec/vocab/index.js';
import { gmem, LINUX_618, P, run, vm } from './_fixtures.js';

const io = (req: OpOf<'fdIoctl'>['req'], arg = 0): Op => ({ kind: 'fdIoctl', fd: 0, req, arg });
const ur = (call: OpOf<'fdUring'>['call'], offset: bigint, len: number, rwf = 0): Op => ({ kind: 'fdUring', fd: 0, call, offset, len, rwf, value: 9 });
const memfd: Op = { kind: 'createMemfd', id: 0, size: 2n * P };

describe('emulator: the rest of the fd-level calls', () => {
  it('gmem: ioctls, hints, io_uring, readiness, the path', async () => {
    const ops: Op[] = [vm(), gmem(), io('FIGETBSZ'), io('FIONREAD'), io('FS_IOC_FIEMAP'), io('FIOASYNC', 1), io('rawAllOnes'),
      { kind: 'fdAdvise', fd: 0, call: 'readahead', offset: 0n, len: P, word: 0 }, { kind: 'fdAdvise', fd: 0, call: 'fadvise', offset: 0n, len: P, word: 5 },
      ur('read', 0n, 1, 0x200), ur('read', 0n, 1, 1), ur('write', 0n, 1), { kind: 'fdPoll', fd: 0, how: 'epollAdd' },
      { kind: 'pathCall', fd: 0, call: 'chown', arg: 0n }, { kind: 'pathCall', fd: 0, call: 'opathIoctl', arg: 0n }];
    expect((await run(LINUX_618, ops)).slice(2)).toEqual([ok({ value: 4096 }), err('ENOTTY'), err('EOPNOTSUPP'), err('ENOTTY'), err('ENOTTY'),
      err('EINVAL'), ok(), err('EOPNOTSUPP'), err('EINVAL'), err('EINVAL'), err('EPERM'), err('EINVAL'), err('EBADF')]);
  });

  it('memfd: FIOQSIZE follows allocation, FIONREAD the position, io_uring reads and writes, the path truncates', async () => {
    const ops: Op[] = [memfd, io('FIOQSIZE'), { kind: 'fallocate', fd: 0, mode: 0, offset: 0n, len: P }, io('FIOQSIZE'), ur('write', -1n, 100), io('FIONREAD'),
      ur('read', 0n, 10_000), { kind: 'pathCall', fd: 0, call: 'truncate', arg: 3n * P }, { kind: 'fstat', fd: 0 }, io('FS_IOC_GETFSUUID')];
    const out = await run(LINUX_618, ops);
    expect(out.slice(1, 7)).toEqual([ok({ value: 0 }), ok(), ok({ value: 4096 }), ok({ count: 100 }), ok({ value: 2 * 4096 - 100 }), ok({ count: 8192 })]);
    expect(out[7]).toEqual(ok());
    expect(out[8]).toMatchObject({ kind: 'ok', value: { size: 3n * P } });
    expect(out[9]).toEqual(ok({ value: 16 }));
  });
});
