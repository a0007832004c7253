/**
 * A target wrapper that tells a FlightRecorder of each sequence and op before the target sees it.
 * A parallel case's branch ops are recorded before the branches start (their order is the
 * branches' own; which ran first is what a guest crash would leave undecided anyway).
 */
import { canRunBranches, type Target, type TargetFactory } from '../../spec/vocab/index.js';
import type { FlightRecorder } from '../io.js';

export const recordingFactory = (inner: TargetFactory, profile: string, flight: FlightRecorder): TargetFactory => async (seed) => {
  flight.caseStart(profile);
  const t = await inner(seed);
  const wrapped: Target = {
    name: t.name,
    probe: () => t.probe(),
    apply: (op) => {
      flight.op(op);
      return t.apply(op);
    },
    close: () => t.close(),
    ...(canRunBranches(t) ? {
      runBranches: (branches: Parameters<typeof t.runBranches>[0], o?: Parameters<typeof t.runBranches>[1]) => {
        for (const op of branches.flat()) flight.op(op);
        return t.runBranches(branches, o);
      },
    } : {}),
  };
  return wrapped;
};
