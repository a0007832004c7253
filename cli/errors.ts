/**
 * The CLI's named failures besides a conformance verdict. Each maps to one exit code, so a CI job
 * can tell "the kernel is wrong" (1) from "you called me wrong" (2), "the harness broke" (3) and
 * "nothing was tested" (4: every domain skipped, or no op to run — never a pass); 130 is a run
 * interrupted by Ctrl-C (128 + SIGINT, as a shell reports it), after its partial summary.
 */
export const EXIT = { PASS: 0, FAIL: 1, USAGE: 2, INFRA: 3, NOTHING: 4, INTERRUPTED: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad arguments, unknown subcommand or profile, malformed token or trace: one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The target could not be set up or broke mid-run (never a conformance verdict): exit 3. */
export class InfraError extends Error {
  override name = 'InfraError';
}

/** Nothing was tested (every domain skipped, a replay without ops): exit 4, never a pass. */
export class NothingTestedError extends Error {
  override name = 'NothingTestedError';
}
