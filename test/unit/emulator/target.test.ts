// probe(), capabilities, determinism given the seed, and exhaustiveness over OP_KINDS.
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../spec/vocab/index.js';
import { CAP, MPOL, OP_KINDS } from '../../../spec/vocab/index.js';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { BadOpError } from '../../../spec/vocab/errors.js';
import { falloc, gmem, KEEP, LINUX_618, mmap, okv, P, run, SERIES, store, vm, withProfile } from './_fixtures.js';
import { mf, pq, scan } from '../../support/procobs-ops.js';

describe('emulator: target contract', () => {
  it('probe reports the 6.18 capability values and behaviours, nothing unsupported', async () => {
    const r = await createEmulator({ profile: LINUX_618, seed: 0 }).probe();
    expect(r.caps.kvm[CAP.GUEST_MEMFD_FLAGS]).toBe(3);
    expect(r.caps.vm[CAP.MEMORY_ATTRIBUTES]).toBe(0);
    expect(r.caps.vm[CAP.VM_TYPES]).toBe(1);
    expect(r.caps.vm[CAP.PRE_FAULT_MEMORY]).toBe(0);
    expect(r.behaviours).toMatchObject({ bindOverlapErrno: 'EINVAL', mbindSurvivesRemap: false, fsMagic: 0x09041934, reservedIgnored: true, uffdRegisterGmem: 'EINVAL', offsetSigned: true, mmapOnlyShared: false, pwriteErrno: 'ESPIPE' });
    expect(r.unsupported).toEqual({});
  });

  it('checkExtension: cap 244 per VM type, unknown caps 0, type 1 rejected on 6.18', async () => {
    const out = await run(SERIES, [vm(0, 0), vm(1, 1), { kind: 'checkExtension', vm: 1, cap: BigInt(CAP.GUEST_MEMFD_FLAGS) },
      { kind: 'checkExtension', vm: null, cap: 9999n }, { kind: 'checkExtension', vm: 1, cap: BigInt(CAP.GUEST_MEMFD_MEMORY_ATTRIBUTES) }]);
    expect(out.slice(2)).toEqual([okv(7), okv(0), okv(8)]);
    expect((await run(LINUX_618, [vm(0, 1)]))[0]).toEqual({ kind: 'errno', errno: 'EINVAL' });
  });

  it('same seed + same ops → same outcomes, also where the RNG picks NUMA nodes', async () => {
    const p = withProfile({ numaNodes: 4, variants: { polScope: 'INODE' } });
    const ops: Op[] = [vm(), gmem(0, 64n * P), mmap(0, 0, 64n * P), { kind: 'setMempolicy', mode: MPOL.BIND, nodes: 15n }];
    for (let i = 0n; i < 64n; i += 1n) ops.push(store(0, i * P, 1), { kind: 'getMempolicy', map: 0, offset: i * P, query: 'ADDR_NODE' });
    const a = await run(p, ops, [], 42);
    expect(await run(p, ops, [], 42)).toEqual(a);
    const nodes = new Set(a.filter((o) => o.kind === 'ok' && typeof o.value === 'object' && o.value && 'node' in o.value).map((o) => JSON.stringify(o)));
    expect(nodes.size).toBeGreaterThan(1);
  });

  it('handles every op kind without throwing on never-created handles', async () => {
    const t = createEmulator({ profile: SERIES, seed: 3 });
    const samples: Record<string, Op> = {};
    for (const kind of OP_KINDS) samples[kind] = sampleOp(kind);
    for (const op of Object.values(samples)) await expect(t.apply(op)).resolves.toBeDefined();
  });

  it('a creation handle reused while live is a harness bug (BadOpError)', async () => {
    const t = createEmulator({ profile: LINUX_618, seed: 0 });
    await t.apply(vm());
    await expect(t.apply(vm())).rejects.toBeInstanceOf(BadOpError);
    expect(() => createEmulator({ profile: LINUX_618, seed: 0, bugs: ['no-such-bug'] })).toThrow(BadOpError);
  });

  it('close() resets the instance', async () => {
    const t = createEmulator({ profile: LINUX_618, seed: 0 });
    await t.apply(vm());
    await t.close();
    await expect(t.apply(vm())).resolves.toEqual(okv());
    void falloc; void KEEP;
  });
});

