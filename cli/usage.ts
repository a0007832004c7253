/** The help text: one screen, the subcommands and their options, and the exit codes. */
export const USAGE = `usage: gmemcheck <command> [options]

commands:
  run     [--target auto|emulator|native] [--profile NAME[/P-X=V...]] [--seed N]
          [--runs N | --time SECONDS] [--domain D[,D]] [--rule ID] [--format text|ktap]
          [--results DIR] [--bugs a,b]          run the conformance properties
  replay  <token | trace.json> [--target ...] [--profile ...] [--bugs a,b] [--seed N]
                                               re-run one sequence step by step (on the emulator
                                               unless --target names a real target)
  probe   [--target ...] [--json]              what the target offers, and the derived profile
  rules   [--json] [--domain D]                the rule catalogue with citations and coverage
  selftests [--target ...] [--profile ...] [--only NAME,...]
                                               the kernel's guest_memfd selftest as checked sequences
  vm      [--kernel debian|PATH] [--modules DIR] [--config FILE] [--accel auto|kvm|tcg|tcg-single]
          [--timeout S] [--memory MiB] [--cpus N] [--append ARGS] -- <command ...>
                                               run a command in a QEMU guest booted with that kernel

exit codes: 0 conforms, 1 conformance failure, 2 bad arguments, 3 infrastructure error,
            4 nothing tested (every domain skipped, a replay without ops)`;
