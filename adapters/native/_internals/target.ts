/** The native Target: one instance owns its /dev/kvm fd, VMs, fds, mappings and uffds. */
import { validateOp, type Op, type Outcome } from '../../../spec/vocab/index.js';
import { BadOpError, HarnessError, TargetBrokenError } from '../../../spec/vocab/errors.js';
import type { BranchRun, ParallelTarget, ProbeResult } from '../../../spec/vocab/target.js';
import type { NativeBinding } from './binding.js';
import { newCtx, type Ctx } from './context.js';
import { dispatch } from './dispatch.js';
import { runBranchesNative } from './parallel.js';
import { probeNative } from './probe.js';
import { releaseCtx } from './release.js';

export interface NativeTargetOptions {
  /** How long a userfault may stay unanswered (default 2000 ms). */
  readonly uffdTimeoutMs?: number;
}

export class NativeTarget implements ParallelTarget {
  readonly name = 'native';
  private ctx: Ctx | undefined;

  constructor(private readonly b: NativeBinding, opts: NativeTargetOptions = {}) {
    const kvmFd = b.openKvm();
    if (kvmFd < 0) throw new TargetBrokenError(`open /dev/kvm failed (errno ${-kvmFd})`);
    this.ctx = newCtx(b, kvmFd, opts.uffdTimeoutMs ?? 2000);
  }

  probe(): Promise<ProbeResult> {
    return Promise.resolve(probeNative(this.b));
  }

  apply(op: Op): Promise<Outcome> {
    const c = this.ctx;
    if (c === undefined) return Promise.reject(new TargetBrokenError('native target used after close()'));
    if (this.branched) return Promise.reject(new TargetBrokenError('native target used after runBranches(): a parallel case ends with its branches'));
    try {
      // The boundary: nothing reaches the addon that its C types cannot carry (InvalidOpError).
      validateOp(op);
      return Promise.resolve(dispatch(c, op));
    } catch (e) {
      // Named harness errors pass through. The addon throws TypeError/RangeError for an argument
      // it refused (before any syscall): the op cannot be carried to the kernel. Anything else
      // means this target could not carry the op out.
      if (e instanceof HarnessError) return Promise.reject(e);
      const refused = e instanceof TypeError || e instanceof RangeError;
      const Err = refused ? BadOpError : TargetBrokenError;
      return Promise.reject(new Err(`${String((op as { kind?: unknown }).kind)}: ${String(e)}`, { cause: e }));
    }
  }

  /** Set once branches ran: the tables no longer describe the kernel's state (registrations moved), so only close() is left. */
  private branched = false;

  runBranches(branches: readonly (readonly Op[])[]): Promise<BranchRun> {
    const c = this.ctx;
    if (c === undefined) return Promise.reject(new TargetBrokenError('native target used after close()'));
    if (this.branched) return Promise.reject(new TargetBrokenError('runBranches() called twice on one native target'));
    this.branched = true;
    try {
      // The boundary: every branch op is checked like any op before anything is issued.
      for (const b of branches) for (const op of b) validateOp(op);
      return Promise.resolve(runBranchesNative(c, branches));
    } catch (e) {
      if (e instanceof HarnessError) return Promise.reject(e);
      const refused = e instanceof TypeError || e instanceof RangeError;
      return Promise.reject(new (refused ? BadOpError : TargetBrokenError)(`runBranches: ${String(e)}`, { cause: e }));
    }
  }

  close(): Promise<void> {
    const c = this.ctx;
    this.ctx = undefined;
    if (c !== undefined) releaseCtx(c);
    return Promise.resolve();
  }
}
