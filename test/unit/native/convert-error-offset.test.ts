/**
 * convert's errorOffsetIn (SHR-23's input side) reaches the ioctl's error_offset as given, and the
 * wrapper reports the field back only when the kernel changed it or answered EAGAIN. This host has
 * no conversion ioctl (no guest_memfd, no series): on a memfd the ioctl is ENOTTY and leaves the
 * struct alone, so a non-zero input must not come back as an error offset (the wrapper once
 * reported any non-zero field). The EINVAL of the series itself needs a conversion kernel: the spec
 * and the emulator check it (test/unit/spec/convert-error-offset.test.ts).
 */
import { expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { err, type Op } from '../../../spec/vocab/index.js';
import { describeNative, runOps, specMismatches } from './_support.js';
import { reproAgainstNative } from './_repro-diff.js';

const conv = (api: 'GMEM-ATTR2' | 'GMEM-CONVERT', errorOffsetIn: bigint): Op =>
  ({ kind: 'convert', fd: 0, api, offset: 0n, len: 4096n, toPrivate: true, errorOffsetIn });
const scenario = (): Op[] => [
  { kind: 'createMemfd', id: 0, size: 8192n },
  conv('GMEM-ATTR2', 0n), conv('GMEM-ATTR2', 5n), conv('GMEM-CONVERT', 4096n), conv('GMEM-ATTR2', (1n << 64n) - 1n),
  { kind: 'close', fd: 0 }, conv('GMEM-ATTR2', 7n),
];

describeNative('convert\'s error_offset going in (memfd: no conversion ioctl here)', () => {
  it('the ioctl answers ENOTTY and no input value comes back as an error offset', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    expect(observed.slice(1)).toEqual([err('ENOTTY'), err('ENOTTY'), err('ENOTTY'), err('ENOTTY'), { kind: 'ok' }, err('EBADF')]);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
  });

  it.skipIf(spawnSync('gcc', ['--version']).status !== 0)('the C reproducer sends the same word and observes the same', { timeout: 60_000 }, async () => {
    const ops = scenario();
    const { diff, exit } = await reproAgainstNative('converr', ops, await runOps(ops));
    expect(diff).toEqual([]);
    expect(exit).toBe(0);
  });
});
