// N-API glue for the NUMA mempolicy wrappers of gm_sys.c (raw syscalls: glibc has no wrappers and
// libnuma is not a dependency). Node sets are one unsigned long bitmask.
#include "gm_sys.h"
#include "napi_util.h"

namespace gm {
namespace {

Napi::Value Num(Napi::Env env, long v) { return Napi::Number::New(env, static_cast<double>(v)); }

// (addr, flags) -> [rc, mode-or-node, nodes]: flags MPOL_F_ADDR, or MPOL_F_ADDR | MPOL_F_NODE.
Napi::Value GetMempolicy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 2);
  uint64_t addr = a.Word(0);
  int flags = a.IntIn(1, 2, 3);
  if (!a.ok()) return a.Fail();
  int mode = -1;
  unsigned long nodes = 0;
  long rc = gm_get_mempolicy(addr, flags, &mode, &nodes);
  Napi::Array arr = Napi::Array::New(env, 3);
  arr.Set(0u, Num(env, rc));
  arr.Set(1u, Napi::Number::New(env, mode));
  arr.Set(2u, Napi::Number::New(env, static_cast<double>(nodes)));
  return arr;
}

}  // namespace

void InitMempolicy(Napi::Env env, Napi::Object e) {
  e.Set("getMempolicy", Napi::Function::New(env, GetMempolicy));
}

}  // namespace gm
