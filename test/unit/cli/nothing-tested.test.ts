/**
 * Issue 12, defect 7 (and 10's `--results` under /proc): a run that tested nothing is not a pass.
 * When the target can issue none of the selected domains' ops, every domain is skipped: the old
 * code exited 0 (text and KTAP); now the exit code is 4 (nothing tested, as kselftest's KSFT_SKIP)
 * and the output says so. The target here is the emulator with every op kind marked unsupported,
 * as an agent or a kernel that lacks everything would report.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { OP_KINDS, type OpKind } from '../../../spec/vocab/index.js';
import { cli, inProcess } from './run-cli.js';

vi.mock('../../../cli/targets.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../cli/targets.js')>();
  return {
    ...real,
    setupTarget: async (...args: Parameters<typeof real.setupTarget>) => {
      const r = await real.setupTarget(...args);
      if (!r.ok || process.env['GMC_TEST_SUPPORTS_NOTHING'] !== '1') return r;
      const unsupported = Object.fromEntries(OP_KINDS.map((k) => [k, 'this test target supports no op kind'])) as Record<OpKind, string>;
      return { ok: true, setup: { ...r.setup, unsupported, excluded: new Set<OpKind>(OP_KINDS) } };
    },
  };
});

/** Runs write their report column under --results: never into the repository. */
const results = () => mkdtempSync(path.join(tmpdir(), 'gmc-nothing-'));

describe('a run that tested nothing', () => {
  it('exits 4 with every domain skipped, and says so in text and KTAP', async () => {
    process.env['GMC_TEST_SUPPORTS_NOTHING'] = '1';
    try {
      const text = await inProcess(['run', '--target', 'emulator', '--domain', 'creation,fileops', '--runs', '2', '--results', results()]);
      expect(text.code).toBe(4);
      expect(text.stdout).toMatch(/^SKIP +creation/m);
      expect(text.stdout).toMatch(/nothing tested: every selected domain was skipped \(exit 4\)/);
      const ktap = await inProcess(['run', '--target', 'emulator', '--domain', 'creation,fileops', '--runs', '2', '--format', 'ktap', '--results', results()]);
      expect(ktap.code).toBe(4);
      expect(ktap.stdout).toMatch(/^ok 1 creation # SKIP/m);
      expect(ktap.stdout).toMatch(/^ok 2 fileops # SKIP/m);
      expect(ktap.stdout).toMatch(/^# nothing tested: every selected domain was skipped \(exit 4\)$/m);
    } finally {
      delete process.env['GMC_TEST_SUPPORTS_NOTHING'];
    }
  });

  it('a run where something was tested still passes (exit 0)', async () => {
    const r = await inProcess(['run', '--target', 'emulator', '--domain', 'creation', '--runs', '2', '--results', results()]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/nothing tested/);
  });

  it('--results where no directory can be made fails fast with a clear error (it spun forever under /proc)', () => {
    const t0 = Date.now();
    // A planted bug makes the run write a failure, which is where the old code spun.
    const r = cli(['run', '--target', 'emulator', '--bugs', 'punch-no-zero', '--domain', 'fileops', '--seed', '1', '--runs', '500', '--results', '/proc/gmemcheck-results'], 30_000);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--results \/proc\/gmemcheck-results: cannot create the directory \(ENOENT\)/);
    expect(Date.now() - t0).toBeLessThan(15_000);
  });
});
