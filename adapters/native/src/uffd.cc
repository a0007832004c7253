// userfaultfd: create + UFFDIO_API, register/unregister, resolve ioctls, and a load/store that
// may block on a userfault. Such an access runs on a helper thread while this (the JS) thread
// polls the uffd and answers the fault, as a real uffd monitor would.
//
// Safety (issue 12): features whose events this single-reader design cannot serve are refused
// before a uffd exists; every wait is bounded and sleeps in poll(2) (an error or an unexpected
// event on the uffd stops it being polled instead of spinning); and a helper thread that stays
// blocked is never detached: its page is made PROT_NONE first, so whenever the access finally
// resumes it faults (and the guard catches it) instead of storing, and the thread is kept for
// ReapStuck() to join.
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "buf.h"
#include "guard.h"
#include "napi_util.h"
#include "uapi.h"

namespace gm {

Napi::Value AccessValue(Napi::Env env, const AccessResult& r);  // access.cc

namespace {

// The features this kernel offers (UFFDIO_API with 0 answers them all), or "everything" if that
// cannot be learnt, so that an unservable bit is still refused.
uint64_t KernelFeatures() {
  int fd = static_cast<int>(syscall(SYS_USERFAULTFD_, UFFD_USER_MODE_ONLY_ | O_CLOEXEC | O_NONBLOCK));
  if (fd < 0) return ~uint64_t{0};
  uffdio_api_ api{UFFD_API_, 0, 0};
  int rc = ioctl(fd, UFFDIO_API_, &api);
  close(fd);
  return rc < 0 ? ~uint64_t{0} : api.features;
}

// (features) -> fd or -errno. UFFD_USER_MODE_ONLY: only user-mode faults are handled, so kernel
// paths (GUP, process_vm_readv) on a registered range fail instead of blocking this thread. A
// feature the kernel offers but this monitor cannot serve is a RangeError; a bit the kernel does
// not know goes through, and the kernel rejects it (EINVAL) itself.
Napi::Value Create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Args a(info, 1);
  uint64_t features = a.Word(0);
  if (!a.ok()) return a.Fail();
  uint64_t unservable = features & KernelFeatures() & ~UFFD_FEATURES_SERVABLE_;
  if (unservable != 0) {
    char msg[200];
    std::snprintf(msg, sizeof msg,
                  "uffd features 0x%llx cannot be served: their events (fork/remap/remove/unmap) would block the "
                  "thread that is also the only uffd reader",
                  static_cast<unsigned long long>(unservable));
    Napi::RangeError::New(env, msg).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int fd = static_cast<int>(syscall(SYS_USERFAULTFD_, UFFD_USER_MODE_ONLY_ | O_CLOEXEC | O_NONBLOCK));
  if (fd < 0) return rcOrErrno(env, -1);
  uffdio_api_ api{UFFD_API_, features, 0};
  if (ioctl(fd, UFFDIO_API_, &api) < 0) {
    int e = errno;
    close(fd);
    return Napi::Number::New(env, -e);
  }
  return Napi::Number::New(env, fd);
}

// (uffd, start, len, mode)
Napi::Value Register(const Napi::CallbackInfo& info) {
  Args a(info, 4);
  int uffd = a.Int(0);
  uffdio_register_ r{{a.Word(1), a.Word(2)}, a.Word(3), 0};
  if (!a.ok()) return a.Fail();
  return rcOrErrno(info.Env(), ioctl(uffd, UFFDIO_REGISTER_, &r));
}

long Unregister(int uffd, uint64_t start, uint64_t len) {
  uffdio_range_ r{start, len};
  return ioctl(uffd, UFFDIO_UNREGISTER_, &r);
}

// Unregister, then wake whoever waits in the range. Measured here: after a MINOR fault answered
// with a failing COPY (EEXIST), UFFDIO_UNREGISTER alone left the access asleep forever, while a
// MISSING fault was woken (fs/userfaultfd.c userfaultfd_unregister wakes only MISSING-registered
// VMAs, as far as I read it). UFFDIO_WAKE (KR §1.8) wakes both. Found by soak.mjs.
long UnregisterAndWake(int uffd, uint64_t start, uint64_t len) {
  long rc = Unregister(uffd, start, len);
  uffdio_range_ r{start, len};
  ioctl(uffd, UFFDIO_WAKE_, &r);
  return rc;
}

Napi::Value UnregisterJs(const Napi::CallbackInfo& info) {
  Args a(info, 3);
  int uffd = a.Int(0);
  uint64_t start = a.Word(1), len = a.Word(2);
  if (!a.ok()) return a.Fail();
  return rcOrErrno(info.Env(), Unregister(uffd, start, len));
}

// how: 0 COPY, 1 CONTINUE, 2 ZEROPAGE. Returns the count the kernel reports, or -errno.
long Resolve(int uffd, int how, uint64_t dst, uint64_t len, uint8_t fill) {
  if (how == 0) {
    Buf src(len, fill);  // the COPY source: `len` bytes of `fill`
    if (!src.ok()) return -ENOMEM;  // our allocation, not the kernel's (MAP_NORESERVE: never seen)
    uffdio_copy_ c{dst, reinterpret_cast<uint64_t>(src.data()), len, 0, 0};
    return ioctl(uffd, UFFDIO_COPY_, &c) < 0 ? -errno : c.copy;
  }
  if (how == 1) {
    uffdio_continue_ c{{dst, len}, 0, 0};
    return ioctl(uffd, UFFDIO_CONTINUE_, &c) < 0 ? -errno : c.mapped;
  }
  uffdio_zeropage_ z{{dst, len}, 0, 0};
  return ioctl(uffd, UFFDIO_ZEROPAGE_, &z) < 0 ? -errno : z.zeropage;
}

// (uffd, how, addr, len, fill) -> count or -errno: a resolve issued with no fault pending. The
// length is bounded like every buffer: a resolve populates (and COPY allocates) that much.
Napi::Value ResolveJs(const Napi::CallbackInfo& info) {
  Args a(info, 5);
  int uffd = a.Int(0);
  int how = a.IntIn(1, 0, 2);
  uint64_t addr = a.Word(2);
  uint64_t len = a.Size(3, kMaxBuffer);
  uint8_t fill = a.Byte(4);
  if (!a.ok()) return a.Fail();
  return Napi::Number::New(info.Env(), static_cast<double>(Resolve(uffd, how, addr, len, fill)));
}

// State shared with the helper thread; heap-owned so it outlives whichever side finishes last.
struct Shared {
  AccessResult result{};
  int doneFd = -1;
  ~Shared() { if (doneFd >= 0) close(doneFd); }
};

// Helper threads that stayed blocked past every deadline, by id. Never detached: ReapStuck()
// joins one once it has finished. The map is never destroyed (a joinable std::thread in a static
// destructor would terminate the process at exit).
struct StuckThread {
  std::thread thread;
  std::shared_ptr<Shared> sh;
};
std::mutex g_stuck_mu;
std::map<int, StuckThread>* const g_stuck = new std::map<int, StuckThread>();
int g_next_stuck = 1;

bool WaitDone(int doneFd, int ms) {
  pollfd p{doneFd, POLLIN, 0};
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    int n = poll(&p, 1, left > 0 ? static_cast<int>(left) : 0);
    if (n > 0) return true;
    if (n == 0 || errno != EINTR) return false;
  }
}

int Millis(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

// (addr, store, value, uffd, how, fill, timeoutMs, regStart, regLen) ->
// { access?, flags?, address?, resolve?, unregStart?, unregLen?, timedOut?, stuck? }
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

  auto sh = std::make_shared<Shared>();
  sh->doneFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (sh->doneFd < 0) return rcOrErrno(env, -1);
  std::thread worker([sh, p, store, value] {
    sh->result = GuardedAccess(p, store, value);
    uint64_t one = 1;
    (void)!write(sh->doneFd, &one, sizeof one);
  });

  Napi::Object out = Napi::Object::New(env);
  bool done = false, haveEvent = false, timedOut = false;
  // The uffd is polled until it misbehaves (POLLERR/HUP/NVAL, a failed read, a flood of events
  // that are not page faults); after that only the completion and the deadline are waited for.
  bool polling = true;
  int events = 0, strays = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (!done) {
    if (std::chrono::steady_clock::now() >= deadline) {
      if (timedOut) break;
      // Nobody answered in time: unregister the whole range to wake the access, then give it one
      // more (short) while. The op then fails with TargetTimeoutError.
      UnregisterAndWake(uffd, regStart, regLen);
      out.Set("unregStart", big(env, regStart));
      out.Set("unregLen", big(env, regLen));
      out.Set("timedOut", Napi::Boolean::New(env, true));
      timedOut = true;
      polling = false;
      deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs < 1000 ? timeoutMs : 1000);
      continue;
    }
    pollfd fds[2] = {{sh->doneFd, POLLIN, 0}, {uffd, POLLIN, 0}};
    int n = poll(fds, polling ? 2 : 1, Millis(deadline));
    if (n < 0) {
      if (errno == EINTR) continue;
      polling = false;  // cannot poll the uffd: wait for the deadline on the completion alone
      continue;
    }
    if (fds[0].revents & POLLIN) { done = true; break; }
    if (!polling || n == 0) continue;
    if (fds[1].revents & (POLLERR | POLLHUP | POLLNVAL)) { polling = false; continue; }
    if (!(fds[1].revents & POLLIN)) continue;
    uffd_msg_ m;
    ssize_t r = read(uffd, &m, sizeof m);
    if (r != static_cast<ssize_t>(sizeof m)) {
      if (!(r < 0 && errno == EAGAIN) || ++strays > 64) polling = false;
      continue;
    }
    if (m.event != UFFD_EVENT_PAGEFAULT_) {  // not expected: the event features are refused
      if (++strays > 64) polling = false;
      continue;
    }
    uint64_t page = m.address & ~(PAGE - 1);
    long rc = Resolve(uffd, how, page, PAGE, fill);
    if (!haveEvent) {  // report the first fault and how its resolve went
      haveEvent = true;
      out.Set("flags", big(env, m.flags));
      out.Set("address", big(env, page));
      out.Set("resolve", Napi::Number::New(env, static_cast<double>(rc)));
    }
    // A failed resolve leaves the access blocked: unregistering the faulting page wakes it, and
    // it then finishes as it would without uffd (spec/README.md "Userfaults"). Also give up on
    // the page if the access keeps faulting (never expected).
    if (rc < 0 || ++events > 8) {
      UnregisterAndWake(uffd, page, PAGE);
      out.Set("unregStart", big(env, page));
      out.Set("unregLen", big(env, PAGE));
    }
  }
  if (!done) {
    // Still blocked after unregister + wake. Make its page inaccessible, so that whenever the
    // access resumes (another wake, the uffd's close) it faults instead of storing into memory
    // that may by then belong to someone else, and wake it once more.
    uint64_t page = reinterpret_cast<uint64_t>(p) & ~(PAGE - 1);
    mprotect(reinterpret_cast<void*>(page), PAGE, PROT_NONE);
    uffdio_range_ r{page, PAGE};
    ioctl(uffd, UFFDIO_WAKE_, &r);
    done = WaitDone(sh->doneFd, 100);
    out.Set("protNone", big(env, page));
  }
  if (done) {
    worker.join();
    out.Set("access", AccessValue(env, sh->result));
  } else {
    std::lock_guard<std::mutex> lock(g_stuck_mu);
    int id = g_next_stuck++;
    g_stuck->emplace(id, StuckThread{std::move(worker), sh});
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
  int fd = it->second.sh->doneFd;
  lock.unlock();
  bool finished = WaitDone(fd, waitMs);
  if (!finished) return Napi::Boolean::New(info.Env(), false);
  lock.lock();
  it = g_stuck->find(id);
  if (it != g_stuck->end()) {
    it->second.thread.join();
    g_stuck->erase(it);
  }
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
  e.Set("uffdRegister", Napi::Function::New(env, Register));
  e.Set("uffdUnregister", Napi::Function::New(env, UnregisterJs));
  e.Set("uffdResolve", Napi::Function::New(env, ResolveJs));
  e.Set("accessUffd", Napi::Function::New(env, AccessUffd));
  e.Set("reapStuck", Napi::Function::New(env, ReapStuck));
  e.Set("stuckCount", Napi::Function::New(env, StuckCount));
}

}  // namespace gm
