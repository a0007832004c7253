/** Hand-made views and column results for the report tests (no spec or target needed to build them). */
import type { FileView, PageRun, StateView } from '../../../spec/verdict.js';
import { linux618 } from '../../../spec/profiles/index.js';
import type { Failure } from '../../../models/lockstep.js';
import type { ColumnResult } from '../../../models/html/results.js';

export const run = (first: number, count: number, o: Partial<PageRun> = {}): PageRun => ({
  first, count, allocated: false, content: 'zero', shared: true, policy: null, slot: null, uffd: null, directMap: true, ...o,
});

/** A 2^50-page file with one interesting page in the middle and a bound, allocated head. */
export const HUGE_FILE: FileView = {
  inode: 1, kind: 'gmem', fds: [0], sizePages: 2 ** 50, flags: 'MMAP|INIT_SHARED',
  runs: [
    run(0, 16, { allocated: true, content: 'data', slot: 'vm#0 slot 0' }),
    run(16, 2 ** 40 - 16),
    run(2 ** 40, 1, { allocated: true, content: 'zero', policy: 'BIND(2) 0x1', uffd: 'uffd#0 MISSING' }),
    run(2 ** 40 + 1, 2 ** 50 - 2 ** 40 - 1, { directMap: false, shared: false }),
  ],
};

export const VIEW: StateView = { files: [HUGE_FILE], text: 'inode 1: 2^50 pages <with "quotes"> & ampersands' };

export const FAILURE: Failure = {
  index: 2,
  target: 'emulator',
  profile: linux618,
  stateBefore: VIEW,
  steps: [
    { op: { kind: 'createVm', id: 0, type: 0n }, observed: { kind: 'ok' }, allowed: [{ kind: 'ok' }], rules: ['GEN-VM-TYPE'] },
    { op: { kind: 'createGmem', vm: 0, id: 0, size: 4096n, flags: 3n, reserved: [] }, observed: { kind: 'ok' }, allowed: [{ kind: 'ok' }], rules: ['CRE-1'] },
    { op: { kind: 'fstat', fd: 0 }, observed: { kind: 'ok', value: { size: 0n } }, allowed: [{ kind: 'ok', value: { size: 4096n } }], rules: ['CRE-1'] },
  ],
};

export const COLUMNS: ColumnResult[] = [
  {
    label: 'emulator:linux-6.18', target: 'emulator', profile: 'linux-6.18', unsupported: {},
    ruleHits: { 'CRE-1': 3, 'CRE-2': 5 },
    domains: [
      { domain: 'creation', status: 'fail', sequences: 4, opsChecked: 20, failure: FAILURE },
      { domain: 'uffd', status: 'skip', sequences: 0, opsChecked: 0, reason: 'uffdCreate: no userfaultfd here' },
    ],
  },
  {
    label: 'emulator:upstream', target: 'emulator', profile: 'upstream', unsupported: {},
    ruleHits: { 'CRE-1': 7 },
    domains: [{ domain: 'creation', status: 'pass', sequences: 4, opsChecked: 20 }],
  },
];
