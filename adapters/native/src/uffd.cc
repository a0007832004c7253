// userfaultfd: create + UFFDIO_API, register/unregister, resolve ioctls, and a load/store that
// may block on a userfault. Such an access runs on a helper thread while this (the JS) thread
// polls the uffd and answers the fault, as a real uffd monitor would.
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <thread>

#include "buf.h"
#include "guard.h"
#include "napi_util.h"
#include "uapi.h"

namespace gm {

Napi::Value AccessValue(Napi::Env env, const AccessResult& r);  // access.cc

namespace {

// (features) -> fd or -errno. UFFD_USER_MODE_ONLY: only user-mode faults are handled, so kernel
// paths (GUP, process_vm_readv) on a registered range fail instead of blocking this thread.
Napi::Value Create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = static_cast<int>(syscall(SYS_USERFAULTFD_, UFFD_USER_MODE_ONLY_ | O_CLOEXEC | O_NONBLOCK));
  if (fd < 0) return rcOrErrno(env, -1);
  uffdio_api_ api{UFFD_API_, argU64(info, 0), 0};
  if (ioctl(fd, UFFDIO_API_, &api) < 0) {
    int e = errno;
    close(fd);
    return Napi::Number::New(env, -e);
  }
  return Napi::Number::New(env, fd);
}

// (uffd, start, len, mode)
Napi::Value Register(const Napi::CallbackInfo& info) {
  uffdio_register_ r{{argU64(info, 1), argU64(info, 2)}, argU64(info, 3), 0};
  return rcOrErrno(info.Env(), ioctl(argInt(info, 0), UFFDIO_REGISTER_, &r));
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
  return rcOrErrno(info.Env(), Unregister(argInt(info, 0), argU64(info, 1), argU64(info, 2)));
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

// (uffd, how, addr, len, fill) -> count or -errno: a resolve issued with no fault pending.
Napi::Value ResolveJs(const Napi::CallbackInfo& info) {
  long rc = Resolve(argInt(info, 0), argInt(info, 1), argU64(info, 2), argU64(info, 3),
                    static_cast<uint8_t>(argInt(info, 4)));
  return Napi::Number::New(info.Env(), static_cast<double>(rc));
}

// State shared with the helper thread; heap-owned so a thread we must abandon never dangles.
struct Shared {
  AccessResult result{};
  int doneFd = -1;
  ~Shared() { if (doneFd >= 0) close(doneFd); }
};

// (addr, store, value, uffd, how, fill, timeoutMs, regStart, regLen) ->
// { access?, flags?, address?, resolve?, unregStart?, unregLen?, timedOut?, stuck? }
Napi::Value AccessUffd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint8_t* p = reinterpret_cast<uint8_t*>(argU64(info, 0));
  bool store = argBool(info, 1);
  uint8_t value = static_cast<uint8_t>(argInt(info, 2));
  int uffd = argInt(info, 3);
  int how = argInt(info, 4);
  uint8_t fill = static_cast<uint8_t>(argInt(info, 5));
  int timeoutMs = argInt(info, 6);
  uint64_t regStart = argU64(info, 7), regLen = argU64(info, 8);

  auto sh = std::make_shared<Shared>();
  sh->doneFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (sh->doneFd < 0) return rcOrErrno(env, -1);
  std::thread worker([sh, p, store, value] {
    sh->result = GuardedAccess(p, store, value);
    uint64_t one = 1;
    (void)!write(sh->doneFd, &one, sizeof one);
  });

  Napi::Object out = Napi::Object::New(env);
  bool done = false, unregistered = false, haveEvent = false;
  int events = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  bool graceUsed = false;
  while (!done) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd fds[2] = {{sh->doneFd, POLLIN, 0}, {uffd, POLLIN, 0}};
    int n = poll(fds, unregistered ? 1 : 2, left.count() > 0 ? static_cast<int>(left.count()) : 0);
    if (n < 0 && errno == EINTR) continue;
    if (fds[0].revents & POLLIN) { done = true; break; }
    if (n > 0 && !unregistered && (fds[1].revents & POLLIN)) {
      uffd_msg_ m;
      if (read(uffd, &m, sizeof m) != static_cast<ssize_t>(sizeof m) || m.event != UFFD_EVENT_PAGEFAULT_) continue;
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
      continue;
    }
    if (n == 0 && std::chrono::steady_clock::now() >= deadline) {
      if (graceUsed) break;
      // Nobody answered in time: unregister the whole range to wake the access, then give it one
      // more (short) while. The op then fails with TargetTimeoutError.
      UnregisterAndWake(uffd, regStart, regLen);
      out.Set("unregStart", big(env, regStart));
      out.Set("unregLen", big(env, regLen));
      unregistered = true;
      graceUsed = true;
      out.Set("timedOut", Napi::Boolean::New(env, true));
      deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs < 1000 ? timeoutMs : 1000);
    }
  }
  if (done) {
    worker.join();
    out.Set("access", AccessValue(env, sh->result));
  } else {
    worker.detach();  // still blocked after unregistering: abandon it (Shared stays alive)
    out.Set("stuck", Napi::Boolean::New(env, true));
  }
  return out;
}

}  // namespace

void InitUffd(Napi::Env env, Napi::Object e) {
  e.Set("uffdCreate", Napi::Function::New(env, Create));
  e.Set("uffdRegister", Napi::Function::New(env, Register));
  e.Set("uffdUnregister", Napi::Function::New(env, UnregisterJs));
  e.Set("uffdResolve", Napi::Function::New(env, ResolveJs));
  e.Set("accessUffd", Napi::Function::New(env, AccessUffd));
}

}  // namespace gm
