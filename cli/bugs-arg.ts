/** --bugs a,b: emulator bugs of the zoo (adapters/emulator/bugs.ts, race-bugs.ts), checked before any target opens. */
import { BUGS, RACE_BUGS } from '../adapters/emulator/index.js';
import { UsageError } from './errors.js';
import { list } from './parse.js';

export const BUG_IDS: readonly string[] = [...BUGS, ...RACE_BUGS].map((b) => b.id);

export const checkBugs = (bugs: readonly string[], from = '--bugs'): readonly string[] => {
  const bad = bugs.find((b) => !BUG_IDS.includes(b));
  if (bad !== undefined) throw new UsageError(`${from}: unknown emulator bug '${bad.length > 40 ? `${bad.slice(0, 40)}…` : bad}' (bugs: ${BUG_IDS.join(', ')})`);
  return bugs;
};

export const bugsArg = (value: string | undefined): readonly string[] => checkBugs(list(value));
