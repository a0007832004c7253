// N-API glue of gm_kvm_stats (issue 15, round 5): KVM_GET_STATS_FD and what its file holds.
#include "gm_sys.h"
#include "napi_util.h"

namespace gm {
namespace {

// (fd, at 0..3, wcall 0..1) -> -errno | [id, layout, has bits, pages_4k (-1 absent), pages_2m + pages_1g (-1 absent), readAt, write]
Napi::Value KvmStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 3);
  int fd = a.Int(0), at = a.Int(1), wcall = a.Int(2);
  if (!a.ok()) return a.Fail();
  if (at < 0 || at > 3 || wcall < 0 || wcall > 1) return Napi::Number::New(env, static_cast<double>(GM_BAD_ARG));
  struct gm_kstats out;
  long rc = gm_kvm_stats(fd, at, wcall, &out);
  if (rc < 0) return Napi::Number::New(env, static_cast<double>(rc));
  out.id[sizeof out.id - 1] = 0;
  out.layout[sizeof out.layout - 1] = 0;
  Napi::Array r = Napi::Array::New(env, 7);
  r.Set(0u, Napi::String::New(env, out.id));
  r.Set(1u, Napi::String::New(env, out.layout));
  r.Set(2u, Napi::Number::New(env, static_cast<double>(out.has)));
  r.Set(3u, Napi::Number::New(env, static_cast<double>(out.pages_small)));
  r.Set(4u, Napi::Number::New(env, static_cast<double>(out.pages_huge)));
  r.Set(5u, Napi::Number::New(env, static_cast<double>(out.read_at)));
  r.Set(6u, Napi::Number::New(env, static_cast<double>(out.write_rc)));
  return r;
}

}  // namespace

void InitKstats(Napi::Env env, Napi::Object e) {
  e.Set("kvmStats", Napi::Function::New(env, KvmStats));
}

}  // namespace gm
