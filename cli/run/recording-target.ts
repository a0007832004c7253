/** A target wrapper that tells a FlightRecorder of each sequence and op before the target sees it. */
import type { Target, TargetFactory } from '../../spec/vocab/index.js';
import type { FlightRecorder } from '../io.js';

export const recordingFactory = (inner: TargetFactory, profile: string, flight: FlightRecorder): TargetFactory => async (seed) => {
  flight.caseStart(profile);
  const t = await inner(seed);
  return {
    name: t.name,
    probe: () => t.probe(),
    apply: (op) => {
      flight.op(op);
      return t.apply(op);
    },
    close: () => t.close(),
  } satisfies Target;
};
