// Scratch buffers for syscalls whose size comes from an op (read/write length, GUP length, mincore
// vector, UFFDIO_COPY source). Anonymous MAP_NORESERVE memory: a huge length costs nothing until
// the kernel touches it, and a failure is an error the caller reports instead of std::bad_alloc
// aborting the process. The fill is capped at 64 MiB (beyond that the bytes read as 0), which keeps
// a pathological op from costing real memory; the suite's ops are far smaller.
#pragma once
#include <sys/mman.h>

#include <cstdint>
#include <cstring>

namespace gm {

class Buf {
 public:
  Buf(uint64_t len, uint8_t fill) {
    len_ = static_cast<size_t>((len + 4095) & ~uint64_t{4095});
    if (len_ == 0) len_ = 4096;
    void* p = mmap(nullptr, len_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    p_ = p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
    if (p_ != nullptr && fill != 0) std::memset(p_, fill, len_ < kFillCap ? len_ : kFillCap);
  }
  ~Buf() { if (p_ != nullptr) munmap(p_, len_); }
  Buf(const Buf&) = delete;
  Buf& operator=(const Buf&) = delete;
  uint8_t* data() const { return p_; }
  bool ok() const { return p_ != nullptr; }

 private:
  static constexpr size_t kFillCap = size_t{64} << 20;
  uint8_t* p_ = nullptr;
  size_t len_ = 0;
};

}  // namespace gm
