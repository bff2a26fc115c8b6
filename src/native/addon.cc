// sctp_native: a Node-API binding over usrsctp. Context-aware: loaded on the main thread and inside worker threads,
// all sharing one process-wide usrsctp stack (stack.cc) and socket table (socket_table.cc).
//
// Conventions: data-path functions return a non-negative result or a negative errno; they throw only for programming
// errors (wrong argument types, stack not initialised). src/native.ts declares the exact TypeScript types.
#include <napi.h>

#include "exit_signals.h"
#include "messages.h"
#include "options.h"
#include "readiness.h"
#include "sockets.h"
#include "stack.h"

namespace sctp_native {

Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  exports.Set("init", Napi::Function::New(env, Init, "init"));
  exports.Set("stackPort", Napi::Function::New(env, GetStackPort, "stackPort"));
  exports.Set("drain", Napi::Function::New(env, Drain, "drain"));
  exports.Set("endOnSignals", Napi::Function::New(env, EndOnSignals, "endOnSignals"));
  exports.Set("socket", Napi::Function::New(env, Socket, "socket"));
  exports.Set("close", Napi::Function::New(env, Close, "close"));
  exports.Set("bind", Napi::Function::New(env, Bind, "bind"));
  exports.Set("listen", Napi::Function::New(env, Listen, "listen"));
  exports.Set("accept", Napi::Function::New(env, Accept, "accept"));
  exports.Set("peeloff", Napi::Function::New(env, Peeloff, "peeloff"));
  exports.Set("connectx", Napi::Function::New(env, Connectx, "connectx"));
  exports.Set("bindx", Napi::Function::New(env, Bindx, "bindx"));
  exports.Set("shutdown", Napi::Function::New(env, Shutdown, "shutdown"));
  exports.Set("getEvents", Napi::Function::New(env, GetEvents, "getEvents"));
  exports.Set("soError", Napi::Function::New(env, SoError, "soError"));
  exports.Set("assocId", Napi::Function::New(env, AssocId, "assocId"));
  exports.Set("getsockopt", Napi::Function::New(env, GetSockopt, "getsockopt"));
  exports.Set("setsockopt", Napi::Function::New(env, SetSockopt, "setsockopt"));
  exports.Set("localAddresses", Napi::Function::New(env, LocalAddresses, "localAddresses"));
  exports.Set("peerAddresses", Napi::Function::New(env, PeerAddresses, "peerAddresses"));
  exports.Set("sendBatch", Napi::Function::New(env, SendBatch, "sendBatch"));
  exports.Set("recvBatch", Napi::Function::New(env, RecvBatch, "recvBatch"));
  exports.Set("watch", Napi::Function::New(env, Watch, "watch"));
  exports.Set("unwatch", Napi::Function::New(env, Unwatch, "unwatch"));
  exports.Set("ready", Napi::Function::New(env, Ready, "ready"));
  exports.Set("waitReady", Napi::Function::New(env, WaitReady, "waitReady"));
  exports.Set("setInterest", Napi::Function::New(env, SetInterest, "setInterest"));
  exports.Set("interest", Napi::Function::New(env, GetInterest, "interest"));
  exports.Set("stats", Napi::Function::New(env, Stats, "stats"));
  exports.Set("stackCounters", Napi::Function::New(env, StackCounters, "stackCounters"));
  exports.Set("constants", Constants(env));
  exports.Set("sizes", Sizes(env));
  exports.Set("offsets", Offsets(env));
  exports.Set("readiness", ReadinessBits(env));
  return exports;
}

}  // namespace sctp_native

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return sctp_native::InitModule(env, exports); }

NODE_API_MODULE(sctp_native, InitAddon)
