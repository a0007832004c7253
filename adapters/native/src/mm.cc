// N-API glue for the mapping wrappers of gm_sys.c with out-parameters or buffers: mmap (never
// MAP_FIXED), mincore, the VMA queries the address-space guard uses, and kernel-side accesses through
// GUP (process_vm_readv/writev on our own pid); munmap, mprotect and madvise are exports.cc's. Arguments are checked by Args (napi_util.h).
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
  int prot = a.Int(3);
  bool shared = a.Bool(4);
  if (!a.ok()) return a.Fail();
  uint64_t addr = 0;
  long rc = gm_mmap(fd, offset, length, prot, shared, &addr);
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

// (addr, len, write, value) -> [rc | -errno, first byte moved or -1]. Faults come back as EFAULT.
Napi::Value KernelAccess(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 4);
  uint64_t addr = a.Word(0);
  uint64_t len = a.Size(1, kMaxBuffer);
  bool write = a.Bool(2);
  uint8_t value = a.Byte(3);
  if (!a.ok()) return a.Fail();
  size_t mapped = 0;
  uint8_t* buf = gm_buf_take(len, write ? value : 0, &mapped);
  if (buf == nullptr) return fail(env, "kernelAccess: no memory for the local buffer");
  long rc = gm_kernel_access(addr, buf, len, write);
  Napi::Array arr = Napi::Array::New(env, 2);
  arr.Set(0u, Num(env, rc));
  arr.Set(1u, Napi::Number::New(env, rc > 0 ? buf[0] : -1));
  gm_buf_give(buf, mapped);
  return arr;
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
  e.Set("mincore", Napi::Function::New(env, Mincore));
  e.Set("pageMapped", Napi::Function::New(env, PageMapped));
  e.Set("nextVma", Napi::Function::New(env, NextVma));
  e.Set("kernelAccess", Napi::Function::New(env, KernelAccess));
}

}  // namespace gm
