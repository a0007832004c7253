/**
 * One QEMU run of `gmemcheck vm`, from spawn to the VM being gone: it follows the console
 * (./console.ts) and the control port (./frames.ts) as QEMU writes them to files, forwards the
 * guest command's output, and ends on the guest's reboot, a kernel report (a finding: the VM is
 * stopped after its trace is on the console), the timeout, or a signal to this process.
 *
 * QEMU must never outlive us: it is started through `setpriv --pdeathsig KILL`, so even a
 * SIGKILL of this process takes it down at once, and a small shell watchdog polls our pid too
 * (it covers the instant between fork and prctl, and hosts without setpriv). Ctrl-C, SIGTERM,
 * SIGHUP and the timeout stop it (SIGTERM, then SIGKILL); so does this process exiting.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, writeFileSync } from 'node:fs';
import { kernelReport, initEvent, type InitEvent } from './console.js';
import { decodeFrame, Flight, FrameError, LineSplitter, type Frame } from './frames.js';
import { flightOps } from './flight.js';
import { goneAncestor } from './ancestors.js';

export interface SessionOptions {
  readonly qemu: string;
  readonly args: readonly string[];
  readonly consoleFile: string;
  readonly controlFile: string;
  readonly timeoutMs: number;
  /** The guest must say hello within this long, or the session ends as `boot-timeout`. */
  readonly bootTimeoutMs?: number;
  /** Poll interval for the two files. */
  readonly pollMs?: number;
  readonly onFrame: (f: Frame) => void;
  readonly onInit: (e: InitEvent) => void;
  /** A kernel report started on the console (the session stops shortly after). */
  readonly onReport?: (title: string) => void;
  /** How long the console is still read after a kernel report before the VM is stopped. */
  readonly reportGraceMs?: number;
  /** The flight recorder's file: its op counter gives the time of the first op and the op rate. */
  readonly flightFile?: string;
  /** Ancestors whose death stops the VM (npm and its shell, ./ancestors.ts). */
  readonly watchPids?: readonly number[];
}

export type SessionEnd =
  | { readonly kind: 'exit'; readonly code: number }
  | { readonly kind: 'report'; readonly title: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'boot-timeout' }
  | { readonly kind: 'signal'; readonly signal: NodeJS.Signals }
  | { readonly kind: 'parent-gone'; readonly parent: number }
  | { readonly kind: 'died'; readonly why: string };

export interface SessionResult {
  readonly end: SessionEnd;
  /** From QEMU start to the first op recorded, and ops recorded by the end (flight recorder). */
  readonly firstOpMs?: number;
  readonly ops: number;
  readonly flight: Flight;
  /** Malformed control lines (the guest half never writes them; counted, never trusted). */
  readonly badFrames: readonly string[];
  readonly qemuStderr: string;
  readonly ms: number;
}

const which = (cmd: string): boolean => (process.env['PATH'] ?? '/usr/bin:/bin').split(':').some((d) => d && existsSync(`${d}/${cmd}`));

