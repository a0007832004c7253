import { describe, it, expect } from 'vitest';
import { driver, P, MB } from './helpers.js';
import { linux618 } from '../../../spec/profiles/linux-6.18.js';
import { upstream } from '../../../spec/profiles/upstream.js';
import { MEM, err, ok, type Op, type Profile, type SlotFd, type UserAddr } from '../../../spec/vocab/index.js';

const setup = (p: Profile = linux618) => {
  const d = driver(p);
  d.one({ kind: 'createVm', id: 0, type: 0n });
  d.one({ kind: 'createGmem', vm: 0, id: 0, size: 2n * MB, flags: 3n, reserved: [] });
  return d;
};
const region = (slot: number, gpa: bigint, size: bigint, gmemOffset = 0n, o: Partial<{ flags: number; gmem: SlotFd; uaddr: UserAddr; v1: boolean }> = {}): Op => ({
  kind: 'setMemoryRegion', vm: 0, v1: o.v1 ?? false, slot, flags: o.flags ?? MEM.GUEST_MEMFD, gpa, size,
  uaddr: o.uaddr ?? { kind: 'null' }, gmem: o.gmem ?? { kind: 'fd', fd: 0 }, gmemOffset,
});

describe('memslots (SLOT)', () => {
  it('SLOT-1..6: flags, alignment, fd checks, range', () => {
    const d = setup();
    expect(d.one(region(0, 0n, MB, 0n, { v1: true }))).toEqual(err('EINVAL'));
    expect(d.one(region(0, 0n, MB, 0n, { flags: MEM.GUEST_MEMFD | MEM.READONLY }))).toEqual(err('EINVAL'));
    expect(d.one(region(0, 0n, MB, 0n, { flags: MEM.GUEST_MEMFD | MEM.LOG_DIRTY_PAGES }))).toEqual(err('EINVAL'));
    expect(d.one(region(32764, 0n, MB))).toEqual(err('EINVAL'));
    expect(d.one(region(1 << 16, 0n, MB))).toEqual(err('EINVAL'));
    expect(d.one(region(0, 0n, MB, 0x800n))).toEqual(err('EINVAL'));
    expect(d.one(region(0, 0n, MB, 0n, { uaddr: { kind: 'unaligned' } }))).toEqual(err('EINVAL'));
    expect(d.one(region(0, 0n, MB, 0n, { gmem: { kind: 'notOpen' } }))).toEqual(err('EBADF'));
    expect(d.one(region(0, 0n, MB, 0n, { gmem: { kind: 'kvmFd' } }))).toEqual(err('EINVAL'));
    expect(d.one(region(0, 0n, MB, 0n, { gmem: { kind: 'vmFd', vm: 0 } }))).toEqual(err('EINVAL'));
    expect(d.one(region(0, 0n, MB, 2n * MB))).toEqual(err('EINVAL'));
    expect(d.one(region(0, 0n, 4n * MB))).toEqual(err('EINVAL'));
    expect(d.one(region(0, 0n, MB))).toEqual(ok());
  });

  it('SLOT-7/8/9/10: overlap errnos, immutability, delete and rebind', () => {
    const d = setup();
    expect(d.one(region(0, 0n, MB))).toEqual(ok());
    expect(d.one(region(1, 4n * MB, MB, MB / 2n))).toEqual(err('EINVAL')); // SLOT-7 on 6.18
    expect(d.one(region(1, MB / 2n, MB, MB))).toEqual(err('EEXIST')); // SLOT-8 GPA overlap
    expect(d.one(region(1, 4n * MB, MB, MB))).toEqual(ok());
    expect(d.one(region(0, 0n, MB))).toEqual(err('EINVAL')); // SLOT-9 identical re-issue
    expect(d.one(region(0, 0n, MB, 0n, { flags: 0 }))).toEqual(err('EINVAL'));
    expect(d.one(region(5, 0n, 0n))).toEqual(err('EINVAL'));
    expect(d.one(region(0, 0n, 0n, 0n, { flags: 0, gmem: { kind: 'notOpen' } }))).toEqual(ok());
    expect(d.one(region(2, 8n * MB, MB))).toEqual(ok());
    const u = setup(upstream);
    u.one(region(0, 0n, MB));
    expect(u.one(region(1, 4n * MB, MB, MB / 2n))).toEqual(err('EEXIST'));
  });

  it('SLOT-11/12: close while bound keeps the slot; VM fd close keeps the VM', () => {
    const d = setup();
    d.one(region(0, 0n, MB));
    expect(d.one({ kind: 'close', fd: 0 })).toEqual(ok());
    expect(d.one(region(1, 0n, MB, 0n, { flags: 0 }))).toEqual(err('EEXIST'));
    expect(d.one(region(0, 0n, MB))).toEqual(err('EINVAL'));
    expect(d.one(region(0, 0n, 0n))).toEqual(ok());
    d.one({ kind: 'createGmem', vm: 0, id: 1, size: P, flags: 3n, reserved: [] });
    expect(d.one({ kind: 'closeVm', vm: 0 })).toEqual(ok());
    expect(d.one({ kind: 'fallocate', fd: 1, mode: 1, offset: 0n, len: P })).toEqual(ok());
    expect(d.one({ kind: 'createGmem', vm: 0, id: 2, size: P, flags: 3n, reserved: [] })).toEqual(err('EBADF'));
    expect(d.state.vms.size).toBe(1);
    d.one({ kind: 'close', fd: 1 });
    expect(d.state.vms.size).toBe(0);
  });

  it('SLOT-6: the signed-offset wrap is accepted on 6.18, rejected with UNSIGNED', () => {
    const off = (1n << 63n) - P;
    const d = setup();
    expect(d.one(region(0, 0n, 2n * P, off))).toEqual(ok());
    const u = setup(upstream);
    expect(u.one(region(0, 0n, 2n * P, off))).toEqual(err('EINVAL'));
  });

  it('GEN-SLOT-PLAIN: userspace_addr is an address: a handle mapped only later names another one; after munmap the same one', () => {
    const d = setup();
    const plain = (slot: number, gpa: bigint) => region(slot, gpa, P, 0n, { flags: 0, uaddr: { kind: 'map', map: 0, offset: 0n } });
    const mmap0: Op = { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3n, shared: true };
    expect(d.one(plain(0, 0n))).toEqual(ok()); // map #0 does not exist yet: the harness passes the bare offset (NULL)
    d.one(mmap0);
    expect(d.one(plain(0, 0n))).toEqual(err('EINVAL')); // now a real address: changing it is refused
    expect(d.one(plain(1, MB))).toEqual(ok());
    d.one({ kind: 'munmap', map: 0 });
    expect(d.one(plain(1, MB))).toEqual(ok()); // the dead handle keeps its address: an unchanged re-issue
  });
});
