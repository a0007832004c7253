/**
 * The CLI's two named failures besides a conformance verdict. Each maps to one exit code, so a CI
 * job can tell "the kernel is wrong" (1) from "you called me wrong" (2) and "the harness broke" (3).
 */
export const EXIT = { PASS: 0, FAIL: 1, USAGE: 2, INFRA: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad arguments, unknown subcommand or profile, malformed token or trace: one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The target could not be set up or broke mid-run (never a conformance verdict): exit 3. */
export class InfraError extends Error {
  override name = 'InfraError';
}
