// N-API glue for the userfaultfd wrappers of gm_sys.c: create + UFFDIO_API, register/unregister,
// resolve ioctls, and a load/store that may block on a userfault (answered on this thread while
// a helper thread performs the access, as a uffd monitor would).
#include "gm_sys.h"
#include "napi_util.h"

namespace gm {

Napi::Value AccessValue(Napi::Env env, const gm_access& r);  // access.cc

namespace {

Napi::Value Num(Napi::Env env, long v) { return Napi::Number::New(env, static_cast<double>(v)); }

// (features) -> fd or -errno
Napi::Value Create(const Napi::CallbackInfo& info) { return Num(info.Env(), gm_uffd_create(argU64(info, 0))); }

// (uffd, start, len, mode)
Napi::Value Register(const Napi::CallbackInfo& info) {
  return Num(info.Env(), gm_uffd_register(argInt(info, 0), argU64(info, 1), argU64(info, 2), argU64(info, 3)));
}

Napi::Value Unregister(const Napi::CallbackInfo& info) {
  return Num(info.Env(), gm_uffd_unregister(argInt(info, 0), argU64(info, 1), argU64(info, 2)));
}

// (uffd, how, addr, len, fill) -> count or -errno: a resolve issued with no fault pending.
Napi::Value Resolve(const Napi::CallbackInfo& info) {
  return Num(info.Env(), gm_uffd_resolve(argInt(info, 0), argInt(info, 1), argU64(info, 2), argU64(info, 3), static_cast<uint8_t>(argInt(info, 4))));
}

// (addr, store, value, uffd, how, fill, timeoutMs, regStart, regLen) ->
// { access?, flags?, address?, resolve?, unregStart?, unregLen?, timedOut?, stuck? }
Napi::Value AccessUffd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  gm_uffd_access r{};
  gm_access_uffd(reinterpret_cast<uint8_t*>(argU64(info, 0)), argBool(info, 1), static_cast<uint8_t>(argInt(info, 2)), argInt(info, 3),
                 argInt(info, 4), static_cast<uint8_t>(argInt(info, 5)), argInt(info, 6), argU64(info, 7), argU64(info, 8), &r);
  Napi::Object out = Napi::Object::New(env);
  if (r.done) out.Set("access", AccessValue(env, r.access));
  if (r.have_event) {
    out.Set("flags", big(env, r.flags));
    out.Set("address", big(env, r.page));
    out.Set("resolve", Num(env, r.resolve));
  }
  if (r.unreg_len != 0) {
    out.Set("unregStart", big(env, r.unreg_start));
    out.Set("unregLen", big(env, r.unreg_len));
  }
  if (r.timed_out) out.Set("timedOut", Napi::Boolean::New(env, true));
  if (r.stuck) out.Set("stuck", Napi::Boolean::New(env, true));
  return out;
}

}  // namespace

void InitUffd(Napi::Env env, Napi::Object e) {
  e.Set("uffdCreate", Napi::Function::New(env, Create));
  e.Set("uffdRegister", Napi::Function::New(env, Register));
  e.Set("uffdUnregister", Napi::Function::New(env, Unregister));
  e.Set("uffdResolve", Napi::Function::New(env, Resolve));
  e.Set("accessUffd", Napi::Function::New(env, AccessUffd));
}

}  // namespace gm
