/** The parallel domain as `run` lists it (the engine loads only when it runs: ./parallel-run.ts). */
import type { DomainProperty } from '../domains.js';

export const PARALLEL_PROPERTY: DomainProperty = {
  domain: 'parallel', claim: 'concurrent branches observe only what some interleaving of their ops allows', mix: {}, numRuns: 200, maxLength: 0, requires: [],
};
