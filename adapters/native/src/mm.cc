// Mapping ops: mmap (never MAP_FIXED), munmap, mprotect, madvise, mincore, and kernel-side
// accesses through GUP (process_vm_readv/writev on our own pid).
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "buf.h"
#include "napi_util.h"
#include "uapi.h"

namespace gm {
namespace {

void* Ptr(uint64_t addr) { return reinterpret_cast<void*>(addr); }

// (fd, offset, length, prot, shared) -> BigInt address, or -errno. The kernel picks the address.
Napi::Value Mmap(const Napi::CallbackInfo& info) {
  Args a(info, 5);
  int fd = a.Int(0);
  off_t offset = static_cast<off_t>(a.Word(1));
  size_t length = a.Word(2);
  int prot = a.Int(3);
  int flags = a.Bool(4) ? MAP_SHARED : MAP_PRIVATE;
  if (!a.ok()) return a.Fail();
  void* p = mmap(nullptr, length, prot, flags, fd, offset);
  if (p == MAP_FAILED) return rcOrErrno(info.Env(), -1);
  return big(info.Env(), reinterpret_cast<uint64_t>(p));
}

Napi::Value Munmap(const Napi::CallbackInfo& info) {
  Args a(info, 2);
  uint64_t addr = a.Word(0), len = a.Word(1);
  if (!a.ok()) return a.Fail();
  return rcOrErrno(info.Env(), munmap(Ptr(addr), len));
}

// (addr, len, int): mprotect's prot, madvise's advice.
template <int (*Call)(void*, size_t, int)>
Napi::Value RangeInt(const Napi::CallbackInfo& info) {
  Args a(info, 3);
  uint64_t addr = a.Word(0), len = a.Word(1);
  int x = a.Int(2);
  if (!a.ok()) return a.Fail();
  return rcOrErrno(info.Env(), Call(Ptr(addr), len, x));
}

// (addr, pages) -> boolean[] (bit 0 of each vector byte) or -errno.
Napi::Value Mincore(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 2);
  uint64_t addr = a.Word(0);
  uint32_t pages = static_cast<uint32_t>(a.Size(1, kMaxMincorePages));
  if (!a.ok()) return a.Fail();
  Buf vec(pages, 0);
  if (!vec.ok()) return fail(env, "mincore: no memory for the vector");
  if (mincore(Ptr(addr), static_cast<size_t>(pages) * 4096u, vec.data()) < 0) return rcOrErrno(env, -1);
  Napi::Array arr = Napi::Array::New(env, pages);
  for (uint32_t i = 0; i < pages; i++) arr.Set(i, Napi::Boolean::New(env, (vec.data()[i] & 1) != 0));
  return arr;
}

// (addr) -> is any VMA at this page? mincore answers ENOMEM exactly when the page is unmapped.
// Used to keep accesses outside a map's own range from touching memory the suite does not own.
Napi::Value PageMapped(const Napi::CallbackInfo& info) {
  Args a(info, 1);
  uint64_t page = a.Word(0) & ~uint64_t{4095};
  if (!a.ok()) return a.Fail();
  unsigned char v = 0;
  bool mapped = !(mincore(reinterpret_cast<void*>(page), 4096, &v) < 0 && errno == ENOMEM);
  return Napi::Boolean::New(info.Env(), mapped);
}

// (addr, len, write, value) -> [rc | -errno, first byte moved or -1]. The kernel walks our own
// page tables with GUP (this-kernel.md finding 7), so faults come back as EFAULT, never a signal.
Napi::Value KernelAccess(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 4);
  uint64_t addr = a.Word(0);
  size_t len = static_cast<size_t>(a.Size(1, kMaxBuffer));
  bool write = a.Bool(2);
  uint8_t value = a.Byte(3);
  if (!a.ok()) return a.Fail();
  Buf buf(len, write ? value : 0);
  if (!buf.ok()) return fail(env, "kernelAccess: no memory for the local buffer");
  iovec local{buf.data(), len};
  iovec remote{Ptr(addr), len};
  ssize_t rc = write ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0)
                     : process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
  Napi::Array arr = Napi::Array::New(env, 2);
  arr.Set(0u, rcOrErrno(env, rc));
  arr.Set(1u, Napi::Number::New(env, rc > 0 ? buf.data()[0] : -1));
  return arr;
}

// (addr) -> [vma_start, vma_end] of the VMA covering or following addr; null if none; -errno if
// PROCMAP_QUERY is unavailable (the caller then reads /proc/self/maps).
Napi::Value NextVma(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 1);
  uint64_t addr = a.Word(0);
  if (!a.ok()) return a.Fail();
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return rcOrErrno(env, -1);
  procmap_query_ q;
  std::memset(&q, 0, sizeof q);
  q.size = sizeof q;
  q.query_flags = PROCMAP_QUERY_COVERING_OR_NEXT_VMA_;
  q.query_addr = addr;
  int rc = ioctl(fd, PROCMAP_QUERY_, &q);
  int e = errno;
  close(fd);
  if (rc < 0) return e == ENOENT ? env.Null() : Napi::Number::New(env, -e);
  Napi::Array arr = Napi::Array::New(env, 2);
  arr.Set(0u, big(env, q.vma_start));
  arr.Set(1u, big(env, q.vma_end));
  return arr;
}

}  // namespace

void InitMm(Napi::Env env, Napi::Object e) {
  e.Set("mmap", Napi::Function::New(env, Mmap));
  e.Set("munmap", Napi::Function::New(env, Munmap));
  e.Set("mprotect", Napi::Function::New(env, RangeInt<mprotect>));
  e.Set("madvise", Napi::Function::New(env, RangeInt<madvise>));
  e.Set("mincore", Napi::Function::New(env, Mincore));
  e.Set("pageMapped", Napi::Function::New(env, PageMapped));
  e.Set("nextVma", Napi::Function::New(env, NextVma));
  e.Set("kernelAccess", Napi::Function::New(env, KernelAccess));
}

}  // namespace gm
