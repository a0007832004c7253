// N-API glue for one-byte host loads/stores through a mapping (gm_guarded_access in gm_sys.c; the
// signal handler that turns faults into outcomes is in guard.cc).
#include "gm_sys.h"
#include "guard.h"
#include "napi_util.h"

namespace gm {

// The result shape shared with uffd.cc: the byte (Number) or [signo, si_code, si_addr].
Napi::Value AccessValue(Napi::Env env, const gm_access& r) {
  if (r.sig == 0) return Napi::Number::New(env, r.value);
  Napi::Array a = Napi::Array::New(env, 3);
  a.Set(0u, Napi::Number::New(env, r.sig));
  a.Set(1u, Napi::Number::New(env, r.code));
  a.Set(2u, big(env, r.addr));
  return a;
}

namespace {

// (addr, store, value)
Napi::Value Access(const Napi::CallbackInfo& info) {
  Args a(info, 3);
  uint8_t* p = reinterpret_cast<uint8_t*>(a.Word(0));
  bool store = a.Bool(1);
  uint8_t value = a.Byte(2);
  if (!a.ok()) return a.Fail();
  return AccessValue(info.Env(), gm_guarded_access(p, store, value));
}

Napi::Value ChainedCount(const Napi::CallbackInfo& info) {
  Args a(info, 0);
  if (!a.ok()) return a.Fail();
  return Napi::Number::New(info.Env(), static_cast<double>(GuardChainedCount()));
}

}  // namespace

void InitAccess(Napi::Env env, Napi::Object e) {
  GuardInstall();
  e.Set("access", Napi::Function::New(env, Access));
  e.Set("chainedCount", Napi::Function::New(env, ChainedCount));
}

}  // namespace gm
