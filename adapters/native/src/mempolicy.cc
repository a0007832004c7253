// N-API glue for the NUMA mempolicy wrappers of gm_sys.c (raw syscalls: glibc has no wrappers and
// libnuma is not a dependency). Node sets are one unsigned long bitmask.
#include "gm_sys.h"
#include "napi_util.h"

namespace gm {
namespace {

// (addr, len, mode, nodes, flags)
Napi::Value Mbind(const Napi::CallbackInfo& info) {
  long rc = gm_mbind(argU64(info, 0), argU64(info, 1), argInt(info, 2), argU64(info, 3), static_cast<unsigned>(argInt(info, 4)));
  return Napi::Number::New(info.Env(), static_cast<double>(rc));
}

// (addr, flags) -> [rc, mode-or-node, nodes]: MPOL_F_ADDR, plus MPOL_F_NODE for the node query.
Napi::Value GetMempolicy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int mode = -1;
  unsigned long nodes = 0;
  long rc = gm_get_mempolicy(argU64(info, 0), argInt(info, 1), &mode, &nodes);
  Napi::Array a = Napi::Array::New(env, 3);
  a.Set(0u, Napi::Number::New(env, static_cast<double>(rc)));
  a.Set(1u, Napi::Number::New(env, mode));
  a.Set(2u, Napi::Number::New(env, static_cast<double>(nodes)));
  return a;
}

// (mode, nodes): the calling thread's policy (the target resets it to DEFAULT on close()).
Napi::Value SetMempolicy(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(gm_set_mempolicy(argInt(info, 0), argU64(info, 1))));
}

}  // namespace

void InitMempolicy(Napi::Env env, Napi::Object e) {
  e.Set("mbind", Napi::Function::New(env, Mbind));
  e.Set("getMempolicy", Napi::Function::New(env, GetMempolicy));
  e.Set("setMempolicy", Napi::Function::New(env, SetMempolicy));
}

}  // namespace gm
