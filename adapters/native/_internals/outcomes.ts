/** Turning raw native answers (result or -errno, fault triples) into vocabulary Outcomes. */
import { err, errnoName, ok } from '../../../spec/vocab/index.js';
import type { Outcome, SigCode, SignalName, Value } from '../../../spec/vocab/index.js';
import type { RawAccess } from './binding.js';

/** rc < 0 is -errno; otherwise ok with the value `onOk(rc)` builds (none by default). */
export const fromRc = (rc: number, onOk?: (rc: number) => Value): Outcome =>
  rc < 0 ? err(errnoName(-rc)) : onOk === undefined ? ok() : ok(onOk(rc));

// x86-64 signal numbers and si_code values (include/uapi/asm-generic/signal.h, siginfo.h).
const SIGBUS = 7;
const SIGSEGV = 11;
const BUS_CODES: Readonly<Record<number, SigCode>> = { 2: 'BUS_ADRERR', 3: 'BUS_OBJERR', 4: 'BUS_MCEERR_AR' };
const SEGV_CODES: Readonly<Record<number, SigCode>> = { 1: 'SEGV_MAPERR', 2: 'SEGV_ACCERR' };

export const signalOutcome = (signal: SignalName, code: SigCode, offset: bigint): Outcome =>
  ({ kind: 'signal', signal, code, offset });

/** A guarded access's result; fault offsets are si_addr relative to the mapping's base. */
export const fromAccess = (raw: RawAccess, base: bigint, store: boolean): Outcome => {
  if (typeof raw === 'number') return store ? ok() : ok({ value: raw }); // spec/vocab/CONVENTIONS.md
  const [signo, code, addr] = raw;
  const bus = signo === SIGBUS;
  if (!bus && signo !== SIGSEGV) throw new Error(`unexpected signal ${signo}`);
  const name: SigCode = (bus ? BUS_CODES[code] : SEGV_CODES[code]) ?? 'OTHER';
  return signalOutcome(bus ? 'SIGBUS' : 'SIGSEGV', name, addr - base);
};
