/**
 * The rest of the fd-level calls on this machine's kernel, through the native target on memfd
 * (the gmem answers rest on kernel source and the 6.18.44 gmem records): new descriptors by dup3,
 * F_DUPFD(_CLOEXEC) and pidfd_getfd, every generic ioctl of the vocabulary and close_range's
 * CLOEXEC, fadvise/readahead/sync_file_range with their edge arguments, poll/select/epoll — each
 * step judged by the spec (linux-6.18-nogmem). docs/probe-records/linux-6.18.44-nogmem-fd.md
 * (FDC-09..11) restates what this measures.
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { FD_IOCTL, formatOutcome, type Op, type OpOf } from '../../../spec/vocab/index.js';
import { describeNative, runOps, specMismatches } from './_support.js';

const P = 4096n;
const LLONG_MAX = (1n << 63n) - 1n;
type Req = OpOf<'fdIoctl'>['req'];
const io = (req: Req, arg = 0, fd = 0): Op => ({ kind: 'fdIoctl', fd, req, arg });
const adv = (call: OpOf<'fdAdvise'>['call'], offset: bigint, len: bigint, word = 0, fd = 0): Op => ({ kind: 'fdAdvise', fd, call, offset, len, word });
const poll = (how: OpOf<'fdPoll'>['how'], fd = 0): Op => ({ kind: 'fdPoll', fd, how });
const flags = (fd: number): Op => ({ kind: 'fdFlags', fd });
const ur = (call: OpOf<'fdUring'>['call'], offset: bigint, len: number, rwf = 0, fd = 0): Op => ({ kind: 'fdUring', fd, call, offset, len, rwf, value: 0x42 });

const scenario = (): Op[] => [
  { kind: 'createMemfd', id: 0, size: 3n * P },
  // New descriptors: close-on-exec as asked, the same inode, the shared status flags.
  ...(['dup3', 'dup3Cloexec', 'dupfd', 'dupfdCloexec', 'pidfdGetfd'] as const).flatMap((how, i): Op[] => [
    { kind: 'fdDup', fd: 0, id: i + 1, how }, flags(i + 1), { kind: 'sameInode', fd: 0, other: i + 1 }, { kind: 'fdReach', fd: i + 1, how: 'execKeeps' },
  ]),
  io('FIONBIO', 1, 3), { kind: 'fcntl', fd: 0, cmd: 'F_GETFL', arg: 0n }, io('FIONBIO', 0, 5), { kind: 'fcntl', fd: 2, cmd: 'F_GETFL', arg: 0n },
  // Every ioctl with the edge arguments; FIOQSIZE and FIONREAD follow allocation and the position.
  ...(Object.keys(FD_IOCTL) as Req[]).flatMap((req) => [io(req, 0), io(req, 1), io(req, 0x80000000), io(req, 0xffffffff)]),
  flags(0), io('FIONCLEX'), flags(0), io('closeRangeCloexec'), flags(0), { kind: 'fdReach', fd: 0, how: 'execKeeps' }, io('FIONCLEX'),
  io('FIOQSIZE'), { kind: 'fallocate', fd: 0, mode: 0, offset: P, len: P }, io('FIOQSIZE'),
  { kind: 'fileIo', fd: 0, call: 'write', offset: 0n, len: 100, value: 7 }, io('FIOQSIZE'), io('FIONREAD'),
  { kind: 'lseek', fd: 0, offset: 5n * P, whence: 0 }, io('FIONREAD'), { kind: 'lseek', fd: 0, offset: 0n, whence: 0 },
  // Hints: every advice and the unknown ones, negative and wrapping arguments.
  ...[0, 1, 2, 3, 4, 5, 6, 7, 0x80000000, 0xffffffff].map((a) => adv('fadvise', 0n, P, a)),
  adv('fadvise', -1n, P, 4), adv('fadvise', 0n, -1n, 0), adv('fadvise', -1n, P, 6), adv('fadvise', LLONG_MAX, 10n, 4), adv('fadvise', 0n, 0n, 3),
  adv('readahead', 0n, P), adv('readahead', -1n, P), adv('readahead', 0n, -1n), adv('readahead', LLONG_MAX, LLONG_MAX),
  ...[0, 1, 2, 4, 7, 8, 0x80000000].map((f) => adv('syncFileRange', 0n, 0n, f)),
  adv('syncFileRange', -1n, 0n), adv('syncFileRange', LLONG_MAX, 10n), adv('syncFileRange', 0n, -1n), adv('syncFileRange', P, LLONG_MAX - P), adv('syncFileRange', P, LLONG_MAX),
  // dnotify and the pipe-size commands on a regular file.
  ...[0n, 1n, 0x80000000n, 0x80000001n, 1n << 32n].map((arg): Op => ({ kind: 'fcntl', fd: 0, cmd: 'F_NOTIFY', arg })),
  { kind: 'fcntl', fd: 0, cmd: 'F_GETPIPE_SZ', arg: 0n }, { kind: 'fcntl', fd: 0, cmd: 'F_SETPIPE_SZ', arg: 4096n },
  // io_uring reads and writes: every opcode, the file position, EOF, the rw_flags word with each bit and the edges, O_NONBLOCK.
  ...(['read', 'write', 'readv', 'writev', 'readFixed', 'writeFixed'] as const).flatMap((call) => [ur(call, 0n, 100), ur(call, -1n, 10), ur(call, 5n * P, 10), ur(call, -2n, 1), ur(call, 0n, 0)]),
  { kind: 'fileIo', fd: 0, call: 'read', offset: 0n, len: 0, value: 0 }, { kind: 'lseek', fd: 0, offset: 0n, whence: 1 },
  ...[1, 2, 4, 8, 0x10, 0x20, 0x30, 0x40, 0x80, 0x100, 0x200, -(2 ** 31), -1].flatMap((rwf) => [ur('write', 0n, 16, rwf), ur('read', 0n, 16, rwf), ur('readv', 0n, 0, rwf)]),
  { kind: 'fstat', fd: 0 }, io('FIONBIO', 1), ur('read', 0n, 8), ur('write', 0n, 8), io('FIONBIO', 0),
  { kind: 'fcntl', fd: 0, cmd: 'F_SETFL', arg: 0o2000n }, ur('write', 0n, 8), ur('write', 0n, 8, 0x20), { kind: 'fstat', fd: 0 }, { kind: 'fcntl', fd: 0, cmd: 'F_SETFL', arg: 0n },
  ur('read', LLONG_MAX, 1), ur('write', LLONG_MAX - 10n, 100), ur('read', 4n, 4, 0, 4),
  // tee and vmsplice with the fd where a pipe should be.
  ...(['teeOut', 'teeIn', 'vmsplice'] as const).flatMap((call) => [0, 1, 4096].flatMap((len) => [0, 1, 0x10, 0x80000000].map((flags): Op => ({ kind: 'spliceLike', fd: 0, call, offset: -1n, len, flags, value: 1 })))),
  // The path /proc/self/fd/N and an O_PATH fd of it.
  ...(['truncate', 'chmod', 'chown', 'utimensat', 'linkat', 'opathFstat', 'opathFstatfs', 'opathFtruncate', 'opathFallocate', 'opathMmap', 'opathIoctl', 'opathFchmod'] as const).flatMap((call) =>
    [call === 'chmod' || call === 'opathFchmod' ? 0o4777n : 5n * P, -1n].map((arg): Op => ({ kind: 'pathCall', fd: 0, call, arg }))),
  { kind: 'fstat', fd: 0 }, { kind: 'pathCall', fd: 0, call: 'chown', arg: 0n }, { kind: 'fstat', fd: 0 }, { kind: 'pathCall', fd: 0, call: 'chmod', arg: 0o777n },
  { kind: 'pathCall', fd: 0, call: 'truncate', arg: 3n * P }, { kind: 'fstat', fd: 0 },
  // Readiness.
  poll('poll'), poll('select'), poll('epollAdd'),
  { kind: 'fileIo', fd: 0, call: 'read', offset: 0n, len: 10, value: 0 }, { kind: 'fileIo', fd: 2, call: 'read', offset: 0n, len: 10, value: 0 },
  // A dead fd everywhere.
  { kind: 'close', fd: 4 }, { kind: 'fdDup', fd: 4, id: 9, how: 'pidfdGetfd' }, { kind: 'fdDup', fd: 4, id: 9, how: 'dup3' }, io('FIGETBSZ', 0, 4), io('closeRangeCloexec', 0, 4),
  adv('fadvise', 0n, 0n, 0, 4), adv('syncFileRange', 0n, 0n, 0, 4),
  ...(['truncate', 'linkat', 'opathFstat'] as const).map((call): Op => ({ kind: 'pathCall', fd: 4, call, arg: 0n })), { kind: 'pathCall', fd: 4, call: 'truncate', arg: -1n },
  ...(['teeOut', 'teeIn', 'vmsplice'] as const).flatMap((call) => [0, 1].map((len): Op => ({ kind: 'spliceLike', fd: 4, call, offset: -1n, len, flags: 0, value: 1 }))), poll('poll', 4), poll('select', 4), poll('epollAdd', 4),
];

describeNative('the rest of the fd-level calls on this kernel (memfd, judged by the spec)', () => {
  it('every dup, ioctl, close_range, fadvise/readahead/sync_file_range and poll step answers as linux-6.18-nogmem allows', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    const bad = specMismatches(linux618NoGmem, ops, observed);
    expect(bad).toEqual([]);
    // The paths really ran: values written by the kernel, refusals of each kind.
    const text = observed.map(formatOutcome).join('\n');
    for (const want of ['value:4096', 'value:16', 'value:8192', 'value:-8192', 'mask:5', 'mask:3', 'errno EPERM', 'errno ENOTTY', 'errno ENOTDIR', 'errno EBADF', 'errno EXDEV', 'errno ENOENT', 'size:0x5000', 'errno EOPNOTSUPP', 'open:true', 'open:false', 'count:100']) {
      expect(text).toContain(want);
    }
  });
});
