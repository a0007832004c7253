// The addon's SIGBUS/SIGSEGV handler: faults of an armed access (gm_sys.c gm_guarded_access) become
// data instead of killing Node; every other fault goes to the previously installed handler.
#pragma once
#include <cstdint>

namespace gm {

// Installs the SIGBUS/SIGSEGV handlers once per process (idempotent, thread-safe).
void GuardInstall();
// How many faults were not ours and went to the previously installed handler.
uint64_t GuardChainedCount();

}  // namespace gm
