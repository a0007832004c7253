// Faults as outcomes (native-notes.md "Catching SIGBUS in-process works").
//
// Mechanism: one process-wide handler for SIGBUS and SIGSEGV, plus a per-thread pointer to a jump
// buffer that is non-null only while that thread performs one raw byte access. A fault while armed
// is recorded and unwound with siglongjmp; any other fault is passed on to the handler that was
// installed before ours.
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

#include <atomic>
#include <cerrno>
#include <csetjmp>
#include <csignal>
#include <cstring>
#include <mutex>

namespace gm {
namespace {

struct Arm {
  sigjmp_buf jb;
  volatile int sig;
  volatile int code;
  volatile uint64_t addr;
};

// initial-exec: the pointer lives in static TLS, so reading it from the signal handler never calls
// __tls_get_addr (which may allocate for dlopen()ed modules and is not async-signal-safe). It is
// only 8 bytes, so it fits glibc's surplus static TLS for dlopen()ed objects.
__attribute__((tls_model("initial-exec"))) thread_local Arm* volatile t_arm = nullptr;

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
  Arm* a = t_arm;
  if (a != nullptr) {
    t_arm = nullptr;
    a->sig = sig;
    a->code = si->si_code;
    a->addr = reinterpret_cast<uint64_t>(si->si_addr);
    siglongjmp(a->jb, 1);  // SA_NODEFER: no signal mask to restore, so savemask = 0 is enough
  }
  int saved = errno;
  g_chained.fetch_add(1, std::memory_order_relaxed);
  Chain(sig == SIGBUS ? g_prev_bus : g_prev_segv, sig, si, uc);
  errno = saved;
}

void InstallOnce() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = Handler;
  // SA_ONSTACK: a chained handler (V8's) runs where it expects; SA_NODEFER: see siglongjmp above.
  sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGBUS, &sa, &g_prev_bus);
  sigaction(SIGSEGV, &sa, &g_prev_segv);
}

}  // namespace

uint64_t GuardChainedCount() { return g_chained.load(); }

void GuardInstall() { std::call_once(g_once, InstallOnce); }

AccessResult GuardedAccess(uint8_t* p, bool store, uint8_t value) {
  Arm a;
  a.sig = 0;
  volatile int loaded = 0;
  if (sigsetjmp(a.jb, 0) == 0) {
    t_arm = &a;
    // The fences keep the compiler from moving the arming store after the access, or the
    // disarming store before it (native-notes.md: volatile on the access alone is not enough).
    std::atomic_signal_fence(std::memory_order_seq_cst);
    if (store) {
      *reinterpret_cast<volatile uint8_t*>(p) = value;
      loaded = value;
    } else {
      loaded = *reinterpret_cast<volatile uint8_t*>(p);
    }
    std::atomic_signal_fence(std::memory_order_seq_cst);
    t_arm = nullptr;
    return AccessResult{0, 0, 0, loaded};
  }
  return AccessResult{a.sig, a.code, a.addr, 0};
}

}  // namespace gm
