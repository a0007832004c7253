// The small-buffer slabs of buf.h: static storage, so taking one never changes the address space.
// Two slabs: the JS thread and the userfaultfd helper thread may each hold one at the same time.
#include "buf.h"

#include <atomic>

namespace gm {
namespace {

constexpr size_t kSlab = size_t{64} << 10;
constexpr int kSlabs = 2;
alignas(4096) uint8_t g_slab[kSlabs][kSlab];
std::atomic<bool> g_taken[kSlabs];

}  // namespace

uint8_t* TakeSlab(size_t len) {
  if (len > kSlab) return nullptr;
  for (int i = 0; i < kSlabs; i++) {
    bool expected = false;
    if (g_taken[i].compare_exchange_strong(expected, true)) {
      std::memset(g_slab[i], 0, len);  // as fresh anonymous memory would be
      return g_slab[i];
    }
  }
  return nullptr;
}

void GiveSlab(uint8_t* p) {
  for (int i = 0; i < kSlabs; i++) {
    if (p == g_slab[i]) g_taken[i].store(false);
  }
}

}  // namespace gm
