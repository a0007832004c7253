/**
 * The observation ops on this machine's kernel, through the native target on memfd (the gmem
 * answers rest on kernel source: spec/catalogue/surface-observe-rules.ts): /proc/self/pagemap and
 * /proc/self/smaps after faults through one and two mappings, MAP_PRIVATE copies, mlock, madvise
 * flags, uffd registration, DONTNEED, punch and offsets outside the mapping — each step judged by
 * the spec (linux-6.18-nogmem).
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome, type Op } from '../../../spec/vocab/index.js';
import { describeNative, runOps, specMismatches, st, ld, madv } from './_support.js';

const P = 4096n;
const pm = (map: number, offset: bigint): Op => ({ kind: 'pagemap', map, offset });
const sm = (map: number, offset: bigint): Op => ({ kind: 'smaps', map, offset });

const scenario = (): Op[] => [
  { kind: 'createMemfd', id: 0, size: 8n * P },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 8n * P, prot: 3n, shared: true },
  pm(0, 0n), sm(0, 0n), st(0, 0n), pm(0, 0n), sm(0, 4n * P),
  // A second shared mapping of the same pages: exclusive goes, Shared and Pss/2 come.
  { kind: 'mmap', fd: 0, id: 1, offset: 0n, length: 4n * P, prot: 1n, shared: true },
  ld(1, 0n), pm(0, 0n), pm(1, 0n), sm(0, 0n), sm(1, 0n),
  // A private mapping: a read maps the page-cache page, a write makes an anonymous copy.
  { kind: 'mmap', fd: 0, id: 2, offset: 4n * P, length: 2n * P, prot: 3n, shared: false },
  st(2, P), pm(2, P), sm(2, 0n), st(0, 5n * P), pm(0, 5n * P), sm(0, 5n * P),
  // mlock and madvise split the VMA; flags show in VmFlags; DONTNEED empties the PTEs.
  { kind: 'mlock', map: 0, offset: 2n * P, length: P, call: 'MLOCK', flags: 0 }, sm(0, 2n * P), sm(0, 0n), sm(0, 3n * P),
  madv(0, 3n * P, 2n * P, 'RANDOM'), madv(0, 6n * P, P, 'DONTDUMP'), madv(0, 7n * P, P, 'DONTFORK'), madv(0, 6n * P, P, 'HUGEPAGE'),
  sm(0, 3n * P), sm(0, 4n * P), sm(0, 6n * P), sm(0, 7n * P), madv(0, 3n * P, 2n * P, 'NORMAL'), madv(0, 6n * P, P, 'NOHUGEPAGE'), sm(0, 6n * P), sm(0, 3n * P),
  madv(2, 0n, P, 'MERGEABLE'), sm(2, 0n), madv(0, 0n, P, 'MERGEABLE'), sm(0, 0n), madv(0, 0n, P, 'SEQUENTIAL'), sm(0, 0n),
  { kind: 'mlock', map: 0, offset: 2n * P, length: P, call: 'MUNLOCK', flags: 0 }, sm(0, 2n * P),
  madv(0, 0n, 8n * P, 'DONTNEED'), pm(0, 0n), pm(1, 0n), sm(0, 0n), sm(1, 0n),
  { kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: P }, pm(1, 0n), sm(1, 0n),
  // uffd registration: um/uw/ui in VmFlags.
  { kind: 'uffdCreate', id: 0, features: 0n },
  { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: P, mode: 1n }, sm(0, 0n), sm(0, P),
  { kind: 'uffdRegister', uffd: 0, map: 1, offset: 0n, length: 4n * P, mode: 2n }, st(0, P), pm(1, P), sm(1, 0n),
  // A read past EOF faults around first (do_read_fault → do_fault_around before shmem_fault finds
  // the page past i_size): a neighbouring page of that mapping may get a PTE (GEN-FAULT-AROUND).
  { kind: 'createMemfd', id: 1, size: 4n * P },
  { kind: 'mmap', fd: 1, id: 3, offset: 3n * P, length: 2n * P, prot: 3n, shared: true },
  { kind: 'mmap', fd: 1, id: 4, offset: 3n * P, length: P, prot: 3n, shared: true },
  st(4, 0n), { kind: 'kernelAccess', map: 3, offset: P, len: 16, call: 'proc_mem_read', value: 0 }, pm(3, 0n), pm(4, 0n), sm(4, 0n),
  // Outside the mapping, and a dead map.
  pm(0, 8n * P), pm(0, -P), pm(0, 1n << 50n), pm(0, -(1n << 50n)), sm(0, 8n * P), sm(0, -P),
  { kind: 'munmap', map: 2 }, pm(2, 0n), sm(2, 0n),
  // fdinfo and the fd's link: position after I/O, F_SETFL flags, close-on-exec, a dup, a dead fd.
  { kind: 'fdInfo', fd: 0 }, { kind: 'fileIo', fd: 0, call: 'write', offset: 0n, len: 100, value: 1 }, { kind: 'fdInfo', fd: 0 },
  { kind: 'fcntl', fd: 0, cmd: 'F_SETFL', arg: 0o2000n | 0o4000n }, { kind: 'fcntl', fd: 0, cmd: 'F_SETFD', arg: 0n }, { kind: 'fdInfo', fd: 0 },
  { kind: 'fcntl', fd: 0, cmd: 'F_SETFD', arg: 1n }, { kind: 'fdInfo', fd: 0 }, { kind: 'dup', fd: 0, id: 2 }, { kind: 'fdInfo', fd: 2 },
  { kind: 'close', fd: 2 }, { kind: 'fdInfo', fd: 2 },
  // The gmem ops on this kernel (no guest_memfd): ENOTTY, then a dead handle.
  { kind: 'createVm', id: 0, type: 0n }, { kind: 'createGmem', vm: 0, id: 3, size: P, flags: 0n, reserved: [] }, { kind: 'fdInfo', fd: 3 },
];

describeNative('the observation ops on this kernel (memfd, judged by the spec)', () => {
  it('every pagemap and smaps step answers as linux-6.18-nogmem allows', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    const bad = specMismatches(linux618NoGmem, ops, observed);
    expect(bad).toEqual([]);
    const text = observed.map(formatOutcome).join('\n');
    // The paths really ran: a present exclusive page, a shared one, an anonymous copy, a locked VMA, the letters.
    expect(text).toMatch(/present:true, swap:false, file:true, exclusive:true/);
    expect(text).toMatch(/present:true, swap:false, file:true, exclusive:false/);
    expect(text).toMatch(/present:true, swap:false, file:false, exclusive:true/);
    expect(text).toMatch(/anonymous:4,/);
    expect(text).toMatch(/locked:4,/);
    expect(text).toMatch(/pss:2, shared:4/);
    expect(text).toMatch(/flags:\[rd,wr,sh,mr,mw,me,ms,rr\]/);
    expect(text).toMatch(/flags:\[rd,wr,mr,mw,me,mg\]/);
    expect(text).toMatch(/,um\]/);
    expect(text).toMatch(/,uw\]/);
    expect(text).toContain('ok null');
    expect(text).toContain('perms:rw-s, offset:0x0, name:/memfd:gmemcheck (deleted)');
    expect(text).toContain('perms:r--s');
    expect(text).toContain('perms:rw-p, offset:0x4000');
    expect(text).toContain('pos:0x64, flags:557058');
    expect(text).toContain('pos:0x64, flags:35842');
    expect(text).toContain('pos:0x64, flags:560130');
    expect(text).toContain('link:/memfd:gmemcheck (deleted)');
    expect(text).toContain('errno ENOENT');
  });
});
