/**
 * A Target served by an agent: each method is one request on the connection that opened it. Once
 * that connection is gone the target is too (the agent has already closed it): apply throws
 * AgentUnreachableError, close() is a no-op.
 */
import type { Op, Outcome } from '../../../spec/vocab/index.js';
import type { BranchOptions, BranchRun, ParallelTarget, ProbeResult } from '../../../spec/vocab/target.js';
import { AgentProtocolError } from '../errors.js';
import type { TargetId } from '../protocol.js';
import type { AgentConnection } from './connection.js';

export class RemoteTarget implements ParallelTarget {
  private closed = false;

  constructor(private readonly conn: AgentConnection, private readonly id: TargetId, readonly name: string) {}

  async probe(): Promise<ProbeResult> {
    const r = await this.conn.request({ type: 'probe' });
    if (r.type === 'ok' && r.result.kind === 'probe') return r.result.probe;
    throw new AgentProtocolError(`probe answered with '${r.type}'`);
  }

  async apply(op: Op): Promise<Outcome> {
    const r = await this.conn.request({ type: 'apply', target: this.id, op }, `apply ${op.kind}`);
    if (r.type === 'outcome') return r.outcome;
    throw new AgentProtocolError(`apply ${op.kind} answered with '${r.type}'`);
  }

  /** A parallel case's branches on the agent's target; the answer must fit the branches asked for. */
  async runBranches(branches: readonly (readonly Op[])[], o: BranchOptions = {}): Promise<BranchRun> {
    const r = await this.conn.request({
      type: 'branches', target: this.id, branches,
      ...(o.choices ? { choices: o.choices } : {}), ...(o.schedule ? { schedule: o.schedule } : {}),
    }, 'branches');
    if (r.type !== 'branchRun') throw new AgentProtocolError(`branches answered with '${r.type}'`);
    const fits = r.run.branches.length === branches.length && r.run.branches.every((b, i) => b.length === branches[i]!.length);
    if (!fits) throw new AgentProtocolError(`branches answered with ${r.run.branches.map((b) => b.length).join('+')} outcomes for ${branches.map((b) => b.length).join('+')} ops`);
    return r.run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A dropped connection already made the agent close this target.
    if (this.conn.alive) await this.conn.request({ type: 'closeTarget', target: this.id }).catch(() => undefined);
  }
}
