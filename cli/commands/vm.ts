/**
 * `gmemcheck vm [options] -- <command ...>`: runs a gmemcheck command in a QEMU guest booted with
 * Debian's newest kernel or the user's own (docs/vm.md). Arguments before `--` are ours; the rest
 * is the guest's command line, validated there by the command itself.
 */
import { UsageError, type ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { oneOf, parse, posInt } from '../parse.js';
import { ACCEL_FLAGS } from '../vm/accel.js';

/** Commands that make sense in the guest (agent serves a network; vm would nest). */
export const GUEST_COMMANDS = ['run', 'probe', 'replay', 'selftests', 'diff', 'report', 'rules'] as const;

/** Default --timeout: a run's --time plus room for boot and shrinking, else an hour. */
export const defaultTimeout = (argv: readonly string[]): number => {
  const i = argv.indexOf('--time');
  const t = i >= 0 ? Number(argv[i + 1]) : NaN;
  return Number.isFinite(t) && t > 0 ? Math.ceil(t * 1.5) + 600 : 3600;
};

export const parseVmArgs = (args: readonly string[]) => {
  const sep = args.indexOf('--');
  if (sep < 0) throw new UsageError("gmemcheck vm needs '--' before the command to run in the guest, e.g. gmemcheck vm --kernel debian -- run --time 120");
  const own = args.slice(0, sep);
  const argv = args.slice(sep + 1);
  const { values: v } = parse(own, {
    kernel: { type: 'string' }, modules: { type: 'string' }, config: { type: 'string' }, timeout: { type: 'string' },
    accel: { type: 'string' }, memory: { type: 'string' }, cpus: { type: 'string' }, append: { type: 'string' },
  }, 0);
  const cmd = argv[0];
  if (cmd === undefined) throw new UsageError(`no command after '--' (one of ${GUEST_COMMANDS.join(', ')})`);
  if (!(GUEST_COMMANDS as readonly string[]).includes(cmd)) throw new UsageError(`'${cmd}' cannot run in the VM (one of ${GUEST_COMMANDS.join(', ')})`);
  const kernel = v.kernel ?? 'debian';
  if (kernel === '') throw new UsageError('--kernel must be debian or a path to a bzImage/vmlinuz');
  if (v.modules !== undefined && kernel === 'debian') throw new UsageError('--modules goes with --kernel PATH');
  const memoryMiB = posInt('memory', v.memory) ?? 2048;
  if (memoryMiB < 512) throw new UsageError(`--memory must be at least 512 (MiB; got ${memoryMiB})`);
  const cpus = posInt('cpus', v.cpus) ?? 2;
  if (cpus > 64) throw new UsageError(`--cpus must be at most 64 (got ${cpus})`);
  return {
    kernel, ...(v.modules !== undefined ? { modules: v.modules } : {}), ...(v.config !== undefined ? { config: v.config } : {}),
    timeoutS: posInt('timeout', v.timeout) ?? defaultTimeout(argv),
    accel: oneOf('accel', v.accel, ACCEL_FLAGS, 'auto'),
    memoryMiB, cpus, append: (v.append ?? '').split(/\s+/).filter(Boolean), argv, vmArgs: own,
  };
};

export const vmCommand = async (args: readonly string[], io: Io): Promise<ExitCode> => {
  const req = parseVmArgs(args);
  const { runVm } = await import('../vm/run-vm.js');
  return runVm(req, io);
};
