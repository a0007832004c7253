// N-API glue for gm_par.c: runs a parallel case's branches on threads and returns what each op
// observed. Every argument is checked (Args, plus the nesting of the op arrays) before a thread
// starts. A run whose threads stay blocked past every deadline is kept by id (never freed while a
// thread may still touch it) for ParReap to join, like a stuck userfault helper (uffd.cc).
#include <map>
#include <mutex>
#include <new>

#include "gm_par.h"
#include "napi_util.h"

namespace gm {

Napi::Value AccessValue(Napi::Env env, const gm_access& r);  // access.cc

namespace {

std::mutex g_runs_mu;
std::map<int, gm_par_run*>* const g_stuck_runs = new std::map<int, gm_par_run*>();
int g_next_run = 1;

Napi::Value Num(Napi::Env env, long v) { return Napi::Number::New(env, static_cast<double>(v)); }

Napi::Value Bad(Napi::Env env, bool range, const char* why) {
  if (range) Napi::RangeError::New(env, why).ThrowAsJavaScriptException();
  else Napi::TypeError::New(env, why).ThrowAsJavaScriptException();
  return env.Undefined();
}

// A 64-bit word from a BigInt or a safe-integer Number (as Args::Word), or false.
bool Word(Napi::Value v, uint64_t* out) {
  if (v.IsBigInt()) {
    bool lossless = false;
    int64_t s = v.As<Napi::BigInt>().Int64Value(&lossless);
    if (lossless) { *out = static_cast<uint64_t>(s); return true; }
    *out = v.As<Napi::BigInt>().Uint64Value(&lossless);
    return lossless;
  }
  if (!v.IsNumber()) return false;
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d == static_cast<double>(static_cast<int64_t>(d))) || d > 9007199254740992.0 || d < -9007199254740992.0) return false;
  *out = static_cast<uint64_t>(static_cast<int64_t>(d));
  return true;
}

// branches: [[code, a0..a5] ...] per branch. Returns an error message, or nullptr.
const char* ReadOps(Napi::Value v, gm_par_run* r) {
  if (!v.IsArray()) return "argument 0: not an Array of branches";
  Napi::Array bs = v.As<Napi::Array>();
  if (bs.Length() < 1 || bs.Length() > GM_PAR_MAX_BRANCHES) return "argument 0: 1 to 3 branches";
  r->nbranches = static_cast<int>(bs.Length());
  for (uint32_t b = 0; b < bs.Length(); b++) {
    Napi::Value bv = bs.Get(b);
    if (!bv.IsArray()) return "argument 0: a branch that is not an Array";
    Napi::Array ops = bv.As<Napi::Array>();
    if (ops.Length() < 1 || ops.Length() > GM_PAR_MAX_OPS) return "argument 0: a branch holds 1 to 4 ops";
    r->nops[b] = static_cast<int>(ops.Length());
    for (uint32_t i = 0; i < ops.Length(); i++) {
      Napi::Value ov = ops.Get(i);
      if (!ov.IsArray() || ov.As<Napi::Array>().Length() != 7) return "argument 0: an op that is not [code, a0..a5]";
      Napi::Array op = ov.As<Napi::Array>();
      uint64_t code = 0;
      if (!Word(op.Get(0u), &code) || code > GM_PAR_CONVERT) return "argument 0: an op code out of range";
      r->ops[b][i].code = static_cast<int>(code);
      for (uint32_t k = 0; k < 6; k++) {
        if (!Word(op.Get(k + 1), &r->ops[b][i].a[k])) return "argument 0: an op argument that is not a 64-bit integer";
      }
    }
  }
  return nullptr;
}

const char* ReadInts(Napi::Value v, int* out, int* n, int max) {
  if (!v.IsArray()) return "argument 1: not an Array of uffd fds";
  Napi::Array a = v.As<Napi::Array>();
  if (a.Length() > static_cast<uint32_t>(max)) return "argument 1: too many uffds";
  for (uint32_t i = 0; i < a.Length(); i++) {
    uint64_t w = 0;
    if (!Word(a.Get(i), &w) || static_cast<int64_t>(w) < -1 || static_cast<int64_t>(w) > 2147483647) return "argument 1: a uffd fd out of range";
    out[i] = static_cast<int>(static_cast<int64_t>(w));
  }
  *n = static_cast<int>(a.Length());
  return nullptr;
}

