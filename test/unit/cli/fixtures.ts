/** A small hand-made Failure (no spec or target needed) for artifact and trace tests. */
import type { Failure } from '../../../models/lockstep.js';
import type { ProbeResult } from '../../../spec/vocab/target.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { PROBE_618 } from '../../support/probe-records.js';

export const PROBE: ProbeResult = { ...PROBE_618, release: '6.18.0-test', unsupported: { guestAccess: 'no guest here' } };

export const FAILURE: Failure = {
  index: 2,
  target: 'native',
  profile: linux618,
  stateBefore: { files: [], text: 'file #0 (gmem, fds [0]) 4 pages, flags MMAP|INIT_SHARED\n  pages 0..3: unallocated' },
  steps: [
    { op: { kind: 'createVm', id: 0, type: 0 }, observed: { kind: 'ok' }, allowed: [{ kind: 'ok' }], rules: ['GEN-VM-TYPE'] },
    {
      op: { kind: 'createGmem', vm: 0, id: 0, size: 16384n, flags: 3n, reserved: [0n, 0n, 0n, 0n, 0n, 0n] },
      observed: { kind: 'ok' }, allowed: [{ kind: 'ok' }], rules: ['CRE-1'],
    },
    {
      op: { kind: 'fallocate', fd: 0, mode: 3, offset: 1n, len: 4096n },
      observed: { kind: 'ok' }, allowed: [{ kind: 'errno', errno: 'EINVAL' }], rules: ['FIO-6', 'FIO-5'],
    },
  ],
};
