/**
 * The default backend for a real kernel: each session's targets live in a child process. The
 * native target issues synchronous ioctls and accesses on the calling thread, so a stuck one (a
 * userfault nobody answers, a guest that never exits) would freeze an in-process agent, timeouts
 * included. Here the agent stays responsive, answers 'timeout', and kills the child; the kernel
 * then releases everything the session held.
 */
import os from 'node:os';
import type { Op, Outcome, Profile } from '../../../spec/vocab/index.js';
import type { BranchRun, ParallelTarget, ProbeResult } from '../../../spec/vocab/target.js';
import type { Backend, BackendInfo, BackendName, BackendSession } from './backend.js';
import { WorkerHandle } from './worker-handle.js';

export interface ProcessBackendOptions {
  readonly backend: BackendName;
  /** The emulator's profile (required for 'emulator'). */
  readonly profile?: Profile;
}

const spawnWorker = async (o: ProcessBackendOptions): Promise<WorkerHandle> => {
  const w = new WorkerHandle();
  try {
    await w.call({ type: 'init', backend: o.backend, ...(o.profile ? { profile: o.profile } : {}) });
  } catch (e) {
    w.kill('init failed');
    throw e;
  }
  return w;
};

/** Both backends (native, emulator) run branches, so the proxy always offers them. */
const proxy = (w: WorkerHandle, id: number, name: string): ParallelTarget => {
  const closed = { yes: false };
  return {
    name,
    probe: () => w.call({ type: 'probe', target: id }) as Promise<ProbeResult>,
    apply: (op: Op) => w.call({ type: 'apply', target: id, op }) as Promise<Outcome>,
    runBranches: (branches, options = {}) => w.call({ type: 'branches', target: id, branches, options }) as Promise<BranchRun>,
    close: async () => {
      if (closed.yes || w.dead) return;
      closed.yes = true;
      await w.call({ type: 'close', target: id });
    },
  };
};

const session = (o: ProcessBackendOptions): BackendSession => {
  // A session keeps one child while it is healthy; after a kill the next open starts a new one.
  const s: { worker?: Promise<WorkerHandle> } = {};
  const worker = async (): Promise<WorkerHandle> => {
    const current = s.worker && (await s.worker.catch(() => undefined));
    if (current && !current.dead) return current;
    s.worker = spawnWorker(o);
    return s.worker;
  };
  return {
    open: async (seed) => {
      const w = await worker();
      const r = (await w.call({ type: 'open', seed })) as { target: number; name: string };
      return proxy(w, r.target, r.name);
    },
    abandon: () => void s.worker?.then((w) => w.kill('backend process killed: an op overran its time limit'), () => undefined),
    close: async () => {
      const w = s.worker && (await s.worker.catch(() => undefined));
      delete s.worker;
      await w?.stop();
    },
  };
};

export const processBackend = (o: ProcessBackendOptions): Backend => {
  const cached: { info?: Promise<BackendInfo> } = {};
  const info = async (): Promise<BackendInfo> => {
    const sess = session(o);
    try {
      const t = await sess.open(0);
      const probe = await t.probe();
      await t.close();
      return { name: o.backend, kernelRelease: o.backend === 'native' ? os.release() : probe.release, probe };
    } finally {
      await sess.close();
    }
  };
  return {
    name: o.backend,
    info: () => (cached.info ??= info().catch((e: unknown) => { delete cached.info; throw e; })),
    session: () => session(o),
  };
};
