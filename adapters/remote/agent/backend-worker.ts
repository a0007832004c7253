/**
 * The child process that holds one session's targets for the process backend. It only runs the
 * op vocabulary through a TargetFactory; it exits when the agent disconnects, and the kernel then
 * releases whatever the targets still held.
 */
import { match } from 'ts-pattern';
import { canRunBranches, type Target, type TargetFactory } from '../../../spec/vocab/target.js';
import { TargetBrokenError } from '../../../spec/vocab/errors.js';
import { backendFactory } from './factories.js';
import type { WorkerReply, WorkerRequest, WorkerResult } from './worker-protocol.js';

const main = (): void => {
  const state: { factory?: Promise<TargetFactory> } = {};
  const targets = new Map<number, Target>();
  const ids = { next: 1 };
  const get = (id: number): Target => {
    const t = targets.get(id);
    if (t === undefined) throw new TargetBrokenError(`backend has no target ${id}`);
    return t;
  };
  const factory = (): Promise<TargetFactory> => state.factory ?? Promise.reject(new TargetBrokenError('backend not initialised'));
  const run = (req: WorkerRequest): Promise<WorkerResult> =>
    match(req.call)
      .with({ type: 'init' }, async ({ backend, profile }) => {
        state.factory = backendFactory(backend, profile);
        await state.factory;
        return null;
      })
      .with({ type: 'open' }, async ({ seed }) => {
        const t = await (await factory())(seed);
        const id = ids.next++;
        targets.set(id, t);
        return { target: id, name: t.name };
      })
      .with({ type: 'probe' }, ({ target }) => get(target).probe())
      .with({ type: 'apply' }, ({ target, op }) => get(target).apply(op))
      .with({ type: 'branches' }, ({ target, branches, options }) => {
        const t = get(target);
        if (!canRunBranches(t)) throw new TargetBrokenError(`${t.name} target cannot run branches concurrently`);
        return t.runBranches(branches, options);
      })
      .with({ type: 'close' }, async ({ target }) => {
        const t = targets.get(target);
        targets.delete(target);
        await t?.close();
        return null;
      })
      .exhaustive();
  process.on('message', (req: WorkerRequest) => {
    void run(req)
      .then(
        (value): WorkerReply => ({ id: req.id, ok: true, value }),
        (e: unknown): WorkerReply => ({ id: req.id, ok: false, error: { name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) } }),
      )
      .then((reply) => process.send?.(reply));
  });
  process.on('disconnect', () => {
    void Promise.allSettled([...targets.values()].map((t) => t.close())).then(() => process.exit(0));
  });
};

main();
