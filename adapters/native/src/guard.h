// Guarded one-byte access: a fault during the access becomes data instead of killing Node.
#pragma once
#include <cstdint>

namespace gm {

struct AccessResult {
  int sig;        // 0 = the access completed; else SIGBUS or SIGSEGV
  int code;       // si_code
  uint64_t addr;  // si_addr
  int value;      // byte loaded or stored (when sig == 0)
};

// Installs the SIGBUS/SIGSEGV handlers once per process (idempotent, thread-safe).
void GuardInstall();
// How many faults were not ours and went to the previously installed handler.
uint64_t GuardChainedCount();
// Performs *p (load) or *p = value (store) with the calling thread's jump buffer armed.
AccessResult GuardedAccess(uint8_t* p, bool store, uint8_t value);

}  // namespace gm
