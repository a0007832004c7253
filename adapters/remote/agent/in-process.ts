/**
 * A backend whose targets live in the agent's own process: right for the emulator (pure
 * TypeScript, always asynchronous-safe) and for instrumented test backends.
 */
import os from 'node:os';
import { canRunBranches, type Target, type TargetFactory } from '../../../spec/vocab/target.js';
import type { Backend, BackendInfo, BackendSession } from './backend.js';

export const inProcessBackend = (name: string, factory: TargetFactory, kernelRelease?: string): Backend => {
  const info = async (): Promise<BackendInfo> => {
    const t = await factory(0);
    try {
      const probe = await t.probe();
      return { name, kernelRelease: kernelRelease ?? (name === 'native' ? os.release() : probe.release), probe };
    } finally {
      await t.close();
    }
  };
  // Probed once per agent (the kernel does not change under it); a failed probe is retried.
  const cached: { info?: Promise<BackendInfo> } = {};
  return {
    name,
    info: () => (cached.info ??= info().catch((e: unknown) => { delete cached.info; throw e; })),
    session: (): BackendSession => {
      const live = new Set<Target>();
      return {
        open: async (seed) => {
          const t = await factory(seed);
          live.add(t);
          const close = t.close.bind(t);
          return {
            name: t.name, probe: () => t.probe(), apply: (op) => t.apply(op), close: () => (live.delete(t), close()),
            ...(canRunBranches(t) ? { runBranches: t.runBranches.bind(t) } : {}),
          };
        },
        abandon: (t) => void t.close().catch(() => undefined),
        close: async () => {
          const all = [...live];
          live.clear();
          await Promise.allSettled(all.map((t) => t.close()));
        },
      };
    },
  };
};
