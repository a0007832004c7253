/**
 * `gmemcheck vm`: boot a kernel under QEMU and run a gmemcheck command in it against that kernel
 * (the native target, in the guest), as if it ran here: its output streams back, the files it
 * writes land in this working directory. Steps: QEMU and accelerator, kernel (+ config check),
 * busybox and modules, the project bundle, the initramfs, then one session (./session.ts).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EXIT, InfraError, UsageError, type ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { chooseAccel, hostFacts, type AccelFlag } from './accel.js';
import { bootRetry } from './boot-retry.js';
import { goneAncestor, watchedAncestors } from './ancestors.js';
import { fetchBusybox } from './apt.js';
import { buildGuestTree } from './bundle.js';
import { cacheRoot } from './cache.js';
import { checkConfig, missingMessage, parseConfig, weakMessage } from './config-check.js';
import { writeFinding } from './finding.js';
import { initramfs } from './initramfs.js';
import { kernelModules, resolveKernel } from './kernel.js';
import { findQemu, QEMU_MISSING, qemuArgs } from './qemu.js';
import { findMke2fs, makeScratchDisk } from './scratch-disk.js';
import { runSession, type SessionResult } from './session.js';
import { readFlight, type FlightRecord } from './flight.js';
import type { Flight } from './frames.js';

export interface VmRequest {
  readonly kernel: string;
  readonly modules?: string;
  readonly config?: string;
  readonly timeoutS: number;
  readonly accel: AccelFlag;
  readonly memoryMiB: number;
  readonly cpus: number;
  readonly append: readonly string[];
  /** The gmemcheck command to run in the guest. */
  readonly argv: readonly string[];
  /** The options as given, for the replay line of a finding. */
  readonly vmArgs: readonly string[];
}

/** The inner command's --results directory (where a finding goes too). */
export const resultsDirOf = (argv: readonly string[], cwd: string): string => {
  let dir = 'gmemcheck-results';
  argv.forEach((a, i) => {
    if (a === '--results' && argv[i + 1] !== undefined) dir = argv[i + 1]!;
    else if (a.startsWith('--results=')) dir = a.slice('--results='.length);
  });
  return path.resolve(cwd, dir);
};

/** "; first op after 9.8 s; 23,000 ops at 1,100 ops/s" (ops applied in the guest, flight recorder). */
const rate = (r: SessionResult): string =>
  r.firstOpMs === undefined || r.ops === 0 ? ''
    : `; first op ${(r.firstOpMs / 1000).toFixed(1)} s after QEMU start; ${r.ops} ops at ${Math.round(r.ops / Math.max(0.001, (r.ms - r.firstOpMs) / 1000))} ops/s`;

/** From QEMU start to the guest's hello: boots take 5-12 s here, 30 s under heavy load. */
const BOOT_LIMIT_S = 120;

const tailOf = (file: string, n = 12): string => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').slice(-n).join('\n  ') : '(no console output)');
const lastLine = (file: string): string => tailOf(file, 1) || '(none)';

/** GMEMCHECK_VM_CRASH_AFTER_OPS=N: the test hook of guest-main.ts crashAfter (test/vm/ only). */
const crashHook = (): { crashAfterOps?: number } => {
  const n = Number(process.env['GMEMCHECK_VM_CRASH_AFTER_OPS'] ?? '');
  return Number.isSafeInteger(n) && n > 0 ? { crashAfterOps: n } : {};
};

/** The sequence in flight: the ivshmem recorder if the guest wrote it, else what came over the port. */
const flightOf = (file: string, port: Flight, io: Io): FlightRecord => {
  try {
    const rec = existsSync(file) ? readFlight(readFileSync(file)) : undefined;
    if (rec !== undefined) return rec;
  } catch (e) {
    io.err(`vm: the flight recorder is unreadable (${(e as Error).message}); using the control port's record`);
  }
  return { profile: port.profile, ops: port.ops, cases: port.cases, opsTotal: port.opsTotal, truncated: false };
};

/** Busybox for the initramfs: Debian's busybox-static (cached), else a static busybox on this host. */
const busyboxFor = async (cache: string, say: (l: string) => void): Promise<string> => {
  try {
    return await fetchBusybox(cache, { say });
  } catch (e) {
    for (const p of ['/bin/busybox', '/usr/bin/busybox']) if (existsSync(p)) return p;
    throw e;
  }
};

