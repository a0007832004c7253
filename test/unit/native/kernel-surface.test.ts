/**
 * The wider kernel surface on this machine's kernel, through the native target on memfd (no
 * guest_memfd needed): every kernel-side access path, futexes, O_DIRECT and the 64-bit words,
 * each step judged by the spec (linux-6.18-nogmem: the kernel the development host runs). The same
 * ops against guest_memfd run in the properties wherever the kernel has it (gmemcheck vm).
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome, type Op } from '../../../spec/vocab/index.js';
import { describeNative, runOps, specMismatches } from './_support.js';

const P = 4096n;
const CALLS = ['process_vm_readv', 'process_vm_writev', 'proc_mem_read', 'proc_mem_write', 'vmsplice', 'pipe_read_into', 'pipe_write_from', 'pvm_local_read', 'pvm_local_write'] as const;

/** A 2-page memfd mapped over 4 pages, shared, then privately; every path at the edges of EOF and the mapping. */
const scenario = (): Op[] => {
  const ops: Op[] = [
    { kind: 'createMemfd', id: 0, size: 2n * P },
    { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * P, prot: 3n, shared: true },
    { kind: 'store', map: 0, offset: 0n, value: 7, onUserfault: 'COPY', fill: 0 },
  ];
  for (const call of CALLS) {
    for (const [offset, len] of [[0n, 3 * 4096], [100n, 3 * 4096], [3n * P, 16], [8100n, 200], [4000n, 4096], [-P, 8], [6n * P, 8]] as const) {
      ops.push({ kind: 'kernelAccess', map: 0, offset, len, call, value: 9 });
    }
  }
  for (const prot of [1n, 0n]) {
    ops.push({ kind: 'mprotect', map: 0, prot });
    for (const call of CALLS) ops.push({ kind: 'kernelAccess', map: 0, offset: 0n, len: 16, call, value: 9 });
  }
  ops.push({ kind: 'mprotect', map: 0, prot: 3n | 8n });
  for (const op of ['WAIT', 'WAKE', 'WAIT_PRIVATE', 'WAKE_PRIVATE', 'WAKE_CLOCK_REALTIME', 'CMD_14', 'WAKE_BIT31'] as const) {
    for (const [offset, value] of [[0n, 0x09090909], [0n, 1], [2n, 0], [2n * P, 0], [5n * P, 0], [-P, 0]] as const) ops.push({ kind: 'futex', map: 0, offset, op, value });
  }
  for (const [offset, len, write] of [[0n, 8192, false], [0n, 12288, false], [0n, 12288, true], [512n, 1024, false], [100n, 50, false], [100n, 50, true], [8192n, 4096, false], [3n * P, 8192, true]] as const) {
    ops.push({ kind: 'directIo', map: 0, offset, len, write, value: 5 });
  }
  ops.push({ kind: 'mmap', fd: 0, id: 1, offset: 0n, length: 4n * P, prot: 1n, shared: false });
  for (const call of ['process_vm_writev', 'proc_mem_write', 'pipe_read_into', 'pvm_local_read'] as const) ops.push({ kind: 'kernelAccess', map: 1, offset: 10n, len: 20, call, value: 0x33 });
  ops.push({ kind: 'load', map: 0, offset: 10n, onUserfault: 'COPY', fill: 0 }, { kind: 'load', map: 1, offset: 10n, onUserfault: 'COPY', fill: 0 });
  ops.push({ kind: 'futex', map: 1, offset: 4096n, op: 'WAKE', value: 0 }, { kind: 'futex', map: 1, offset: 8192n, op: 'WAIT', value: 0 });
  // 64-bit words (ENV-10, MAP-19, POL-21, GEN-MPOL-MAXNODE, UFD-11).
  ops.push({ kind: 'createVm', id: 0, type: 1n << 32n }, { kind: 'createVm', id: 1, type: 0n }, { kind: 'checkExtension', vm: 1, cap: 10n | (1n << 32n) },
    { kind: 'createGmem', vm: 1, id: 5, size: P, flags: 3n, reserved: [] },
    { kind: 'mbind', map: 0, offset: 0n, length: P, mode: 2n | (1n << 32n), nodes: 1n | (1n << 63n), flags: 0 },
    { kind: 'getMempolicy', map: 0, offset: 0n, query: 'ADDR' }, { kind: 'uffdCreate', id: 0, features: 1n << 32n });
  return ops;
};

describeNative('the wider kernel surface on this kernel (memfd, judged by the spec)', () => {
  it('every kernel access path, futex, O_DIRECT and 64-bit word answers as linux-6.18-nogmem allows', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    const bad = specMismatches(linux618NoGmem, ops, observed);
    expect(bad).toEqual([]);
    // The paths really ran: short counts, EIO and ETIMEDOUT all showed up.
    const text = observed.map(formatOutcome).join('\n');
    expect(text).toMatch(/count:0x1f9c|count:8092/);
    expect(text).toContain('errno EIO');
    expect(text).toContain('errno ETIMEDOUT');
  });
});
