/**
 * Zoo bugs of the fd and memslot calls of round 4 (issue 15; spec/vocab/ops-kvmfd.ts): each a
 * plausible kernel change that breaks one rule these ops check, with its shortest counterexample
 * (G = createGmem on vm 0 with fd 0). Spread into ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const KVMFD_BUGS = [
  // createVm; G; fdWatch(fallocate KEEP_SIZE 0..P) → ok { events: 0 } expected, one IN_MODIFY with the bug.
  { id: 'gmem-fallocate-notifies', description: 'the gmem file is created with fsnotify on, so fallocate through it raises IN_MODIFY', domain: 'lifetime', rule: 'FIO-26', needs: '', shortest: 3 },
] as const satisfies readonly BugInfo[];
