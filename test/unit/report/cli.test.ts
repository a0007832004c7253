import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffMain } from '../../../cli/diff.js';
import { reportMain } from '../../../cli/report.js';
import { memoryIo } from '../../../cli/io.js';

const run = async (main: (argv: string[], io: ReturnType<typeof memoryIo>) => Promise<number>, argv: string[]) => {
  const io = memoryIo();
  return { code: await main(argv, io), io };
};

describe('gmemcheck diff / report arguments', () => {
  it.each([
    [[], /--a is required/],
    [['--a', 'emulator'], /--b is required/],
    [['--a', 'qemu:upstream', '--b', 'emulator'], /must start with 'emulator' or 'native'/],
    [['--a', 'emulator:nope', '--b', 'emulator'], /unknown profile 'nope'/],
    [['--a', 'emulator', '--b', 'emulator:upstream+nope'], /unknown series 'nope'/],
    [['--variant', 'P-NOPE'], /unknown open question 'P-NOPE'/],
    [['--variant', 'P-OFFSET', '--a', 'emulator'], /do not combine it with --a/],
    [['--a', 'emulator', '--b', 'emulator', '--mix', 'nope'], /--mix must name/],
    [['--a', 'emulator', '--b', 'emulator', '--runs', '0'], /--runs must be a positive integer/],
    [['--a', 'emulator', '--b', 'emulator', '--ops', 'xyz'], /--ops: replay token must start/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
  ])('diff %j is a one-line usage error (exit 2)', async (argv, message) => {
    const { code, io } = await run(diffMain, argv);
    expect(code).toBe(2);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(message);
  });

  it.each([
    [['--target', 'qemu'], /--target must name emulator, native/],
    [['--profiles', 'probed'], /'probed' exists only for --target native/],
    [['--domain', 'nope'], /--domain must name/],
    [['--results', '/nonexistent-gmemcheck'], /cannot read results directory/],
    [['--results', '/tmp', '--runs', '3'], /--runs applies only when the report runs/],
    [['--target', 'native', '--bugs', 'fsync-ok'], /--bugs switches on emulator bugs/],
    [['--bugs', 'nope'], /unknown emulator bug 'nope' \(bugs: .*fsync-ok/],
  ])('report %j is a one-line usage error (exit 2)', async (argv, message) => {
    const { code, io } = await run(reportMain, argv);
    expect(code).toBe(2);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(message);
  });

  it('diff of a profile against itself finds nothing (exit 0)', async () => {
    const { code, io } = await run(diffMain, ['--a', 'emulator:upstream', '--b', 'emulator:upstream', '--mix', 'memslot', '--runs', '30']);
    expect(code).toBe(0);
    expect(io.stdout.join('\n')).toContain('no rule differs between A and B');
  });

  it('report writes one self-contained HTML file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gmemcheck-cli-'));
    try {
      const out = join(dir, 'r.html');
      const { code, io } = await run(reportMain, ['--domain', 'creation', '--runs', '3', '--out', out]);
      expect([0, 1]).toContain(code);
      expect(io.stdout.at(-1)).toMatch(/^wrote .*r\.html: 2 column\(s\)/);
      expect(existsSync(out)).toBe(true);
      const html = readFileSync(out, 'utf8');
      expect(html).not.toMatch(/https?:\/\/|<script/i);
      expect(html).toContain('<th class="col-h">emulator:linux-6.18</th><th class="col-h">emulator:upstream</th>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