/** Reads what a file gained since last time (QEMU appends; the file exists from the start). */
class Tail {
  private fd: number | undefined;
  private pos = 0;
  private readonly buf = Buffer.alloc(1 << 16);
  constructor(private readonly file: string) {}
  read(): string {
    if (this.fd === undefined) {
      if (!existsSync(this.file)) return '';
      this.fd = openSync(this.file, 'r');
    }
    let out = '';
    for (;;) {
      const n = readSync(this.fd, this.buf, 0, this.buf.length, this.pos);
      if (n <= 0) return out;
      this.pos += n;
      out += this.buf.toString('utf8', 0, n);
    }
  }
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export const spawnQemu = (qemu: string, args: readonly string[]): { child: ChildProcess; guard: string } => {
  const pdeath = which('setpriv');
  const child = pdeath
    ? spawn('setpriv', ['--pdeathsig', 'KILL', '--', qemu, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(qemu, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  // The watchdog outlives us only long enough to kill QEMU once we are gone; it ends with QEMU.
  const dog = spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 0.5; done; kill -9 ${child.pid} 2>/dev/null`], { detached: true, stdio: 'ignore' });
  dog.unref();
  const onExit = (): void => { try { child.kill('SIGKILL'); } catch { /* gone */ } };
  process.on('exit', onExit);
  child.once('exit', () => {
    process.off('exit', onExit);
    try { dog.kill('SIGKILL'); } catch { /* gone */ }
  });
  return { child, guard: pdeath ? 'setpriv --pdeathsig KILL and a watchdog' : 'a watchdog' };
};

export const runSession = (o: SessionOptions): Promise<SessionResult> => {
  writeFileSync(o.consoleFile, '');
  writeFileSync(o.controlFile, '');
  const started = Date.now();
  const { child } = spawnQemu(o.qemu, o.args);
  const consoleTail = new Tail(o.consoleFile);
  const controlTail = new Tail(o.controlFile);
  const consoleLines = new LineSplitter();
  const controlLines = new LineSplitter();
  const flight = new Flight();
  const badFrames: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { if (stderr.length < 1 << 16) stderr += d.toString(); });
  child.stdout?.on('data', (d: Buffer) => { if (stderr.length < 1 << 16) stderr += d.toString(); });

  let end: SessionEnd | undefined;
  let exitCode: number | undefined;
  let stopping = false;
  let firstOpMs: number | undefined;
  const head = Buffer.alloc(32);
  const flightOpsNow = (): number => {
    if (o.flightFile === undefined || !existsSync(o.flightFile)) return 0;
    let fd: number | undefined;
    try {
      fd = openSync(o.flightFile, 'r');
      readSync(fd, head, 0, head.length, 0);
      return flightOps(head);
    } catch {
      return 0;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  };

  const pump = (): void => {
    const gone = end === undefined && o.watchPids?.length ? goneAncestor(o.watchPids) : undefined;
    if (gone !== undefined) {
      end = { kind: 'parent-gone', parent: gone };
      stop();
    }
    if (firstOpMs === undefined && flightOpsNow() > 0) firstOpMs = Date.now() - started;
    for (const line of controlLines.push(controlTail.read())) {
      if (line === '') continue;
      try {
        const f = decodeFrame(line);
        flight.see(f);
        if (f.t === 'exit') exitCode = f.code;
        if (f.t === 'hello') clearTimeout(bootTimer);
        o.onFrame(f);
      } catch (e) {
        if (!(e instanceof FrameError)) throw e;
        if (badFrames.length < 20) badFrames.push(`${e.message}: ${line.slice(0, 200)}`);
      }
    }
    for (const line of consoleLines.push(consoleTail.read())) {
      const ev = initEvent(line);
      if (ev) o.onInit(ev);
      const report = kernelReport(line);
      if (report !== undefined && end === undefined) {
        end = { kind: 'report', title: report };
        o.onReport?.(report);
        // Let the rest of the report (registers, call trace) reach the console first.
        setTimeout(() => stop(), o.reportGraceMs ?? 2000);
      }
    }
  };

  const stop = (): void => {
    if (stopping || child.exitCode !== null || child.signalCode !== null) return;
    stopping = true;
    child.kill('SIGTERM');
    setTimeout(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); }, 3000).unref();
  };

  const onSignal = (sig: NodeJS.Signals): void => {
    if (end === undefined) end = { kind: 'signal', signal: sig };
    stop();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  const poll = setInterval(pump, o.pollMs ?? 100);
  const timer = setTimeout(() => {
    if (end === undefined) end = { kind: 'timeout' };
    stop();
  }, o.timeoutMs);
  const bootTimer = setTimeout(() => {
    if (end === undefined) end = { kind: 'boot-timeout' };
    stop();
  }, o.bootTimeoutMs ?? o.timeoutMs);

  return new Promise((resolve) => {
    let done = false;
    const finish = (why: string): void => {
      if (done) return;
      done = true;
      clearInterval(poll);
      clearTimeout(timer);
      clearTimeout(bootTimer);
      for (const s of signals) process.off(s, onSignal);
      pump();
      const tail = consoleLines.flush();
      if (tail) {
        const ev = initEvent(tail);
        if (ev) o.onInit(ev);
      }
      consoleTail.close();
      controlTail.close();
      const final: SessionEnd = end ?? (exitCode !== undefined ? { kind: 'exit', code: exitCode } : { kind: 'died', why });
      const ops = Math.max(flightOpsNow(), flight.opsTotal);
      resolve({ end: final, flight, badFrames, qemuStderr: stderr.trim(), ms: Date.now() - started, ops, ...(firstOpMs !== undefined ? { firstOpMs } : {}) });
    };
    child.once('error', (e) => finish(`cannot start QEMU: ${e.message}`));
    child.once('exit', (code, sig) => finish(`QEMU ended (${sig ?? `exit ${code}`}) before the guest reported an exit status`));
  });
};
