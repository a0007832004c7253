// N-API glue for the mapping wrappers of gm_sys.c: mmap (never MAP_FIXED), munmap, mprotect,
// madvise, mincore, the VMA queries the address-space guard uses, and kernel-side accesses through
// GUP (process_vm_readv/writev on our own pid).
#include "gm_sys.h"
#include "napi_util.h"

namespace gm {
namespace {

Napi::Value Num(Napi::Env env, long v) { return Napi::Number::New(env, static_cast<double>(v)); }

// (fd, offset, length, prot, shared) -> BigInt address, or -errno. The kernel picks the address.
Napi::Value Mmap(const Napi::CallbackInfo& info) {
  uint64_t addr = 0;
  long rc = gm_mmap(argInt(info, 0), argI64(info, 1), argU64(info, 2), argInt(info, 3), argBool(info, 4), &addr);
  return rc < 0 ? Num(info.Env(), rc) : big(info.Env(), addr);
}

Napi::Value Munmap(const Napi::CallbackInfo& info) { return Num(info.Env(), gm_munmap(argU64(info, 0), argU64(info, 1))); }
Napi::Value Mprotect(const Napi::CallbackInfo& info) { return Num(info.Env(), gm_mprotect(argU64(info, 0), argU64(info, 1), argInt(info, 2))); }
// (addr, len, advice number)
Napi::Value Madvise(const Napi::CallbackInfo& info) { return Num(info.Env(), gm_madvise(argU64(info, 0), argU64(info, 1), argInt(info, 2))); }

// (addr, pages) -> boolean[] (bit 0 of each vector byte) or -errno.
Napi::Value Mincore(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t pages = static_cast<uint32_t>(argInt(info, 1));
  size_t mapped = 0;
  uint8_t* vec = gm_buf_take(pages, 0, &mapped);
  if (vec == nullptr) return fail(env, "mincore: no memory for the vector");
  long rc = gm_mincore(argU64(info, 0), pages, vec);
  Napi::Value out = Num(env, rc);
  if (rc >= 0) {
    Napi::Array a = Napi::Array::New(env, pages);
    for (uint32_t i = 0; i < pages; i++) a.Set(i, Napi::Boolean::New(env, (vec[i] & 1) != 0));
    out = a;
  }
  gm_buf_give(vec, mapped);
  return out;
}

// (addr) -> is any VMA at this page?
Napi::Value PageMapped(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), gm_page_mapped(argU64(info, 0)) != 0); }

// (addr, len, write, value) -> [rc | -errno, first byte moved or -1]. Faults come back as EFAULT.
Napi::Value KernelAccess(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t len = argU64(info, 1);
  bool write = argBool(info, 2);
  size_t mapped = 0;
  uint8_t* buf = gm_buf_take(len, write ? static_cast<uint8_t>(argInt(info, 3)) : 0, &mapped);
  if (buf == nullptr) return fail(env, "kernelAccess: no memory for the local buffer");
  long rc = gm_kernel_access(argU64(info, 0), buf, len, write);
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, Num(env, rc));
  a.Set(1u, Napi::Number::New(env, rc > 0 ? buf[0] : -1));
  gm_buf_give(buf, mapped);
  return a;
}

// (addr) -> [vma_start, vma_end] of the VMA covering or following addr; null if none; -errno if
// PROCMAP_QUERY is unavailable (the caller then reads /proc/self/maps).
Napi::Value NextVma(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t start = 0, end = 0;
  long rc = gm_next_vma(argU64(info, 0), &start, &end);
  if (rc <= 0) return rc == 0 ? env.Null() : Num(env, rc);
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, big(env, start));
  a.Set(1u, big(env, end));
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