/** One op of each kind naming handle 7, which no test here created. */
const sampleOp = (kind: (typeof OP_KINDS)[number]): Op => {
  const h = 7;
  const u = { onUserfault: 'COPY', fill: 1 } as const;
  const all: { [K in (typeof OP_KINDS)[number]]: Extract<Op, { kind: K }> } = {
    createVm: { kind: 'createVm', id: 1, type: 0n }, closeVm: { kind: 'closeVm', vm: h }, checkExtension: { kind: 'checkExtension', vm: h, cap: 1n },
    createGmem: { kind: 'createGmem', vm: h, id: 1, size: P, flags: 0n, reserved: [] }, createMemfd: { kind: 'createMemfd', id: 2, size: P },
    close: { kind: 'close', fd: h }, dup: { kind: 'dup', fd: h, id: 3 }, fstat: { kind: 'fstat', fd: h }, fdFlags: { kind: 'fdFlags', fd: h },
    sameInode: { kind: 'sameInode', fd: h, other: h }, fileIo: { kind: 'fileIo', fd: h, call: 'read', offset: 0n, len: 1, value: 0 },
    ftruncate: { kind: 'ftruncate', fd: h, size: 0n }, fallocate: { kind: 'fallocate', fd: h, mode: 1, offset: 0n, len: P },
    mmap: { kind: 'mmap', fd: h, id: 4, offset: 0n, length: P, prot: 3n, shared: true }, munmap: { kind: 'munmap', map: h },
    mprotect: { kind: 'mprotect', map: h, prot: 1n }, load: { kind: 'load', map: h, offset: 0n, ...u },
    store: { kind: 'store', map: h, offset: 0n, value: 1, ...u }, madvise: { kind: 'madvise', map: h, offset: 0n, length: P, advice: 'DONTNEED' },
    kernelAccess: { kind: 'kernelAccess', map: h, offset: 0n, len: 1, call: 'process_vm_readv', value: 0 },
    mincore: { kind: 'mincore', map: h, offset: 0n, pages: 1 },
    setMemoryRegion: { kind: 'setMemoryRegion', vm: h, v1: false, slot: 0, flags: 4, gpa: 0n, size: P, uaddr: { kind: 'null' }, gmem: { kind: 'fd', fd: h }, gmemOffset: 0n },
    mbind: { kind: 'mbind', map: h, offset: 0n, length: P, mode: 2n, nodes: 1n, flags: 0 },
    getMempolicy: { kind: 'getMempolicy', map: h, offset: 0n, query: 'ADDR' }, setMempolicy: { kind: 'setMempolicy', mode: 0, nodes: 0n },
    uffdCreate: { kind: 'uffdCreate', id: 5, features: 0n }, uffdRegister: { kind: 'uffdRegister', uffd: h, map: h, offset: 0n, length: P, mode: 1n },
    uffdResolve: { kind: 'uffdResolve', uffd: h, how: 'COPY', map: h, offset: 0n, length: P, fill: 0 },
    convert: { kind: 'convert', fd: h, api: 'GMEM-ATTR2', offset: 0n, len: P, toPrivate: true, errorOffsetIn: 0n },
    setMemoryAttributes: { kind: 'setMemoryAttributes', vm: h, gpa: 0n, size: P, attributes: 0n },
    guestAccess: { kind: 'guestAccess', vm: h, gpa: 0n, write: false, value: 0 }, guestMapLevel: { kind: 'guestMapLevel', vm: h, gpa: 0n },
    futex: { kind: 'futex', map: h, offset: 0n, op: 'WAKE', value: 0 }, directIo: { kind: 'directIo', map: h, offset: 0n, len: 4096, write: false, value: 0 },
    pin: { kind: 'pin', map: h, offset: 0n, length: P, how: 'IO_URING', id: 6 }, unpin: { kind: 'unpin', pin: h }, pinRead: { kind: 'pinRead', pin: h, offset: 0n, len: 1 },
    mlock: { kind: 'mlock', map: h, offset: 0n, length: P, call: 'MLOCK', flags: 0 }, msync: { kind: 'msync', map: h, offset: 0n, length: P, flags: 1 },
    lseek: { kind: 'lseek', fd: h, offset: 0n, whence: 0 }, fileIoV: { kind: 'fileIoV', fd: h, call: 'readv', offset: 0n, len: 1, iovcnt: 1, rwf: 0, value: 0 },
    fdMeta: { kind: 'fdMeta', fd: h, call: 'fsync', mode: 0 }, fcntl: { kind: 'fcntl', fd: h, cmd: 'F_GETFL', arg: 0n },
    spliceLike: { kind: 'spliceLike', fd: h, call: 'spliceOut', offset: -1n, len: 1, flags: 0, value: 0 }, passFd: { kind: 'passFd', fd: h, id: 6, cloexec: false },
    spanRange: { kind: 'spanRange', map: h, tail: 1, pages: 1, call: 'madvDontneed' },
    copyRange: { kind: 'copyRange', src: h, dst: h, srcOff: 0n, dstOff: 4096n, len: 1, flags: 0 },
    fdReach: { kind: 'fdReach', fd: h, how: 'reopenRdonly' },
    mmapEx: { kind: 'mmapEx', fd: h, id: 5, offset: 0n, length: P, prot: 3n, flags: 1n, place: { kind: 'over', map: h } },
    createVcpu: { kind: 'createVcpu', vm: h, id: 8, vcpuId: 1n }, createGmemMisuse: { kind: 'createGmemMisuse', on: { kind: 'vcpu', vcpu: h }, arg: 'null', ioctlSize: 'real' },
    preFault: { kind: 'preFault', vcpu: h, gpa: 0n, size: P, flags: 0n, padding: [] },
    fdDup: { kind: 'fdDup', fd: h, id: 6, how: 'dup3' }, fdIoctl: { kind: 'fdIoctl', fd: h, req: 'FIGETBSZ', arg: 0 },
    fdAdvise: { kind: 'fdAdvise', fd: h, call: 'fadvise', offset: 0n, len: 0n, word: 0 }, fdPoll: { kind: 'fdPoll', fd: h, how: 'poll' },
    pathCall: { kind: 'pathCall', fd: h, call: 'opathFstat', arg: 0n },
    fdWatch: { kind: 'fdWatch', fd: h, mode: 1, offset: 0n, len: P }, fdExecCheck: { kind: 'fdExecCheck', fd: h },
    dirtyLog: { kind: 'dirtyLog', vm: h, call: 'clear', slot: 0, firstPage: 0n, numPages: 1 },
    fdUring: { kind: 'fdUring', fd: h, call: 'read', offset: 0n, len: 1, rwf: 0, value: 0 },
    child: { kind: 'child', act: { kind: 'load', map: h, offset: 0n } },
    uffdWriteProtect: { kind: 'uffdWriteProtect', uffd: h, map: h, offset: 0n, length: P, mode: 1n },
    uffdPoison: { kind: 'uffdPoison', uffd: h, map: h, offset: 0n, length: P, mode: 0n },
    uffdMove: { kind: 'uffdMove', uffd: h, src: h, srcOffset: 0n, map: h, offset: 0n, length: P, mode: 0n },
    pagemap: { kind: 'pagemap', map: h, offset: 0n }, smaps: { kind: 'smaps', map: h, offset: 0n }, fdInfo: { kind: 'fdInfo', fd: h },
    setVmaName: { kind: 'setVmaName', map: h, offset: 0n, length: P, name: 'valid' },
    munmapPart: { kind: 'munmapPart', map: h, offset: 0n, length: P, id: 9 },
    mremap: { kind: 'mremap', map: h, id: 9, oldSize: 'whole', newLength: 2n * P, flags: 1n, to: { kind: 'any' } },
    mprotectRange: { kind: 'mprotectRange', map: h, offset: 0n, length: P, prot: 1n },
    numaMaps: { kind: 'numaMaps', map: h, offset: 0n }, movePages: { kind: 'movePages', map: h, offset: 0n, pages: 2, move: false, node: 0, flags: 0 }, getMempolicyFlags: { kind: 'getMempolicyFlags', map: h, offset: 0n, flags: 2n },
    procmapQuery: pq({ map: h }), pagemapScan: scan({ map: h }), mapFiles: mf('readlink', { map: h }),
    setMempolicyHomeNode: { kind: 'setMempolicyHomeNode', map: h, offset: 0n, length: P, node: 0n, flags: 0n },
    setMemoryRegionPad: { kind: 'setMemoryRegionPad', vm: h, slot: 0, flags: 4, gpa: 0n, size: P, uaddr: { kind: 'null' }, gmem: { kind: 'fd', fd: h }, gmemOffset: 0n, pad1: 1, pad2: [] },
    kpageFlags: { kind: 'kpageFlags', map: h, offset: 0n },
    kvmStats: { kind: 'kvmStats', on: { kind: 'vm', vm: h }, at: 'end', write: 'write' },
  };
  return all[kind];
};
