// Small helpers shared by the addon's source files: argument checking and socket address conversion.
#pragma once

#include <napi.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>

namespace sctp_native {

// Wrong argument types are programming errors: they throw a TypeError. Everything else is reported as -errno.
uint64_t ArgId(const Napi::CallbackInfo& info, size_t index);
int32_t ArgInt(const Napi::CallbackInfo& info, size_t index, const char* what);
uint32_t ArgUint(const Napi::CallbackInfo& info, size_t index, const char* what);
std::string ArgString(const Napi::CallbackInfo& info, size_t index, const char* what);
Napi::Uint8Array ArgBytes(const Napi::CallbackInfo& info, size_t index, const char* what);

// Negative errno as a JS number.
inline Napi::Value Errno(Napi::Env env, int err) { return Napi::Number::New(env, -err); }

// Parses a numeric IPv4 / IPv6 address for the given family (AF_INET | AF_INET6). IPv6 accepts a "%scope" suffix
// with a numeric scope id. Returns false when the text is not an address of that family or the port is out of range.
bool ParseSockaddr(int family, const std::string& address, int64_t port, struct sockaddr_storage* out,
                   socklen_t* length);

// {family: 4 | 6, address, port}; undefined for other families (e.g. AF_CONN).
Napi::Value SockaddrToObject(Napi::Env env, const struct sockaddr* sa);
// Size of one packed address in a usrsctp_getladdrs/getpaddrs array (0 for unknown families).
size_t SockaddrLength(const struct sockaddr* sa);

}  // namespace sctp_native
