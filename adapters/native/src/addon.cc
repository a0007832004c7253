// Entry point of gmemcheck_native.node: registers every op family on the exports object.
#include "napi_util.h"

namespace gm {

// guest.cc, closer.cc, shared.cc, numa.cc (declared here rather than in napi_util.h: it is the only caller).
void InitGuest(Napi::Env env, Napi::Object exports);
void InitCloser(Napi::Env env, Napi::Object exports);
void InitShared(Napi::Env env, Napi::Object exports);
void InitNuma(Napi::Env env, Napi::Object exports);

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  InitKvm(env, exports);
  InitFile(env, exports);
  InitMm(env, exports);
  InitMempolicy(env, exports);
  InitUffd(env, exports);
  InitAccess(env, exports);
  InitFdIo(env, exports);
  InitObserve(env, exports);
  InitProcobs(env, exports);
  InitKstats(env, exports);
  InitPar(env, exports);
  InitGuest(env, exports);
  InitCloser(env, exports);
  InitShared(env, exports);
  InitNuma(env, exports);
  InitExports(env, exports);
  return exports;
}

}  // namespace gm

static Napi::Object InitAll(Napi::Env env, Napi::Object exports) { return gm::Init(env, exports); }

NODE_API_MODULE(gmemcheck_native, InitAll)
