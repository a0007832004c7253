// N-API glue of the NUMA wrappers of gm_sys.c that fill out-parameters (issue 15): get_mempolicy
// with its whole unsigned long flags word, and one numa_maps line.
#include "gm_sys.h"
#include "napi_util.h"

namespace gm {
namespace {

// (addr u64, flags u64) -> [rc, mode-or-node, nodes]
Napi::Value GetMempolicyFlags(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 2);
  uint64_t addr = a.Word(0);
  uint64_t flags = a.Word(1);
  if (!a.ok()) return a.Fail();
  int mode = -1;
  unsigned long nodes = 0;
  long rc = gm_get_mempolicy_flags(addr, flags, &mode, &nodes);
  Napi::Array arr = Napi::Array::New(env, 3);
  arr.Set(0u, Napi::Number::New(env, static_cast<double>(rc)));
  arr.Set(1u, Napi::Number::New(env, mode));
  arr.Set(2u, big(env, nodes));
  return arr;
}

// (addr u64) -> -errno | 0 (no VMA holds addr) | [start, policy, file, pages, anon, n0]
Napi::Value NumaMaps(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 1);
  uint64_t addr = a.Word(0);
  if (!a.ok()) return a.Fail();
  struct gm_numa_maps n;
  long rc = gm_numa_maps(addr, &n);
  if (rc <= 0) return Napi::Number::New(env, static_cast<double>(rc));
  Napi::Array r = Napi::Array::New(env, 6);
  r.Set(0u, Napi::BigInt::New(env, n.start));
  r.Set(1u, Napi::String::New(env, n.policy));
  r.Set(2u, Napi::String::New(env, n.file));
  r.Set(3u, Napi::Number::New(env, static_cast<double>(n.pages)));
  r.Set(4u, Napi::Number::New(env, static_cast<double>(n.anon)));
  r.Set(5u, Napi::Number::New(env, static_cast<double>(n.n0)));
  return r;
}

}  // namespace

void InitNuma(Napi::Env env, Napi::Object e) {
  e.Set("getMempolicyFlags", Napi::Function::New(env, GetMempolicyFlags));
  e.Set("numaMaps", Napi::Function::New(env, NumaMaps));
}

}  // namespace gm
