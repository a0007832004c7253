import { describe, expect, it } from 'vitest';
import { defaultTimeout, parseVmArgs } from '../../../cli/commands/vm.js';
import { resultsDirOf } from '../../../cli/vm/run-vm.js';
import { parseJob } from '../../../cli/vm/job.js';
import { UsageError } from '../../../cli/errors.js';
import { inProcess } from '../cli/run-cli.js';

describe('gmemcheck vm arguments', () => {
  it('everything after -- is the guest command; ours come before', () => {
    const r = parseVmArgs(['--kernel', '/b/bzImage', '--modules', '/b/mods', '--accel', 'tcg-single', '--memory', '4096', '--cpus', '1', '--append', 'a=1 b', '--', 'run', '--time', '120']);
    expect(r).toMatchObject({ kernel: '/b/bzImage', modules: '/b/mods', accel: 'tcg-single', memoryMiB: 4096, cpus: 1, append: ['a=1', 'b'], argv: ['run', '--time', '120'] });
    expect(r.timeoutS).toBe(defaultTimeout(['run', '--time', '120']));
    expect(parseVmArgs(['--', 'probe'])).toMatchObject({ kernel: 'debian', accel: 'auto', memoryMiB: 2048, cpus: 2, timeoutS: 3600 });
  });

  it('bad arguments are one clear UsageError each', () => {
    const bad: [string[], RegExp][] = [
      [['run'], /needs '--'/], [['--'], /no command after/], [['--', 'agent', '--stdio'], /cannot run in the VM/], [['--', 'vm'], /cannot run in the VM/],
      [['--kernel', 'debian', '--modules', '/m', '--', 'run'], /--modules goes with --kernel PATH/], [['--memory', '100', '--', 'run'], /at least 512/],
      [['--cpus', '0', '--', 'run'], /positive integer/], [['--accel', 'hvf', '--', 'run'], /--accel must be one of/], [['--bogus', '--', 'run'], /Unknown option/],
      [['--timeout', '1e3', '--', 'run'], /positive integer/],
    ];
    for (const [args, why] of bad) expect(() => parseVmArgs(args), args.join(' ')).toThrow(why);
    expect(() => parseVmArgs(['--', 'nope'])).toThrow(UsageError);
  });

  it('the CLI maps them to exit 2 without starting anything', async () => {
    const r = await inProcess(['vm', 'run', '--time', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/gmemcheck: error: gmemcheck vm needs '--'/);
  });

  it('a finding goes where the guest command puts its results', () => {
    expect(resultsDirOf(['run', '--results', 'out'], '/w')).toBe('/w/out');
    expect(resultsDirOf(['run', '--results=/abs'], '/w')).toBe('/abs');
    expect(resultsDirOf(['probe'], '/w')).toBe('/w/gmemcheck-results');
  });

  it('the job the guest reads is validated', () => {
    expect(parseJob('{"argv":["run"],"cwd":"/w","tty":false}')).toEqual({ argv: ['run'], cwd: '/w', tty: false });
    expect(() => parseJob('{"argv":"run","cwd":"/w","tty":false}')).toThrow(/argv/);
    expect(() => parseJob('{"argv":[],"cwd":"w","tty":false}')).toThrow(/cwd/);
    expect(() => parseJob('{"argv":[],"cwd":"/w","tty":false,"crashAfterOps":-1}')).toThrow(/crashAfterOps/);
  });
});

describe('gmemcheck vm without QEMU', () => {
  it('says how to get it, exit 3, before fetching anything', async () => {
    const old = process.env['GMEMCHECK_QEMU'];
    process.env['GMEMCHECK_QEMU'] = '/nonexistent/qemu-system-x86_64';
    try {
      const r = await inProcess(['vm', '--', 'probe']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/qemu-system-x86_64 not found: install it \(Debian\/Ubuntu: apt-get install --no-install-recommends qemu-system-x86/);
      expect(r.stderr.split('\n')).toHaveLength(1);
    } finally {
      if (old === undefined) delete process.env['GMEMCHECK_QEMU']; else process.env['GMEMCHECK_QEMU'] = old;
    }
  });
});
