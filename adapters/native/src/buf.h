// Scratch buffers for syscalls whose size comes from an op (read/write length, GUP length, mincore
// vector, UFFDIO_COPY source).
//
// Small ones come from slabs in the addon's own BSS, mapped when the addon was loaded. They must
// not be fresh mmaps: the kernel places a new mapping in the highest gap that fits, which is often
// the hole right next to a mapping under test (say, where a munmapped neighbour was). The harness
// checks a range for foreign neighbours *before* the call, so a buffer appearing there afterwards
// turned an off-the-end mincore's ENOMEM into a result that included the buffer's own page.
//
// Larger ones are anonymous MAP_NORESERVE memory: a huge length costs nothing until the kernel
// touches it, and a failure is an error the caller reports instead of std::bad_alloc aborting the
// process. The fill is capped at 64 MiB (beyond that the bytes read as 0), which keeps a
// pathological op from costing real memory; the suite's ops are far smaller.
#pragma once
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace gm {

/** A zeroed slab of at least `len` bytes from the preallocated set, or nullptr if none is free. */
uint8_t* TakeSlab(size_t len);
void GiveSlab(uint8_t* p);

class Buf {
 public:
  Buf(uint64_t len, uint8_t fill) {
    len_ = static_cast<size_t>((len + 4095) & ~uint64_t{4095});
    if (len_ == 0) len_ = 4096;
    p_ = TakeSlab(len_);
    if (p_ == nullptr) {
      void* p = mmap(nullptr, len_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      p_ = p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
      mapped_ = p_ != nullptr;
    }
    if (p_ != nullptr && fill != 0) std::memset(p_, fill, len_ < kFillCap ? len_ : kFillCap);
  }
  ~Buf() {
    if (mapped_) munmap(p_, len_);
    else if (p_ != nullptr) GiveSlab(p_);
  }
  Buf(const Buf&) = delete;
  Buf& operator=(const Buf&) = delete;
  uint8_t* data() const { return p_; }
  bool ok() const { return p_ != nullptr; }

 private:
  static constexpr size_t kFillCap = size_t{64} << 20;
  uint8_t* p_ = nullptr;
  size_t len_ = 0;
  bool mapped_ = false;
};

}  // namespace gm
