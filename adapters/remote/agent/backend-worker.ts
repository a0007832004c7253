/**
 * The child process that holds one session's targets for the process backend. It only runs the
 * op vocabulary through a TargetFactory; it exits when the agent disconnects, and the kernel then
 * releases whatever the targets still held.
 */
import type { Target, TargetFactory } from '../../../spec/vocab/target.js';
import { TargetBrokenError } from '../../../spec/vocab/errors.js';
import { backendFactory } from './factories.js';
import type { WorkerCall, WorkerReply, WorkerRequest, WorkerResult } from './worker-protocol.js';

type CallOf<T extends WorkerCall['type']> = Extract<WorkerCall, { type: T }>;
type Handlers = { readonly [T in WorkerCall['type']]: (c: CallOf<T>) => Promise<WorkerResult> };

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
  // One handler per call type (the project's dispatch style: a missing type does not compile).
  const handlers: Handlers = {
    init: async ({ backend, profile }) => {
      state.factory = backendFactory(backend, profile);
      await state.factory;
      return null;
    },
    open: async ({ seed }) => {
      const t = await (await factory())(seed);
      const id = ids.next++;
      targets.set(id, t);
      return { target: id, name: t.name };
    },
    probe: async ({ target }) => get(target).probe(),
    apply: async ({ target, op }) => get(target).apply(op),
    close: async ({ target }) => {
      const t = targets.get(target);
      targets.delete(target);
      await t?.close();
      return null;
    },
  };
  const run = async (req: WorkerRequest): Promise<WorkerResult> => {
    const h = handlers[req.call.type] as ((c: WorkerCall) => Promise<WorkerResult>) | undefined;
    if (h === undefined) throw new TargetBrokenError(`backend: unknown call ${String(req.call.type)}`);
    return h(req.call);
  };
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