export const runVm = async (req: VmRequest, io: Io): Promise<ExitCode> => {
  const cwd = process.cwd();
  if (cwd === '/') throw new UsageError('gmemcheck vm shares the working directory with the guest read-write; run it from a directory other than /');
  if (existsSync('/run/gmemcheck/guest.mjs')) throw new UsageError('gmemcheck vm is already running in this guest');
  // Our own lines go to stderr: stdout is the guest command's (e.g. probe --json stays parseable).
  const say = (l: string): void => {
    if (io.tty) io.status('');
    io.err(`vm: ${l}`);
  };
  // Ctrl-C before QEMU starts (fetch, bundle, initramfs) ends the command at the next step: there
  // is no VM to stop yet, and booting one the user has just interrupted would ignore them.
  // Under npm (npx, npm run), npm and its shell: when either is killed, so is the VM.
  const watchPids = watchedAncestors(process.env, process.ppid);
  const interrupted = (): boolean => {
    const gone = goneAncestor(watchPids);
    if (gone !== undefined) throw new InfraError(`the process that started gmemcheck vm (pid ${gone}) is gone; the VM was not started`);
    if (io.signal?.aborted !== true) return false;
    say('interrupted (SIGINT) before the VM started');
    return true;
  };
  const qemu = findQemu();
  if (qemu === undefined) throw new InfraError(QEMU_MISSING);
  const accel = chooseAccel(req.accel, hostFacts());
  say(`accelerator: ${accel.kind === 'kvm' ? 'KVM' : `TCG (thread=${accel.thread})`} — ${accel.why}`);

  const cache = cacheRoot();
  const kernel = await resolveKernel(req.kernel, { ...(req.modules ? { modules: req.modules } : {}), ...(req.config ? { config: req.config } : {}) }, cache, { say });
  if (interrupted()) return EXIT.INTERRUPTED;
  say(`kernel: ${kernel.label}`);
  if (kernel.config !== undefined) {
    const v = checkConfig(parseConfig(kernel.config));
    const missing = missingMessage(v, `the kernel config (${kernel.configFrom})`);
    if (missing) throw new InfraError(missing);
    const weak = weakMessage(v);
    if (weak) say(weak);
  } else say('no .config found for this kernel (pass --config FILE): the guest checks /proc/config.gz if the kernel has it');

  const busybox = await busyboxFor(cache, say);
  if (interrupted()) return EXIT.INTERRUPTED;
  const modules = await kernelModules(kernel, cache, busybox);
  if (interrupted()) return EXIT.INTERRUPTED;
  const tree = await buildGuestTree();
  if (interrupted()) return EXIT.INTERRUPTED;
  const runDir = mkdtempSync(path.join(tmpdir(), 'gmemcheck-vm-'));
  try {
    const initrd = path.join(runDir, 'initrd.cpio');
    const scratch = await makeScratchDisk(path.join(runDir, 'scratch.ext4'), findMke2fs());
    if ('why' in scratch) say(scratch.why);
    writeFileSync(initrd, initramfs({
      busybox: readFileSync(busybox), modules, tree,
      init: {
        cwd, node: process.execPath, ...(process.env['TERM'] ? { term: process.env['TERM'] } : {}),
        nodeArgs: (process.env['GMEMCHECK_VM_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean),
        scratchDisk: 'disk' in scratch,
      },
      job: { argv: req.argv, cwd, tty: io.tty, ...crashHook() },
    }));
    const consoleFile = path.join(runDir, 'console.log');
    const controlFile = path.join(runDir, 'control.jsonl');
    const flightFile = path.join(runDir, 'flight.bin');
    const args = qemuArgs({
      binary: qemu, accel, kernel: kernel.image, initrd, cpus: req.cpus, memoryMiB: req.memoryMiB,
      consoleFile, controlFile, cwd, append: req.append, flightFile,
      ...('disk' in scratch ? { scratchDisk: scratch.disk } : {}),
    });
    say(`booting (${req.cpus} vCPUs, ${req.memoryMiB} MiB, timeout ${req.timeoutS} s)`);
    let release = kernel.label;
    let initError: string | undefined;
    let guestStarted = false;
    const attempt = (): Promise<SessionResult> => {
      const t0 = Date.now();
      guestStarted = false;
      rmSync(flightFile, { force: true });
      return runSession({
        qemu, args, consoleFile, controlFile, flightFile, watchPids, timeoutMs: req.timeoutS * 1000, bootTimeoutMs: Math.min(BOOT_LIMIT_S, req.timeoutS) * 1000,
        onInit: (e) => {
          if (e.kind === 'stage' && io.tty) io.status(`vm: booting: ${e.stage} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
          if (e.kind === 'error') initError = e.message;
          if (e.kind === 'warning') say(`guest: ${e.message}`);
        },
        onFrame: (f) => {
          switch (f.t) {
            case 'hello':
              release = f.release;
              guestStarted = true;
              say(`guest kernel ${f.release} up: ${f.uptime.toFixed(1)} s of guest boot, ${((Date.now() - t0) / 1000).toFixed(1)} s from QEMU start to the first guest command (KVM module: ${f.kvm})`);
              if (f.missing.length) say(`guest /proc/config.gz lacks: ${f.missing.map((n) => `CONFIG_${n}`).join(', ')}`);
              break;
            case 'out': io.out(f.s); break;
            case 'err': io.err(f.s); break;
            case 'status': if (io.tty) io.status(f.s); break;
            default: break;
          }
        },
        onReport: (title) => say(`guest kernel report: ${title} — stopping the VM`),
      });
    };
    if (interrupted()) return EXIT.INTERRUPTED;
    let r = await attempt();
    const retry = bootRetry(r.end, { guestStarted, ...(initError !== undefined ? { initError } : {}), accel, interrupted: io.signal?.aborted === true }, BOOT_LIMIT_S, lastLine(consoleFile));
    if (retry !== undefined) {
      say(retry);
      r = await attempt();
    }
    if (io.tty) io.status('');
    if (r.badFrames.length) io.err(`vm: ${r.badFrames.length} malformed control line(s) ignored, first: ${r.badFrames[0]}`);
    switch (r.end.kind) {
      case 'exit':
        say(`guest command exited ${r.end.code}; VM stopped after ${(r.ms / 1000).toFixed(1)} s${rate(r)}`);
        return r.end.code as ExitCode;
      case 'report': {
        const dir = writeFinding({
          resultsDir: resultsDirOf(req.argv, cwd), consoleFile, title: r.end.title, flight: flightOf(flightFile, r.flight, io),
          release, vmArgs: req.vmArgs, argv: req.argv,
        });
        say(`FINDING: the guest kernel reported "${r.end.title}"; console log, sequence in flight and replay: ${dir}`);
        return EXIT.FAIL;
      }
      case 'timeout':
        throw new InfraError(`the VM did not finish within --timeout ${req.timeoutS} s and was stopped`);
      case 'boot-timeout':
        throw new InfraError(`the guest did not start within ${BOOT_LIMIT_S} s and was stopped${initError ? ` (guest init: ${initError})` : ''}; last console lines:\n  ${tailOf(consoleFile)}`);
      case 'signal':
        // Ctrl-C is 130 as for every command (cli/errors.ts); SIGTERM/SIGHUP stop the harness: 3.
        if (r.end.signal === 'SIGINT') {
          say('interrupted (SIGINT); the VM was stopped');
          return EXIT.INTERRUPTED;
        }
        throw new InfraError(`interrupted by ${r.end.signal}; the VM was stopped`);
      case 'parent-gone':
        throw new InfraError(`the process that started gmemcheck vm (pid ${r.end.parent}: npm or its shell) is gone; the VM was stopped`);
      case 'died':
        throw new InfraError(`${initError ? `guest init: ${initError}` : r.end.why}${r.qemuStderr ? `\nqemu: ${r.qemuStderr.split('\n').slice(0, 5).join('\n  ')}` : ''}\nlast console lines:\n  ${tailOf(consoleFile)}`);
    }
  } finally {
    // GMEMCHECK_VM_KEEP=1 keeps the initramfs, console log and control stream for debugging.
    if (process.env['GMEMCHECK_VM_KEEP'] === '1') io.err(`vm: run directory kept: ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  }
};
