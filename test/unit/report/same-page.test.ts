/**
 * The "same page" suspects of a report: earlier steps whose file pages overlap the failing step's,
 * following dup'ed fds to their file and mappings to their file offset, and nothing else.
 */
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../spec/vocab/index.js';
import { samePageSteps } from '../../../models/report/same-page.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';

const Z = [0n, 0n, 0n, 0n, 0n, 0n] as const;

describe('samePageSteps', () => {
  it('follows dup and mapping offsets to file pages and ignores other files and pages', () => {
    const ops: Op[] = [
      { kind: 'createVm', id: 0, type: 0 },
      { kind: 'createGmem', vm: 0, id: 0, size: 4n * P, flags: 3n, reserved: Z },
      { kind: 'createMemfd', id: 1, size: 4n * P },
      { kind: 'dup', fd: 0, id: 2 },
      { kind: 'mmap', fd: 0, id: 0, offset: P, length: 2n * P, prot: 3, shared: true }, // file pages 1..2
      { kind: 'store', map: 0, offset: 0n, value: 1, onUserfault: 'COPY', fill: 0 }, // file page 1
      { kind: 'fallocate', fd: 2, mode: 3, offset: P, len: P }, // same file through the dup, page 1
      { kind: 'fallocate', fd: 1, mode: 3, offset: P, len: P }, // the memfd: another file
      { kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: P }, // page 0: another page
      { kind: 'madvise', map: 0, offset: P, length: P, advice: 'DONTNEED' }, // file page 2
      { kind: 'load', map: 0, offset: 0n, onUserfault: 'COPY', fill: 0 }, // file page 1: the failing step
    ];
    expect(samePageSteps(ops, 10)).toEqual([5, 6, 7]);
  });

  it('is empty when the failing step touches no file page', () => {
    const ops: Op[] = [{ kind: 'createVm', id: 0, type: 0 }, { kind: 'closeVm', vm: 0 }];
    expect(samePageSteps(ops, 1)).toEqual([]);
  });
});
