/**
 * One backend child process and its pending calls. When the child dies (killed after a timeout,
 * crashed in the addon, or the machine ran out of memory) every pending and later call rejects
 * with TargetBrokenError: the session reports 'target-broken', never a made-up outcome.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TargetBrokenError } from '../../../spec/vocab/errors.js';
import { withoutToken } from '../token.js';
import type { WorkerCall, WorkerReply, WorkerResult } from './worker-protocol.js';

interface Pending {
  readonly resolve: (v: WorkerResult) => void;
  readonly reject: (e: Error) => void;
}

/** The tsx loader, so the child runs the same TypeScript sources as the agent. */
const tsxLoader = (): string => pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export class WorkerHandle {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private deadReason: string | undefined;

  constructor() {
    this.child = fork(fileURLToPath(new URL('./backend-worker.ts', import.meta.url)), [], {
      execArgv: ['--import', tsxLoader()],
      serialization: 'advanced',
      // The child runs kernel ops for a remote client: it never needs the token, so it never has it.
      env: withoutToken(process.env),
      // fd 1 of the agent may be the protocol channel (stdio mode): the child must never write there.
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    this.child.on('message', (m: WorkerReply) => {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(Object.assign(new TargetBrokenError(m.error.message), { name: m.error.name }));
    });
    this.child.on('exit', (code, signal) => this.fail(`backend process exited (${signal ?? `code ${code}`})`));
    this.child.on('error', (e) => this.fail(`backend process error: ${e.message}`));
  }

  /** The child's pid (tests check what it inherited). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get dead(): boolean {
    return this.deadReason !== undefined;
  }

  call(c: WorkerCall): Promise<WorkerResult> {
    if (this.deadReason !== undefined) return Promise.reject(new TargetBrokenError(this.deadReason));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, call: c }, (e) => e && this.fail(`cannot reach backend process: ${e.message}`));
    });
  }

  /** Hard stop: the kernel releases the child's VMs, fds and mappings. */
  kill(reason: string): void {
    this.fail(reason);
    this.child.kill('SIGKILL');
  }

  /** Polite stop: the child closes its targets on disconnect, then exits; killed if it lingers. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  private fail(reason: string): void {
    if (this.deadReason === undefined) this.deadReason = reason;
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(new TargetBrokenError(this.deadReason));
  }
}
