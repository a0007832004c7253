/**
 * GEN-SHMEM-TRUNCATE: shmem_setattr truncates only when the size does not grow (mm/shmem.c, v7.2),
 * so a page fallocated past EOF with KEEP_SIZE goes at the same size and stays when the file grows.
 * A random emulator run found the spec and the emulator each wrong in one of the two directions.
 * FIOQSIZE (the bytes allocated) shows it; spec and emulator are checked alike. Measured on 6.18.44
 * (a C program, 2026-12-07; memfd of 4 KiB, KEEP_SIZE page at 8 KiB): FIOQSIZE 4096 → 0 after
 * ftruncate to 0 or 4096, still 4096 after 8192, 12288 or 16384.
 */
import { describe, expect, it } from 'vitest';
import { driver, P } from './helpers.js';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { linux618 } from '../../../spec/profiles/linux-6.18.js';
import { ok, type Op } from '../../../spec/vocab/index.js';

const setup: Op[] = [{ kind: 'createMemfd', id: 0, size: P }, { kind: 'fallocate', fd: 0, mode: 1, offset: 2n * P, len: P }];
const qsize: Op = { kind: 'fdIoctl', fd: 0, req: 'FIOQSIZE', arg: 0 };

const allocatedAfter = async (size: bigint): Promise<unknown> => {
  const d = driver(linux618);
  const emu = await createEmulator({ profile: linux618, seed: 1 });
  for (const op of [...setup, { kind: 'ftruncate', fd: 0, size } as Op]) expect(await emu.apply(op)).toEqual(d.one(op));
  const want = d.one(qsize);
  expect(await emu.apply(qsize)).toEqual(want);
  return want;
};

describe('GEN-SHMEM-TRUNCATE: which ftruncate drops pages fallocated past EOF', () => {
  it('the same size truncates: the KEEP_SIZE page is freed', async () => {
    expect(await allocatedAfter(P)).toEqual(ok({ value: 0 }));
  });
  it('a larger size only moves EOF: the page stays allocated', async () => {
    expect(await allocatedAfter(4n * P)).toEqual(ok({ value: 4096 }));
  });
  it('growing to end exactly at the page keeps it too (the page now lies at EOF)', async () => {
    expect(await allocatedAfter(2n * P)).toEqual(ok({ value: 4096 }));
  });
  it('a smaller size frees everything past it', async () => {
    expect(await allocatedAfter(0n)).toEqual(ok({ value: 0 }));
  });
});
