/**
 * Regression (found by the memfd-form native run on 6.18.44, seed 850559286): FUTEX_WAIT on a page
 * past EOF of a shared memfd mapping fails its FOLL_WRITE pin, retries for read (get_futex_key:
 * any EFAULT, FUTEX_READ) and that read fault runs fault-around before shmem_fault finds EOF: the
 * mapping's up-to-date neighbour may get a PTE, so smaps of another mapping of that page may count
 * it Shared (MAP-35, GEN-FAULT-AROUND, MAP-38). Each step judged by the spec (linux-6.18-nogmem).
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { MAP_FLAG, type Op } from '../../../spec/vocab/index.js';
import { describeNative, runOps, specMismatches } from './_support.js';

const P = 4096n;
const ops: Op[] = [
  { kind: 'createMemfd', id: 0, size: 4n * P },
  { kind: 'mmapEx', fd: 0, id: 0, offset: 0n, length: 4n * P, prot: 3n, flags: MAP_FLAG.SHARED | MAP_FLAG.POPULATE, place: { kind: 'any' } },
  { kind: 'mmap', fd: 0, id: 1, offset: 3n * P, length: 4n * P, prot: 3n, shared: true },
  { kind: 'futex', map: 1, offset: P, op: 'WAIT', value: 0 },
  { kind: 'smaps', map: 0, offset: 0n },
  { kind: 'futex', map: 1, offset: 2n * P, op: 'WAKE', value: 1 },
  { kind: 'smaps', map: 0, offset: 0n },
];

describeNative('futex past EOF faults around (memfd, judged by the spec)', () => {
  it('the EFAULT and the smaps after it answer as linux-6.18-nogmem allows', async () => {
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    expect(observed[3]).toEqual({ kind: 'errno', errno: 'EFAULT' });
  });
});
