/**
 * Round 4's fd and memslot calls on guest_memfd, where the host kernel cannot run them (no
 * guest_memfd): the emulator's answers, stated here as worked out from the kernel source, each
 * judged by the spec under 6.18 — inotify around fallocate (FIO-26), the exec check (LIFE-15), the
 * dirty-log ioctls on a gmem slot (SLOT-26), and a gmem fd received over SCM_RIGHTS bound as a
 * memslot (LIFE-10, row A14: the received fd is the same open file, with the same binding list).
 */
import { describe, expect, it } from 'vitest';
import { linux618 } from '../../../spec/profiles/index.js';
import { MEM, err, ok, type Op } from '../../../spec/vocab/index.js';
import { gmem, judged, P, slot, vm } from './_fixtures.js';

const watch = (mode: number, offset: bigint, len: bigint): Op => ({ kind: 'fdWatch', fd: 0, mode, offset, len });
const dl = (call: 'get' | 'clear', s: number, firstPage = 0n, numPages = 0): Op => ({ kind: 'dirtyLog', vm: 0, call, slot: s, firstPage, numPages });

describe('round 4 fd and memslot calls on guest_memfd (emulator, judged by the spec)', () => {
  it('FIO-26: no inotify event for an allocation, a punch or a failed fallocate through the gmem fd', async () => {
    const got = await judged(linux618, [vm(), gmem(), watch(1, 0n, P), watch(3, 0n, P), watch(0, 0n, P), watch(1, -1n, P), watch(0x100, 0n, P)]);
    expect(got.slice(2)).toEqual([ok({ events: 0 }), ok({ events: 0 }), err('EOPNOTSUPP'), err('EINVAL'), err('EOPNOTSUPP')]);
  });

  it('LIFE-15: the exec check of a gmem file is EACCES (noexec mount), of a closed fd EBADF', async () => {
    const got = await judged(linux618, [vm(), gmem(), { kind: 'fdExecCheck', fd: 0 }, { kind: 'close', fd: 0 }, { kind: 'fdExecCheck', fd: 0 }]);
    expect(got.slice(2)).toEqual([err('EACCES'), ok(), err('EBADF')]);
  });

  it('SLOT-26: a gmem slot has no dirty bitmap (ENOENT) and cannot ask for one (SLOT-2); a plain logging slot answers', async () => {
    const logging = (s: number, flags: number): Op => ({ kind: 'setMemoryRegion', vm: 0, v1: false, slot: s, flags, gpa: BigInt(s) << 30n, size: 128n * P, uaddr: { kind: 'null' }, gmem: { kind: 'fd', fd: 0 }, gmemOffset: 0n });
    const got = await judged(linux618, [vm(), gmem(0, 128n * P), slot(0, 0, 0n, 128n * P, 0), dl('get', 0), dl('clear', 0, 0n, 64), dl('clear', 0, 1n, 64),
      logging(1, MEM.GUEST_MEMFD | MEM.LOG_DIRTY_PAGES), logging(2, MEM.LOG_DIRTY_PAGES), dl('get', 2), dl('clear', 2, 64n, 64), dl('clear', 2, 0n, 65), dl('get', 1 << 16)]);
    expect(got.slice(2)).toEqual([ok(), err('ENOENT'), err('ENOENT'), err('EINVAL'), err('EINVAL'), ok(), ok(), ok(), err('EINVAL'), err('EINVAL')]);
  });

  it('LIFE-10 (A14): a gmem fd received over SCM_RIGHTS binds as the original does and shares its binding list', async () => {
    const got = await judged(linux618, [vm(), gmem(), { kind: 'passFd', fd: 0, id: 1, cloexec: false }, slot(0, 0, 0n, P, 1),
      slot(0, 1, 1n << 30n, P, 0), slot(0, 2, 2n << 30n, P, 1, P), { kind: 'sameInode', fd: 0, other: 1 }]);
    // The received fd binds; the original cannot bind the same file range again (one binding list); another range binds through either.
    expect(got.slice(2)).toEqual([ok(), ok(), err('EINVAL'), ok(), ok(true)]);
  });
});
