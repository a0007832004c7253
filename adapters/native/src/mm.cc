// N-API glue for the mapping wrappers of gm_sys.c with out-parameters or buffers: mmap (never
// MAP_FIXED), mincore, the VMA queries the address-space guard uses, and kernel-side accesses through
// GUP (process_vm_readv/writev on our own pid); munmap, mprotect, madvise, mlock and msync are exports.cc's. Arguments are checked by Args (napi_util.h).
#include "gm_sys.h"
#include "napi_util.h"

namespace gm {
namespace {

Napi::Value Num(Napi::Env env, long v) { return Napi::Number::New(env, static_cast<double>(v)); }

// (fd, offset, length, prot, shared) -> BigInt address, or -errno. The kernel picks the address.
Napi::Value Mmap(const Napi::CallbackInfo& info) {
  Args a(info, 5);
  int fd = a.Int(0);
  int64_t offset = static_cast<int64_t>(a.Word(1));
  uint64_t length = a.Word(2);
  uint64_t prot = a.Word(3);
  bool shared = a.Bool(4);
  if (!a.ok()) return a.Fail();
  uint64_t addr = 0;
  long rc = gm_mmap(fd, offset, length, prot, shared, &addr);
  return rc < 0 ? Num(info.Env(), rc) : big(info.Env(), addr);
}

// (fd, offset, length, prot, flags, at) -> BigInt address, or -errno. The caller (ops-mapex.ts)
// has made sure a fixed mapping at `at` covers only memory the suite mapped.
Napi::Value MmapEx(const Napi::CallbackInfo& info) {
  Args a(info, 6);
  int fd = a.Int(0);
  int64_t offset = static_cast<int64_t>(a.Word(1));
  uint64_t length = a.Word(2);
  uint64_t prot = a.Word(3);
  uint64_t flags = a.Word(4);
  uint64_t at = a.Word(5);
  if (!a.ok()) return a.Fail();
  uint64_t addr = 0;
  long rc = gm_mmap_ex(fd, offset, length, prot, flags, at, &addr);
  return rc < 0 ? Num(info.Env(), rc) : big(info.Env(), addr);
}

// (addr, pages) -> boolean[] (bit 0 of each vector byte) or -errno.
Napi::Value Mincore(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 2);
  uint64_t addr = a.Word(0);
  uint64_t pages = a.Size(1, kMaxMincorePages);
  if (!a.ok()) return a.Fail();
  size_t mapped = 0;
  uint8_t* vec = gm_buf_take(pages, 0, &mapped);
  if (vec == nullptr) return fail(env, "mincore: no memory for the vector");
  long rc = gm_mincore(addr, pages, vec);
  Napi::Value out = Num(env, rc);
  if (rc >= 0) {
    Napi::Array arr = Napi::Array::New(env, pages);
    for (uint32_t i = 0; i < pages; i++) arr.Set(i, Napi::Boolean::New(env, (vec[i] & 1) != 0));
    out = arr;
  }
  gm_buf_give(vec, mapped);
  return out;
}

// (addr) -> is any VMA at this page? Keeps accesses outside a map's own range from touching memory
// the suite does not own.
Napi::Value PageMapped(const Napi::CallbackInfo& info) {
  Args a(info, 1);
  uint64_t addr = a.Word(0);
  if (!a.ok()) return a.Fail();
  return Napi::Boolean::New(info.Env(), gm_page_mapped(addr) != 0);
}

// [rc | -errno, first byte moved or -1].
Napi::Value CountFirst(Napi::Env env, long rc, int first) {
  Napi::Array arr = Napi::Array::New(env, 2);
  arr.Set(0u, Num(env, rc));
  arr.Set(1u, Napi::Number::New(env, first));
  return arr;
}

// (call, addr, len, own, value) -> [rc | -errno, first byte moved or -1] (gm_kernel_access_call:
// the calls of KERNEL_ACCESS_CALL; `own` is the part of the range the mapping under test holds).
Napi::Value KernelAccess(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 5);
  int call = a.IntIn(0, 0, 8);
  uint64_t addr = a.Word(1);
  uint64_t len = a.Size(2, kMaxBuffer);
  uint64_t own = a.Size(3, kMaxBuffer);
  uint8_t value = a.Byte(4);
  if (!a.ok()) return a.Fail();
  if (own > len) {
    Napi::RangeError::New(env, "kernelAccess: the own part is longer than the range").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int first = -1;
  long rc = gm_kernel_access_call(call, addr, len, own, value, &first);
  if (rc == GM_NO_PIPE) return fail(env, "kernelAccess: no pipe large enough (pipe2 or F_SETPIPE_SZ to 1 MiB failed)");
  return CountFirst(env, rc, first);
}

// (addr, op, value) -> rc | -errno.
Napi::Value Futex(const Napi::CallbackInfo& info) {
  Args a(info, 3);
  uint64_t addr = a.Word(0);
  int op = a.Int(1);
  uint32_t value = static_cast<uint32_t>(a.Int(2));
  if (!a.ok()) return a.Fail();
  return Num(info.Env(), gm_futex(addr, op, value));
}

// (dir) -> an O_DIRECT scratch fd (O_TMPFILE in dir) or -errno.
Napi::Value DioScratch(const Napi::CallbackInfo& info) {
  if (info.Length() != 1 || !info[0].IsString()) {
    Napi::TypeError::New(info.Env(), "dioScratch(dir: string)").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  std::string dir = info[0].As<Napi::String>().Utf8Value();
  return Num(info.Env(), gm_dio_scratch(dir.c_str()));
}

// (fd, addr, len, write, value) -> [rc | -errno, first byte moved or -1].
Napi::Value DirectIo(const Napi::CallbackInfo& info) {
  Args a(info, 5);
  int fd = a.Int(0);
  uint64_t addr = a.Word(1);
  uint64_t len = a.Size(2, kMaxBuffer);
  bool write = a.Bool(3);
  uint8_t value = a.Byte(4);
  if (!a.ok()) return a.Fail();
  int first = -1;
  long rc = gm_direct_io(fd, addr, len, write, value, &first);
  return CountFirst(info.Env(), rc, first);
}

// (addr, len) -> an io_uring ring fd with [addr, addr+len) registered, or -errno (gm_uring_pin).
Napi::Value UringPin(const Napi::CallbackInfo& info) {
  Args a(info, 2);
  uint64_t addr = a.Word(0);
  uint64_t len = a.Word(1);
  if (!a.ok()) return a.Fail();
  long rc = gm_uring_pin(addr, len);
  if (rc == GM_NO_RING) return fail(info.Env(), "pin: no io_uring ring (io_uring_setup failed: io_uring disabled, or 64 rings in use)");
  return Num(info.Env(), rc);
}

// (ring, addr, len) -> [rc | -errno, first byte or -1] (gm_uring_read: WRITE_FIXED into a scratch memfd).
Napi::Value UringRead(const Napi::CallbackInfo& info) {
  Args a(info, 3);
  int ring = a.Int(0);
  uint64_t addr = a.Word(1);
  uint64_t len = a.Size(2, kMaxBuffer);
  if (!a.ok()) return a.Fail();
  int first = -1;
  long rc = gm_uring_read(ring, addr, len, &first);
  if (rc == GM_NO_RING) return fail(info.Env(), "pinRead: the io_uring ring could not be mapped or no scratch memfd");
  return CountFirst(info.Env(), rc, first);
}

// (ring) -> 0 | -errno (gm_uring_unpin).
Napi::Value UringUnpin(const Napi::CallbackInfo& info) {
  Args a(info, 1);
  int ring = a.Int(0);
  if (!a.ok()) return a.Fail();
  return Num(info.Env(), gm_uring_unpin(ring));
}

// (addr, len) -> [count | -errno, read end, write end] (gm_splice_pin; the ends are -1 on failure).
Napi::Value SplicePin(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 2);
  uint64_t addr = a.Word(0);
  uint64_t len = a.Word(1);
  if (!a.ok()) return a.Fail();
  int fds[2] = {-1, -1};
  long rc = gm_splice_pin(addr, len, fds);
  if (rc == GM_NO_PIPE) return fail(env, "pin: no pipe large enough (pipe2 or F_SETPIPE_SZ to 1 MiB failed)");
  Napi::Array arr = Napi::Array::New(env, 3);
  arr.Set(0u, Num(env, rc));
  arr.Set(1u, Napi::Number::New(env, rc < 0 ? -1 : fds[0]));
  arr.Set(2u, Napi::Number::New(env, rc < 0 ? -1 : fds[1]));
  return arr;
}

// (fd, offset, len) -> [rc | -errno, first byte or -1] (gm_pipe_read).
Napi::Value PipeRead(const Napi::CallbackInfo& info) {
  Args a(info, 3);
  int fd = a.Int(0);
  uint64_t offset = a.Word(1);
  uint64_t len = a.Size(2, kMaxBuffer);
  if (!a.ok()) return a.Fail();
  int first = -1;
  long rc = gm_pipe_read(fd, offset, len, &first);
  return CountFirst(info.Env(), rc, first);
}

// (addr) -> [vma_start, vma_end] of the VMA covering or following addr; null if none; -errno if
// PROCMAP_QUERY is unavailable (the caller then reads /proc/self/maps).
Napi::Value NextVma(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 1);
  uint64_t addr = a.Word(0);
  if (!a.ok()) return a.Fail();
  uint64_t start = 0, end = 0;
  long rc = gm_next_vma(addr, &start, &end);
  if (rc <= 0) return rc == 0 ? env.Null() : Num(env, rc);
  Napi::Array arr = Napi::Array::New(env, 2);
  arr.Set(0u, big(env, start));
  arr.Set(1u, big(env, end));
  return arr;
}

}  // namespace

void InitMm(Napi::Env env, Napi::Object e) {
  e.Set("mmap", Napi::Function::New(env, Mmap));
  e.Set("mmapEx", Napi::Function::New(env, MmapEx));
  e.Set("mincore", Napi::Function::New(env, Mincore));
  e.Set("pageMapped", Napi::Function::New(env, PageMapped));
  e.Set("nextVma", Napi::Function::New(env, NextVma));
  e.Set("kernelAccess", Napi::Function::New(env, KernelAccess));
  e.Set("futex", Napi::Function::New(env, Futex));
  e.Set("dioScratch", Napi::Function::New(env, DioScratch));
  e.Set("directIo", Napi::Function::New(env, DirectIo));
  e.Set("uringPin", Napi::Function::New(env, UringPin));
  e.Set("uringRead", Napi::Function::New(env, UringRead));
  e.Set("uringUnpin", Napi::Function::New(env, UringUnpin));
  e.Set("splicePin", Napi::Function::New(env, SplicePin));
  e.Set("pipeRead", Napi::Function::New(env, PipeRead));
}

}  // namespace gm
