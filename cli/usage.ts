/**
 * Every command's help text, and the top-level one built from them: `gmemcheck <command> --help`
 * prints the command's (stdout, exit 0), `gmemcheck --help` lists every command. The texts live
 * here, apart from the commands, so help never loads a target or the spec engine.
 */
import { AGENT_USAGE } from '../adapters/remote/agent/options.js';

export const TARGET_LINE = 'TARGET: auto | emulator | native | tcp://HOST:PORT | ssh://[USER@]HOST[:PORT] | stdio://COMMAND';

export const EXIT_LINES = `exit codes: 0 conforms (known deviations of --expect included), 1 conformance failure,
            2 bad arguments, 3 infrastructure error, 4 nothing tested (every domain skipped,
            a replay without ops), 130 interrupted (Ctrl-C; the partial summary is printed)`;

export const RUN_USAGE = `usage: gmemcheck run [options]
  --target TARGET       what to test (default: GMEMCHECK_TARGET, else auto: native when this
                        kernel has guest_memfd, else the emulator; the first line says which)
                        ${TARGET_LINE}
  --profile P           the kernel the spec judges by: NAME[/P-X=V...] (default: the probed
                        profile on a real kernel, linux-6.18 on the emulator)
  --emulator-profile P  the kernel the emulator implements, when not --profile: the emulator then
                        stands for a kernel that deviates from the judging profile
  --runs N | --time S   sequences per domain (default: each domain's own), or S seconds in all
                        (parallel: cases, each run 5 times on a real kernel)
  --seed N              reruns a run (default: the clock; printed)
  --domain D[,D]        rule domains to run (default all, mixed and parallel: concurrent
                        branches checked for linearizability; memfd only without guest_memfd)
  --rule ID             only this rule's verdicts fail the run (others' disagreements are counted apart)
  --max-failures N      stop after N distinct failures (default: keep going until runs or time are spent)
  --stop-at-first       the same as --max-failures 1
  --expect FILE         known deviations (gmemcheck-expect/1 JSON): reported as XFAIL, not failures
  --write-expect FILE   write this run's distinct failures as such a baseline
  --strict-expect       an expected deviation that no longer occurs (XPASS) fails the run
  --format text|ktap    KTAP for kernel CI (XFAIL/XPASS/SKIP directives)
  --results DIR         failure artifacts and the run's report column (default gmemcheck-results)
  --bugs a,b            switch on planted emulator bugs, race-* ones too (emulator only)
${EXIT_LINES}`;

export const REPLAY_USAGE = `usage: gmemcheck replay <gmc1.TOKEN | gmp1.TOKEN | trace.json> [options]
  --target TARGET   where to replay (default: the emulator; a token or trace never picks a
                    real kernel by itself) ${TARGET_LINE}
  --profile P       judge by this profile instead of the recorded one
  --emulator-profile P  the kernel the emulator implements (default: the recorded one)
  --bugs a,b        emulator bugs (default: the recorded ones)
  --seed N          the target seed (default: the recorded one)
  --runs N          a parallel case (gmp1.) on a real kernel: up to N runs until the outcomes
                    come back (default 100); the emulator replays its recorded interleaving once
exit: 0 every step allowed, 1 the failure reproduced, 2 bad arguments or a malformed token/trace,
      3 infrastructure error, 4 nothing to replay`;

export const PROBE_USAGE = `usage: gmemcheck probe [options]
  --target TARGET   default: GMEMCHECK_TARGET, else auto   ${TARGET_LINE}
  --profile P       show this profile instead of the derived one
  --bugs a,b        emulator bugs
  --json            { probe, profile, undecided } as JSON (bigints as "<digits>n")
exit: 0 printed, 2 bad arguments, 3 the target could not be set up`;

export const RULES_USAGE = `usage: gmemcheck rules [--domain D] [--json]
  --domain D   one domain, by name (creation) or rule prefix (CRE)
  --json       the rows as JSON
exit: 0 printed, 2 bad arguments`;

export const DIFF_USAGE = `usage: gmemcheck diff (--a SIDE --b SIDE | --variant P-X [--base SIDE]) [options]
  SIDE: emulator[:PROFILE] | native[:PROFILE]   PROFILE: preset[/P-X=V...][+preset...]
  --runs N          generated sequences per op mix (default 300)
  --max-length N    longest generated body (default 25)
  --mix M[,M]       op mixes: a rule domain, 'mixed', 'all' (default), or a sum like uffd+shareability
  --seed N          fast-check seed (default 1: the same seeds on every run)
  --bugs a,b        emulator bugs on both sides
  --shrink-seconds S  time limit per shrink (default 20)
  --ops TOKEN       diff this one sequence (a gmc1. replay token) instead of generating
exit: 0 no difference, 1 differences, 2 bad arguments, 3 a side could not be opened / a target broke`;

