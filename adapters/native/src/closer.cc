// Closing VM fds off the JS thread. Destroying a VM waits for RCU/SRCU grace periods
// (mmu_notifier_unregister, the TDP MMU's teardown), which under emulation (`gmemcheck vm`,
// TCG) took ~14 ms per VM, more than the rest of a typical sequence. A target instance hands its
// VM fds to one long-lived closer thread and returns; the kernel tears the VMs down meanwhile.
// The fds stay open (so their numbers cannot be reused) until the closer closes them; nothing a
// later target instance does depends on an old VM being gone. closeSettle() waits for the queue
// to drain (tests that count fds). The queue is bounded: a producer faster than the kernel waits.
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "napi_util.h"

namespace gm {
namespace {

constexpr size_t kMaxPending = 64;

// Heap-owned and never freed: the closer thread may still run when the addon's statics are
// destroyed at process exit.
struct Closer {
  std::mutex mu;
  std::condition_variable changed;
  std::deque<int> pending;
  size_t busy = 0;
  bool started = false;
};
Closer* g_closer = new Closer();

void closerLoop(Closer* c) {
  std::unique_lock<std::mutex> lock(c->mu);
  for (;;) {
    c->changed.wait(lock, [c] { return !c->pending.empty(); });
    int fd = c->pending.front();
    c->pending.pop_front();
    c->busy++;
    lock.unlock();
    close(fd);
    lock.lock();
    c->busy--;
    c->changed.notify_all();
  }
}

// (fds: number[]) -> how many were queued. Non-negative integers only; others are ignored.
Napi::Value CloseAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsArray()) return fail(env, "closeAsync(fds): an array of fds expected");
  Napi::Array a = info[0].As<Napi::Array>();
  uint32_t queued = 0;
  std::unique_lock<std::mutex> lock(g_closer->mu);
  if (!g_closer->started) {
    std::thread(closerLoop, g_closer).detach();
    g_closer->started = true;
  }
  for (uint32_t i = 0; i < a.Length(); i++) {
    Napi::Value v = a.Get(i);
    if (!v.IsNumber()) continue;
    int fd = v.As<Napi::Number>().Int32Value();
    if (fd < 0) continue;
    g_closer->changed.wait(lock, [] { return g_closer->pending.size() < kMaxPending; });
    g_closer->pending.push_back(fd);
    queued++;
    g_closer->changed.notify_all();
  }
  return Napi::Number::New(env, queued);
}

// () -> 0 once every queued fd is closed.
Napi::Value CloseSettle(const Napi::CallbackInfo& info) {
  std::unique_lock<std::mutex> lock(g_closer->mu);
  g_closer->changed.wait(lock, [] { return g_closer->pending.empty() && g_closer->busy == 0; });
  return Napi::Number::New(info.Env(), 0);
}

}  // namespace

void InitCloser(Napi::Env env, Napi::Object e) {
  e.Set("closeAsync", Napi::Function::New(env, CloseAsync));
  e.Set("closeSettle", Napi::Function::New(env, CloseSettle));
}

}  // namespace gm
