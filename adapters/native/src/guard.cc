// Faults as outcomes: SIGBUS and SIGSEGV from an access are caught in-process and returned.
//
// Mechanism: one process-wide handler for SIGBUS and SIGSEGV. The armed access itself and the
// unwinding are gm_sys.c's (gm_guarded_access / gm_guard_catch, the same code every reproducer
// embeds); this file owns the addon's part: installing the handler and passing any fault that is
// not ours on to the handler that was installed before.
//
// Why SIGSEGV too (instead of avoiding it): the vocabulary's store on a PROT_READ mapping and
// accesses on PROT_NONE mappings are SIGSEGV outcomes, and a forked child cannot stand in for the
// access (MAP_PRIVATE pages would be copied, and uffd registrations are not inherited). V8 (via
// Node's TrapWebAssemblyOrContinue) owns SIGSEGV for WebAssembly out-of-bounds traps, so when our
// buffer is not armed we call the previous action exactly as the kernel would have: sa_sigaction
// with the same (signo, info, ucontext) when SA_SIGINFO is set (V8 rewrites the ucontext's RIP to
// its landing pad, and returning from our handler resumes there), sa_handler(signo) otherwise, and
// for SIG_DFL we restore the default and let the fault re-fire. test/unit/native/wasm-trap.test.ts
// proves a wasm OOB access still throws RuntimeError after thousands of caught faults.
#include "guard.h"
#include "gm_sys.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>

namespace gm {
namespace {

struct sigaction g_prev_bus;
struct sigaction g_prev_segv;
std::once_flag g_once;
// Faults passed on to the previous handler (lock-free atomic: safe to bump in a handler). Lets a
// test prove that a WebAssembly trap really went through our handler and was chained.
std::atomic<uint64_t> g_chained{0};

void Chain(const struct sigaction& prev, int sig, siginfo_t* si, void* uc) {
  if (prev.sa_flags & SA_SIGINFO) {
    if (prev.sa_sigaction != nullptr) prev.sa_sigaction(sig, si, uc);
    return;
  }
  if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN) {
    prev.sa_handler(sig);
    return;
  }
  // Default (or ignore, which the kernel does not honour for a forced fault): die the normal way.
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigaction(sig, &dfl, nullptr);
  if (si->si_code <= 0) raise(sig);  // sent by kill/raise: re-send; a real fault simply re-fires
}

void Handler(int sig, siginfo_t* si, void* uc) {
  gm_guard_catch(sig, si);  // returns only if no access is armed on this thread
  int saved = errno;
  g_chained.fetch_add(1, std::memory_order_relaxed);
  Chain(sig == SIGBUS ? g_prev_bus : g_prev_segv, sig, si, uc);
  errno = saved;
}

void InstallOnce() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = Handler;
  // SA_ONSTACK: a chained handler (V8's) runs where it expects; SA_NODEFER: gm_guard_catch leaves the
  // handler with siglongjmp and restores no signal mask, so the signal must not stay blocked.
  sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGBUS, &sa, &g_prev_bus);
  sigaction(SIGSEGV, &sa, &g_prev_segv);
}

}  // namespace

uint64_t GuardChainedCount() { return g_chained.load(); }

void GuardInstall() { std::call_once(g_once, InstallOnce); }

}  // namespace gm
