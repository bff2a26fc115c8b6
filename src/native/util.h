// Small helpers shared by the addon's source files: argument checking and socket addresses.
//
// Addresses cross the addon as bytes: a Uint8Array holding a struct sockaddr_in or sockaddr_in6 exactly (port,
// flow info and scope id included), built by TypeScript from the addon's sizes and offsets
// (src/addresses/sockaddr.ts). Nothing here parses or prints address text.
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
Napi::Uint8Array ArgBytes(const Napi::CallbackInfo& info, size_t index, const char* what);

// Negative errno as a JS number.
inline Napi::Value Errno(Napi::Env env, int err) { return Napi::Number::New(env, -err); }

// Copies an address in the byte form into `out`. A value that is not a Uint8Array throws a TypeError; bytes that are
// not a sockaddr_in or sockaddr_in6 (length and family) return false.
bool SockaddrArg(const Napi::Value& value, struct sockaddr_storage* out, socklen_t* length);

// The byte form of an IPv4 / IPv6 address (a Buffer); undefined for other families (e.g. AF_CONN).
Napi::Value SockaddrBytes(Napi::Env env, const struct sockaddr* sa);
// Size of one packed address in a usrsctp_getladdrs/getpaddrs array (0 for unknown families).
size_t SockaddrLength(const struct sockaddr* sa);

}  // namespace sctp_native
