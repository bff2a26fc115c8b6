#include "util.h"

#include <netinet/in.h>
#include <usrsctp.h>

#include <cstring>

namespace sctp_native {

static Napi::Value Arg(const Napi::CallbackInfo& info, size_t index) {
  return index < info.Length() ? info[index] : info.Env().Undefined();
}

uint64_t ArgId(const Napi::CallbackInfo& info, size_t index) {
  Napi::Value v = Arg(info, index);
  if (!v.IsNumber()) throw Napi::TypeError::New(info.Env(), "socket id must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0) || d > 9007199254740991.0 || d != static_cast<double>(static_cast<uint64_t>(d))) {
    throw Napi::TypeError::New(info.Env(), "socket id must be a non-negative integer");
  }
  return static_cast<uint64_t>(d);
}

int32_t ArgInt(const Napi::CallbackInfo& info, size_t index, const char* what) {
  Napi::Value v = Arg(info, index);
  if (!v.IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= -2147483648.0 && d <= 2147483647.0) || d != static_cast<double>(static_cast<int32_t>(d))) {
    throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a 32-bit integer");
  }
  return static_cast<int32_t>(d);
}

uint32_t ArgUint(const Napi::CallbackInfo& info, size_t index, const char* what) {
  Napi::Value v = Arg(info, index);
  if (!v.IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 4294967295.0) || d != static_cast<double>(static_cast<uint32_t>(d))) {
    throw Napi::TypeError::New(info.Env(), std::string(what) + " must be an unsigned 32-bit integer");
  }
  return static_cast<uint32_t>(d);
}

Napi::Uint8Array ArgBytes(const Napi::CallbackInfo& info, size_t index, const char* what) {
  Napi::Value v = Arg(info, index);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a Uint8Array");
  }
  return v.As<Napi::Uint8Array>();
}

bool SockaddrArg(const Napi::Value& value, struct sockaddr_storage* out, socklen_t* length) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(value.Env(), "an address must be a Uint8Array (struct sockaddr_in or sockaddr_in6)");
  }
  Napi::Uint8Array bytes = value.As<Napi::Uint8Array>();
  const size_t n = bytes.ByteLength();
  if (n != sizeof(struct sockaddr_in) && n != sizeof(struct sockaddr_in6)) return false;
  std::memset(out, 0, sizeof(*out));
  std::memcpy(out, bytes.Data(), n);
  if (SockaddrLength(reinterpret_cast<const struct sockaddr*>(out)) != n || out->ss_family == AF_CONN) return false;
  *length = static_cast<socklen_t>(n);
  return true;
}

Napi::Value SockaddrBytes(Napi::Env env, const struct sockaddr* sa) {
  if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) return env.Undefined();
  return Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<const uint8_t*>(sa), SockaddrLength(sa));
}

size_t SockaddrLength(const struct sockaddr* sa) {
  switch (sa->sa_family) {
    case AF_INET: return sizeof(struct sockaddr_in);
    case AF_INET6: return sizeof(struct sockaddr_in6);
    case AF_CONN: return sizeof(struct sockaddr_conn);
    default: return 0;
  }
}

}  // namespace sctp_native
