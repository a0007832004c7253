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

void* Ptr(const Napi::CallbackInfo& info, size_t i) { return reinterpret_cast<void*>(argU64(info, i)); }

// (fd, offset, length, prot, shared) -> BigInt address, or -errno. The kernel picks the address.
Napi::Value Mmap(const Napi::CallbackInfo& info) {
  int flags = argBool(info, 4) ? MAP_SHARED : MAP_PRIVATE;
  void* p = mmap(nullptr, argU64(info, 2), argInt(info, 3), flags, argInt(info, 0), argI64(info, 1));
  if (p == MAP_FAILED) return rcOrErrno(info.Env(), -1);
  return big(info.Env(), reinterpret_cast<uint64_t>(p));
}

Napi::Value Munmap(const Napi::CallbackInfo& info) {
  return rcOrErrno(info.Env(), munmap(Ptr(info, 0), argU64(info, 1)));
}
Napi::Value Mprotect(const Napi::CallbackInfo& info) {
  return rcOrErrno(info.Env(), mprotect(Ptr(info, 0), argU64(info, 1), argInt(info, 2)));
}
// (addr, len, advice number)
Napi::Value Madvise(const Napi::CallbackInfo& info) {
  return rcOrErrno(info.Env(), madvise(Ptr(info, 0), argU64(info, 1), argInt(info, 2)));
}

// (addr, pages) -> boolean[] (bit 0 of each vector byte) or -errno.
Napi::Value Mincore(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t pages = static_cast<uint32_t>(argInt(info, 1));
  Buf vec(pages, 0);
  if (!vec.ok()) return fail(env, "mincore: no memory for the vector");
  if (mincore(Ptr(info, 0), static_cast<size_t>(pages) * 4096u, vec.data()) < 0) return rcOrErrno(env, -1);
  Napi::Array a = Napi::Array::New(env, pages);
  for (uint32_t i = 0; i < pages; i++) a.Set(i, Napi::Boolean::New(env, (vec.data()[i] & 1) != 0));
  return a;
}

// (addr) -> is any VMA at this page? mincore answers ENOMEM exactly when the page is unmapped.
// Used to keep accesses outside a map's own range from touching memory the suite does not own.
Napi::Value PageMapped(const Napi::CallbackInfo& info) {
  unsigned char v = 0;
  uint64_t page = argU64(info, 0) & ~uint64_t{4095};
  bool mapped = !(mincore(reinterpret_cast<void*>(page), 4096, &v) < 0 && errno == ENOMEM);
  return Napi::Boolean::New(info.Env(), mapped);
}

// (addr, len, write, value) -> [rc | -errno, first byte moved or -1]. The kernel walks our own
// page tables with GUP (this-kernel.md finding 7), so faults come back as EFAULT, never a signal.
Napi::Value KernelAccess(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  size_t len = static_cast<size_t>(argU64(info, 1));
  bool write = argBool(info, 2);
  Buf buf(len, write ? static_cast<uint8_t>(argInt(info, 3)) : 0);
  if (!buf.ok()) return fail(env, "kernelAccess: no memory for the local buffer");
  iovec local{buf.data(), len};
  iovec remote{Ptr(info, 0), len};
  ssize_t rc = write ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0)
                     : process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, rcOrErrno(env, rc));
  a.Set(1u, Napi::Number::New(env, rc > 0 ? buf.data()[0] : -1));
  return a;
}

// (addr) -> [vma_start, vma_end] of the VMA covering or following addr; null if none; -errno if
// PROCMAP_QUERY is unavailable (the caller then reads /proc/self/maps).
Napi::Value NextVma(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return rcOrErrno(env, -1);
  procmap_query_ q;
  std::memset(&q, 0, sizeof q);
  q.size = sizeof q;
  q.query_flags = PROCMAP_QUERY_COVERING_OR_NEXT_VMA_;
  q.query_addr = argU64(info, 0);
  int rc = ioctl(fd, PROCMAP_QUERY_, &q);
  int e = errno;
  close(fd);
  if (rc < 0) return e == ENOENT ? env.Null() : Napi::Number::New(env, -e);
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, big(env, q.vma_start));
  a.Set(1u, big(env, q.vma_end));
  return a;
}

}  // namespace

void InitMm(Napi::Env env, Napi::Object e) {
  e.Set("mmap", Napi::Function::New(env, Mmap));
  e.Set("munmap", Napi::Function::New(env, Munmap));
  e.Set("mprotect", Napi::Function::New(env, Mprotect));
  e.Set("madvise", Napi::Function::New(env, Madvise));
  e.Set("mincore", Napi::Function::New(env, Mincore));
  e.Set("pageMapped", Napi::Function::New(env, PageMapped));
  e.Set("nextVma", Napi::Function::New(env, NextVma));
  e.Set("kernelAccess", Napi::Function::New(env, KernelAccess));
}

}  // namespace gm
