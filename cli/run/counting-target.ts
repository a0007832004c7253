/** A target wrapper that reports each applied op to the progress display; behaviour is unchanged. */
import { canRunBranches, type Target, type TargetFactory } from '../../spec/vocab/target.js';

export interface FactoryHooks {
  /** A new target instance (one per property run) with the seed fast-check gave it. */
  created(seed: number): void;
  applied(): void;
}

export const countingFactory = (inner: TargetFactory, hooks: FactoryHooks): TargetFactory => async (seed) => {
  hooks.created(seed);
  const t = await inner(seed);
  const wrapped: Target = {
    name: t.name,
    probe: () => t.probe(),
    apply: (op) => {
      hooks.applied();
      return t.apply(op);
    },
    close: () => t.close(),
    ...(canRunBranches(t) ? {
      runBranches: (branches: Parameters<typeof t.runBranches>[0], o?: Parameters<typeof t.runBranches>[1]) => {
        for (let i = 0; i < branches.flat().length; i++) hooks.applied();
        return t.runBranches(branches, o);
      },
    } : {}),
  };
  return wrapped;
};
