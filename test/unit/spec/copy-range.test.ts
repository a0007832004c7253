/**
 * copyRange in the spec and the emulator (row B24; FIO-30, GEN-COPY-RANGE). gmem at both ends under
 * 6.18, upstream (7.2) and the write() series, each answer worked out by hand from fs/read_write.c
 * and fs/splice.c (spec/catalogue/surface-convcopy-rules.ts): one superblock, so the generic checks
 * run and the splice fallback fails. The memfd scenario is the one the native target measures
 * (test/unit/native/copy-range.test.ts): here the emulator must answer it as the spec allows.
 */
import { describe, expect, it } from 'vitest';
import { linux618, linux618NoGmem, resolveProfile } from '../../../spec/profiles/index.js';
import { err, ok, type Op, type Profile } from '../../../spec/vocab/index.js';
import { SPEC } from '../../../models/spec-api.js';
import { run } from '../emulator/_fixtures.js';
import { specMismatches } from '../native/_support.js';
import { copyRangeScenario, cr } from '../../support/copy-range-scenario.js';

const P = 4096n;
const LLONG_MAX = (1n << 63n) - 1n;
const gmem = (id: number): Op => ({ kind: 'createGmem', vm: 0, id, size: 4n * P, flags: 0n, reserved: [] });
const SETUP: readonly Op[] = [{ kind: 'createVm', id: 0, type: 0n }, gmem(0), gmem(1), { kind: 'createMemfd', id: 2, size: 4n * P }];

const answers = (p: Profile, ops: readonly Op[]) => {
  let s = SPEC.initialState(p);
  const out = [];
  for (const o of [...SETUP, ...ops]) {
    const v = SPEC.step(p, s, o);
    out.push(v.allowed);
    s = v.next(v.allowed[0]!);
  }
  return out.slice(SETUP.length);
};

const GMEM_CASES: readonly [Op, ReturnType<typeof ok> | ReturnType<typeof err>][] = [
  [cr(0, 1, 0n, 0n, 4096), err('EINVAL')], // two gmem files: one superblock, the splice fallback fails
  [cr(0, 0, 0n, 2n * P, 4096), err('EINVAL')], // within one file, disjoint: the same
  [cr(0, 0, 0n, 1n, 2), err('EINVAL')], // overlapping
  [cr(0, 1, 4n * P, 0n, 10), ok({ count: 0 })], // at the source's EOF: the count is cut to 0
  [cr(0, 0, 4n * P, 4n * P, 10), ok({ count: 0 })], // cut to 0 before the overlap check
  [cr(0, 1, 0n, 0n, 0), ok({ count: 0 })], // a zero length
  [cr(0, 1, 0n, 0n, 1, 1), err('EINVAL')], // flags
  [cr(0, 2, 0n, 0n, 1), err('EXDEV')], // gmem → memfd: another superblock
  [cr(2, 0, 0n, 0n, 1), err('EXDEV')],
  [cr(0, 1, 0n, -P, 8192), err('EOVERFLOW')],
  [cr(0, 1, -P, 0n, 8192), err('EOVERFLOW')],
  [cr(0, 1, 0n, LLONG_MAX, 1), err('EFBIG')],
  [cr(0, 1, 5n * P, LLONG_MAX, 1), err('EFBIG')], // s_maxbytes comes after the EOF cut, before the zero count
  [cr(0, 1, 0n, -2n, 1), err('EINVAL')],
  [cr(0, 1, -2n, 0n, 1), err('EINVAL')],
  [cr(0, 1, -1n, -1n, 1), err('EINVAL')], // NULL offsets: both positions 0, the fallback fails
  [cr(0, 5, 0n, 0n, 1, 1), err('EBADF')], // a dead fd before the flags
];

describe('copy_file_range with gmem at both ends (FIO-30)', () => {
  for (const name of ['linux-6.18', 'upstream', 'write-v6']) {
    it(`${name}: the generic checks in order, then the splice fallback's EINVAL; the emulator agrees`, async () => {
      const p = resolveProfile(name);
      const got = answers(p, GMEM_CASES.map(([op]) => op));
      expect(got).toEqual(GMEM_CASES.map(([, want]) => [want]));
      const ops = [...SETUP, ...GMEM_CASES.map(([op]) => op)];
      expect(specMismatches(p, ops, await run(p, ops))).toEqual([]);
    });
  }

  it('O_APPEND on the output is EBADF (generic_file_rw_checks), on the input harmless', () => {
    const setfl: Op = { kind: 'fcntl', fd: 1, cmd: 'F_SETFL', arg: 0o2000n };
    expect(answers(linux618, [setfl, cr(0, 1, 0n, 0n, 1), cr(1, 0, 0n, 0n, 1), cr(1, 0, 4n * P, 0n, 1)])).toEqual([
      [ok({ value: 0 })], [err('EBADF')], [err('EINVAL')], [ok({ count: 0 })],
    ]);
  });
});

describe('copy_file_range between memfds (GEN-COPY-RANGE)', () => {
  it('the emulator answers the measured memfd scenario as the spec allows', async () => {
    const ops = copyRangeScenario();
    expect(specMismatches(linux618NoGmem, ops, await run(linux618NoGmem, ops))).toEqual([]);
  });

  it('the bytes move: a copy reads the source before it writes, holes read as zeroes and allocate', () => {
    const ops: Op[] = [
      { kind: 'createMemfd', id: 0, size: 3n * P }, { kind: 'fileIo', fd: 0, call: 'pwrite', offset: 4094n, len: 4, value: 5 },
      cr(0, 0, 4090n, 2n * P + 10n, 12), { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 3n * P, prot: 3n, shared: true },
      ...[2n * P + 13n, 2n * P + 14n, 2n * P + 17n, 2n * P + 18n].map((offset): Op => ({ kind: 'load', map: 0, offset, onUserfault: 'COPY', fill: 0 })),
    ];
    let s = SPEC.initialState(linux618NoGmem);
    const out = ops.map((op) => {
      const v = SPEC.step(linux618NoGmem, s, op);
      s = v.next(v.allowed[0]!);
      return v.allowed;
    });
    expect(out.slice(2)).toEqual([[ok({ count: 12 })], [ok()], [ok({ value: 0 })], [ok({ value: 5 })], [ok({ value: 5 })], [ok({ value: 0 })]]);
  });
});
