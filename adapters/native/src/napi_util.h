// Argument/return helpers shared by the op files. Convention of every raw binding: a non-negative
// result, or -errno as a negative Number. 64-bit quantities travel as BigInt so that values near
// 2^63 and unaligned sizes reach the kernel bit-exact (spec/vocab/ops.ts uses bigint for them).
#pragma once
#include <napi.h>
#include <cerrno>
#include <cstdint>

namespace gm {

// A BigInt or Number argument as the raw 64-bit pattern the kernel will see (wraps mod 2^64).
inline uint64_t argU64(const Napi::CallbackInfo& info, size_t i) {
  Napi::Value v = info[i];
  bool lossless = false;
  if (v.IsBigInt()) return v.As<Napi::BigInt>().Uint64Value(&lossless);
  return static_cast<uint64_t>(static_cast<int64_t>(v.As<Napi::Number>().DoubleValue()));
}
inline int64_t argI64(const Napi::CallbackInfo& info, size_t i) { return static_cast<int64_t>(argU64(info, i)); }
inline int argInt(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }
inline bool argBool(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Boolean>().Value(); }

// rc < 0 means "look at errno" (libc convention); returns rc or -errno.
inline Napi::Value rcOrErrno(Napi::Env env, long rc) {
  return Napi::Number::New(env, rc < 0 ? -errno : static_cast<double>(rc));
}
inline Napi::Value big(Napi::Env env, uint64_t v) { return Napi::BigInt::New(env, v); }

// Harness failure (not a kernel outcome): becomes a JS exception, which the TS layer rethrows as
// TargetBrokenError.
inline Napi::Value fail(Napi::Env env, const char* what) {
  Napi::Error::New(env, what).ThrowAsJavaScriptException();
  return env.Undefined();
}

// Each op file registers its functions on the exports object.
void InitKvm(Napi::Env env, Napi::Object exports);
void InitFile(Napi::Env env, Napi::Object exports);
void InitMm(Napi::Env env, Napi::Object exports);
void InitMempolicy(Napi::Env env, Napi::Object exports);
void InitUffd(Napi::Env env, Napi::Object exports);
void InitAccess(Napi::Env env, Napi::Object exports);

}  // namespace gm