const char* ReadRanges(Napi::Value v, gm_par_run* r) {
  if (!v.IsArray()) return "argument 2: not an Array of [start, len]";
  Napi::Array a = v.As<Napi::Array>();
  if (a.Length() > GM_PAR_MAX_RANGES) return "argument 2: too many ranges";
  for (uint32_t i = 0; i < a.Length(); i++) {
    Napi::Value e = a.Get(i);
    if (!e.IsArray() || e.As<Napi::Array>().Length() != 2) return "argument 2: a range that is not [start, len]";
    if (!Word(e.As<Napi::Array>().Get(0u), &r->ranges[i][0]) || !Word(e.As<Napi::Array>().Get(1u), &r->ranges[i][1])) return "argument 2: a range word out of range";
  }
  r->nranges = static_cast<int>(a.Length());
  return nullptr;
}

Napi::Value Result(Napi::Env env, const gm_par_res& x) {
  Napi::Array a = Napi::Array::New(env, 8);
  a.Set(0u, Num(env, x.rc));
  a.Set(1u, big(env, x.v[0]));
  a.Set(2u, big(env, x.v[1]));
  a.Set(3u, big(env, x.v[2]));
  a.Set(4u, big(env, static_cast<uint64_t>(x.t0)));
  a.Set(5u, big(env, static_cast<uint64_t>(x.t1)));
  a.Set(6u, AccessValue(env, x.access));
  if (x.have_event) {
    Napi::Array e = Napi::Array::New(env, 4);
    e.Set(0u, big(env, x.flags));
    e.Set(1u, big(env, x.page));
    e.Set(2u, Num(env, x.resolve));
    e.Set(3u, Num(env, x.events));
    a.Set(7u, e);
  } else {
    a.Set(7u, env.Null());
  }
  return a;
}

// (branches, uffds, ranges, timeoutMs) -> { results, wallNs, timedOut } | { stuck: id, timedOut }
Napi::Value ParRun(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 4) return Bad(env, false, "expected 4 arguments");
  Args a(info, 4);
  int timeout = a.IntIn(3, 1, 600000);
  if (!a.ok()) return a.Fail();
  gm_par_run* r = new (std::nothrow) gm_par_run();
  if (r == nullptr) return fail(env, "parRun: no memory");
  const char* why = ReadOps(info[0], r);
  if (why == nullptr) why = ReadInts(info[1], r->uffds, &r->nuffds, GM_PAR_MAX_UFFDS);
  if (why == nullptr) why = ReadRanges(info[2], r);
  if (why != nullptr) {
    delete r;
    return Bad(env, true, why);
  }
  r->timeout_ms = timeout;
  int rc = gm_par_go(r);
  if (rc < 0) {
    delete r;
    return fail(env, "parRun: cannot start the branch threads");
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("timedOut", Napi::Boolean::New(env, r->timed_out != 0));
  if (rc == 1) {
    std::lock_guard<std::mutex> lock(g_runs_mu);
    int id = g_next_run++;
    g_stuck_runs->emplace(id, r);
    out.Set("stuck", Napi::Number::New(env, id));
    return out;
  }
  Napi::Array results = Napi::Array::New(env, r->nbranches);
  for (int b = 0; b < r->nbranches; b++) {
    Napi::Array ops = Napi::Array::New(env, r->nops[b]);
    for (int i = 0; i < r->nops[b]; i++) ops.Set(static_cast<uint32_t>(i), Result(env, r->res[b][i]));
    results.Set(static_cast<uint32_t>(b), ops);
  }
  out.Set("results", results);
  out.Set("wallNs", big(env, static_cast<uint64_t>(r->wall_ns)));
  delete r;
  return out;
}

// (id, waitMs) -> true once that stuck run's threads have ended and were joined (or it is unknown).
Napi::Value ParReap(const Napi::CallbackInfo& info) {
  Args a(info, 2);
  int id = a.Int(0);
  int waitMs = a.IntIn(1, 0, 60000);
  if (!a.ok()) return a.Fail();
  gm_par_run* r = nullptr;
  {
    std::lock_guard<std::mutex> lock(g_runs_mu);
    auto it = g_stuck_runs->find(id);
    if (it == g_stuck_runs->end()) return Napi::Boolean::New(info.Env(), true);
    r = it->second;
  }
  if (!gm_par_reap(r, waitMs)) return Napi::Boolean::New(info.Env(), false);
  std::lock_guard<std::mutex> lock(g_runs_mu);
  g_stuck_runs->erase(id);
  delete r;
  return Napi::Boolean::New(info.Env(), true);
}

}  // namespace

void InitPar(Napi::Env env, Napi::Object e) {
  e.Set("parRun", Napi::Function::New(env, ParRun));
  e.Set("parReap", Napi::Function::New(env, ParReap));
}

}  // namespace gm
