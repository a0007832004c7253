// N-API glue for the userfaultfd wrappers of gm_sys.c: create + UFFDIO_API, register/unregister,
// resolve ioctls, and a load/store that may block on a userfault (answered on this thread while a
// helper thread performs the access, as a uffd monitor would).
//
// Safety (issue 12): features whose events this single-reader design cannot serve are refused
// before a uffd exists; every wait is bounded and sleeps in poll(2) (gm_access_uffd); and a helper
// thread that stays blocked is never detached: its page is made PROT_NONE first, so whenever the
// access finally resumes it faults instead of storing, and the thread is kept here for ReapStuck()
// to join.
#include <cstdio>
#include <map>
#include <mutex>

#include "gm_sys.h"
#include "napi_util.h"

namespace gm {

Napi::Value AccessValue(Napi::Env env, const gm_access& r);  // access.cc

namespace {

Napi::Value Num(Napi::Env env, long v) { return Napi::Number::New(env, static_cast<double>(v)); }

// Helper threads that stayed blocked past every deadline, by id (gm_access_uffd's `stuck`). The
// map is never destroyed, so no static destructor runs while a thread may still be blocked.
std::mutex g_stuck_mu;
std::map<int, void*>* const g_stuck = new std::map<int, void*>();
int g_next_stuck = 1;

// (features) -> fd or -errno. A feature the kernel offers but this monitor cannot serve is a
// RangeError; a bit the kernel does not know goes through, and the kernel rejects it (EINVAL).
Napi::Value Create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 1);
  uint64_t features = a.Word(0);
  if (!a.ok()) return a.Fail();
  uint64_t unservable = gm_uffd_unservable(features);
  if (unservable != 0) {
    char msg[200];
    std::snprintf(msg, sizeof msg,
                  "uffd features 0x%llx cannot be served: their events (fork/remap/remove/unmap) would block the "
                  "thread that is also the only uffd reader",
                  static_cast<unsigned long long>(unservable));
    Napi::RangeError::New(env, msg).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Num(env, gm_uffd_create(features));
}

// (uffd, how, addr, len, fill) -> count or -errno: a resolve issued with no fault pending. The
// length is bounded like every buffer: a resolve populates (and COPY allocates) that much.
Napi::Value Resolve(const Napi::CallbackInfo& info) {
  Args a(info, 5);
  int uffd = a.Int(0);
  int how = a.IntIn(1, 0, 2);
  uint64_t addr = a.Word(2);
  uint64_t len = a.Size(3, kMaxBuffer);
  uint8_t fill = a.Byte(4);
  if (!a.ok()) return a.Fail();
  return Num(info.Env(), gm_uffd_resolve(uffd, how, addr, len, fill));
}

// (addr, store, value, uffd, how, fill, timeoutMs, regStart, regLen) ->
// { access?, flags?, address?, resolve?, unregStart?, unregLen?, timedOut?, protNone?, stuck? }
// stuck: the id of a helper thread still blocked (see ReapStuck); its page is PROT_NONE now.
Napi::Value AccessUffd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 9);
  uint8_t* p = reinterpret_cast<uint8_t*>(a.Word(0));
  bool store = a.Bool(1);
  uint8_t value = a.Byte(2);
  int uffd = a.Int(3);
  int how = a.IntIn(4, 0, 2);
  uint8_t fill = a.Byte(5);
  int timeoutMs = a.IntIn(6, 1, 600000);
  uint64_t regStart = a.Word(7), regLen = a.Word(8);
  if (!a.ok()) return a.Fail();
  gm_uffd_access r{};
  gm_access_uffd(p, store, value, uffd, how, fill, timeoutMs, regStart, regLen, &r);
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
  if (r.prot_none != 0) out.Set("protNone", big(env, r.prot_none));
  if (r.stuck != nullptr) {
    std::lock_guard<std::mutex> lock(g_stuck_mu);
    int id = g_next_stuck++;
    g_stuck->emplace(id, r.stuck);
    out.Set("stuck", Napi::Number::New(env, id));
  }
  return out;
}

// (id, waitMs) -> true once that stuck helper thread has finished and was joined (or is unknown).
Napi::Value ReapStuck(const Napi::CallbackInfo& info) {
  Args a(info, 2);
  int id = a.Int(0);
  int waitMs = a.IntIn(1, 0, 60000);
  if (!a.ok()) return a.Fail();
  std::unique_lock<std::mutex> lock(g_stuck_mu);
  auto it = g_stuck->find(id);
  if (it == g_stuck->end()) return Napi::Boolean::New(info.Env(), true);
  void* stuck = it->second;
  lock.unlock();
  if (!gm_uffd_reap(stuck, waitMs)) return Napi::Boolean::New(info.Env(), false);
  lock.lock();
  g_stuck->erase(id);
  return Napi::Boolean::New(info.Env(), true);
}

// () -> how many helper threads are still held as stuck (tests, soak).
Napi::Value StuckCount(const Napi::CallbackInfo& info) {
  Args a(info, 0);
  if (!a.ok()) return a.Fail();
  std::lock_guard<std::mutex> lock(g_stuck_mu);
  return Napi::Number::New(info.Env(), static_cast<double>(g_stuck->size()));
}

}  // namespace

void InitUffd(Napi::Env env, Napi::Object e) {
  e.Set("uffdCreate", Napi::Function::New(env, Create));
  e.Set("uffdResolve", Napi::Function::New(env, Resolve));
  e.Set("accessUffd", Napi::Function::New(env, AccessUffd));
  e.Set("reapStuck", Napi::Function::New(env, ReapStuck));
  e.Set("stuckCount", Napi::Function::New(env, StuckCount));
}

}  // namespace gm