export const REPORT_USAGE = `usage: gmemcheck report [--results DIR | --target emulator|native[,..] [--profiles P[,P]]] [--out FILE]
  --results DIR    draw the columns 'gmemcheck run --results DIR' saved (*.column.json)
  --target T[,T]   targets to run (default emulator)
  --profiles P,..  profiles per target (emulator default linux-6.18,upstream; native default: probed)
  --domain D[,D]   rule domains to run (default all)
  --runs N         sequences per domain and column (default 10)
  --max-length N   longest generated body (default 20)
  --seed N         fast-check seed (default 1)
  --bugs a,b       emulator bugs to switch on (shows failure pictures)
  --out FILE       where to write the HTML (default report.html; its directory is checked first)
exit: 0 written and nothing failed, 1 written with failures, 2 bad arguments, 3 a target broke`;

export const SELFTESTS_USAGE = `usage: gmemcheck selftests [options]
  the kernel's guest_memfd selftest (tools/testing/selftests/kvm/guest_memfd_test.c), test by test
  as op sequences, each run in lockstep on the target and checked against the spec
  --target TARGET   default: GMEMCHECK_TARGET, else auto   ${TARGET_LINE}
  --profile P       judge by this profile (default: the probed one on a real kernel)
  --only NAME[,..]  only these selftests (by their C function name, e.g. test_guest_memfd_guest)
  --bugs a,b        emulator bugs
exit: 0 every selftest run passed (skips say why), 1 a failure, 2 bad arguments,
      3 infrastructure error, 4 every selftest skipped`;

export const VM_USAGE = `usage: gmemcheck vm [options] -- <command ...>
  boot a kernel under QEMU and run a gmemcheck command in it (run, probe, replay, selftests, diff,
  report, rules); results come back to the host folder named on the command (docs/vm.md)
  --kernel debian|PATH  Debian unstable's newest kernel (default; fetched into the cache, nothing
                        installed) or your own bzImage
  --modules DIR         the modules of your own kernel (lib/modules/<release>, or its parent)
  --config FILE         your kernel's .config, checked before booting (else read in the guest)
  --accel A             auto | kvm | tcg | tcg-single (default auto: KVM when this host can
                        accelerate QEMU, else TCG with -cpu max; the first lines say which and why)
  --timeout S           the VM is stopped after S seconds (default: --time × 1.5 + 600, else 3600)
  --memory MiB          guest memory (default 2048)   --cpus N   guest CPUs (default 2)
  --append ARGS         extra kernel command line
exit: the guest command's exit code; 1 also when the guest kernel oopses, panics, BUGs or WARNs
      (a finding: console log, the sequence in flight and how to replay it); 3 QEMU missing, the
      kernel could not be fetched or booted, or the timeout; 130 interrupted`;

export { AGENT_USAGE };

export interface CommandHelp {
  /** One line for the top-level help. */
  readonly summary: string;
  readonly usage: string;
}

/** Every command, in the order the top-level help lists them; cli/main.ts maps the same names to their modules. */
export const HELP = {
  run: { summary: 'run the conformance properties: every distinct failure, shrunk, with its report', usage: RUN_USAGE },
  replay: { summary: 're-run one sequence (token or trace.json) step by step', usage: REPLAY_USAGE },
  probe: { summary: 'what the target offers, and the profile derived from it', usage: PROBE_USAGE },
  rules: { summary: 'the rule catalogue with citations and coverage', usage: RULES_USAGE },
  diff: { summary: 'where two targets or two profiles disagree, rule by rule', usage: DIFF_USAGE },
  report: { summary: 'one HTML file: the rule × target matrix and a picture of every failure', usage: REPORT_USAGE },
  selftests: { summary: 'the kernel\'s guest_memfd selftest as checked op sequences', usage: SELFTESTS_USAGE },
  vm: { summary: 'boot a kernel (Debian\'s newest or your own) under QEMU and run a command in it', usage: VM_USAGE },
  agent: { summary: 'serve this machine\'s kernel to a remote run (ssh or TCP)', usage: AGENT_USAGE },
} as const satisfies Record<string, CommandHelp>;

export type CommandName = keyof typeof HELP;
export const COMMAND_NAMES = Object.keys(HELP) as CommandName[];

export const USAGE = `usage: gmemcheck <command> [options]      gmemcheck <command> --help      gmemcheck --version

commands:
${COMMAND_NAMES.map((n) => `  ${n.padEnd(8)} ${HELP[n].summary}`).join('\n')}

${TARGET_LINE}
  (--target of run, replay and probe; GMEMCHECK_TARGET sets the default of run, probe and npm test)

${EXIT_LINES}`;
