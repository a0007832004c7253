/** Turning raw native answers (result or -errno, fault triples) into vocabulary Outcomes. */
import { SIGNAL, SI_CODE, err, errnoName, ok } from '../../../spec/vocab/index.js';
import type { Outcome, SigCode, SignalName, Value } from '../../../spec/vocab/index.js';
import type { RawAccess } from './binding.js';

/** rc < 0 is -errno; otherwise ok with the value `onOk(rc)` builds (none by default). */
export const fromRc = (rc: number, onOk?: (rc: number) => Value): Outcome =>
  rc < 0 ? err(errnoName(-rc)) : onOk === undefined ? ok() : ok(onOk(rc));

const codes = (names: readonly SigCode[]): ReadonlyMap<number, SigCode> => new Map(names.map((n) => [SI_CODE[n as keyof typeof SI_CODE], n]));
const BUS_CODES = codes(['BUS_ADRERR', 'BUS_OBJERR', 'BUS_MCEERR_AR']);
const SEGV_CODES = codes(['SEGV_MAPERR', 'SEGV_ACCERR']);

export const signalOutcome = (signal: SignalName, code: SigCode, offset: bigint): Outcome =>
  ({ kind: 'signal', signal, code, offset });

/** A guarded access's result; fault offsets are si_addr relative to the mapping's base. */
export const fromAccess = (raw: RawAccess, base: bigint, store: boolean): Outcome => {
  if (typeof raw === 'number') return store ? ok() : ok({ value: raw }); // spec/vocab/CONVENTIONS.md
  const [signo, code, addr] = raw;
  const bus = signo === SIGNAL.SIGBUS;
  if (!bus && signo !== SIGNAL.SIGSEGV) throw new Error(`unexpected signal ${signo}`);
  const name: SigCode = (bus ? BUS_CODES : SEGV_CODES).get(code) ?? 'OTHER';
  return signalOutcome(bus ? 'SIGBUS' : 'SIGSEGV', name, addr - base);
};
