// N-API glue for the NUMA mempolicy wrappers of gm_sys.c (raw syscalls: glibc has no wrappers and
// libnuma is not a dependency). Node sets are one unsigned long bitmask.
#include "gm_sys.h"
#include "napi_util.h"

namespace gm {
namespace {

Napi::Value Num(Napi::Env env, long v) { return Napi::Number::New(env, static_cast<double>(v)); }

// (addr, len, mode, nodes, flags)
Napi::Value Mbind(const Napi::CallbackInfo& info) {
  Args a(info, 5);
  uint64_t addr = a.Word(0), len = a.Word(1);
  int mode = a.Int(2);
  unsigned long nodes = a.Word(3);
  unsigned flags = static_cast<unsigned>(a.Int(4));
  if (!a.ok()) return a.Fail();
  return Num(info.Env(), gm_mbind(addr, len, mode, nodes, flags));
}

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

// (mode, nodes): the calling thread's policy (the target resets it to DEFAULT on close()).
Napi::Value SetMempolicy(const Napi::CallbackInfo& info) {
  Args a(info, 2);
  int mode = a.Int(0);
  unsigned long nodes = a.Word(1);
  if (!a.ok()) return a.Fail();
  return Num(info.Env(), gm_set_mempolicy(mode, nodes));
}

}  // namespace

void InitMempolicy(Napi::Env env, Napi::Object e) {
  e.Set("mbind", Napi::Function::New(env, Mbind));
  e.Set("getMempolicy", Napi::Function::New(env, GetMempolicy));
  e.Set("setMempolicy", Napi::Function::New(env, SetMempolicy));
}

}  // namespace gm
