#include "util.h"

#include <arpa/inet.h>
#include <usrsctp.h>
#include <netinet/in.h>

#include <cstdlib>
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

std::string ArgString(const Napi::CallbackInfo& info, size_t index, const char* what) {
  Napi::Value v = Arg(info, index);
  if (!v.IsString()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

Napi::Uint8Array ArgBytes(const Napi::CallbackInfo& info, size_t index, const char* what) {
  Napi::Value v = Arg(info, index);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a Uint8Array");
  }
  return v.As<Napi::Uint8Array>();
}

bool ParseSockaddr(int family, const std::string& address, int64_t port, struct sockaddr_storage* out,
                   socklen_t* length) {
  if (port < 0 || port > 65535) return false;
  std::memset(out, 0, sizeof(*out));
  if (family == AF_INET) {
    auto* sin = reinterpret_cast<struct sockaddr_in*>(out);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, address.c_str(), &sin->sin_addr) != 1) return false;
    *length = sizeof(struct sockaddr_in);
    return true;
  }
  if (family == AF_INET6) {
    auto* sin6 = reinterpret_cast<struct sockaddr_in6*>(out);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(static_cast<uint16_t>(port));
    std::string host = address;
    size_t pct = host.find('%');
    if (pct != std::string::npos) {
      std::string scope = host.substr(pct + 1);
      host.resize(pct);
      char* end = nullptr;
      unsigned long id = std::strtoul(scope.c_str(), &end, 10);
      if (scope.empty() || *end != '\0' || id > 0xffffffffUL) return false;
      sin6->sin6_scope_id = static_cast<uint32_t>(id);
    }
    if (inet_pton(AF_INET6, host.c_str(), &sin6->sin6_addr) != 1) return false;
    *length = sizeof(struct sockaddr_in6);
    return true;
  }
  return false;
}

Napi::Value SockaddrToObject(Napi::Env env, const struct sockaddr* sa) {
  char text[INET6_ADDRSTRLEN + 16];
  Napi::Object o = Napi::Object::New(env);
  if (sa->sa_family == AF_INET) {
    auto* sin = reinterpret_cast<const struct sockaddr_in*>(sa);
    inet_ntop(AF_INET, &sin->sin_addr, text, sizeof(text));
    o.Set("family", 4);
    o.Set("address", text);
    o.Set("port", ntohs(sin->sin_port));
    return o;
  }
  if (sa->sa_family == AF_INET6) {
    auto* sin6 = reinterpret_cast<const struct sockaddr_in6*>(sa);
    inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof(text));
    std::string s(text);
    if (sin6->sin6_scope_id != 0) s += "%" + std::to_string(sin6->sin6_scope_id);
    o.Set("family", 6);
    o.Set("address", s);
    o.Set("port", ntohs(sin6->sin6_port));
    return o;
  }
  return env.Undefined();
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
