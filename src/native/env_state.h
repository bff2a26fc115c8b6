// Per-JS-thread (per napi_env) state of the addon: the readiness notifier and cached property keys.
//
// The addon is context-aware: it is loaded on the main thread and inside worker threads of the same process. All of
// them share the process-wide usrsctp stack and socket table (socket_table.h); everything that belongs to one JS
// thread lives here, created lazily as the env's instance data.
#pragma once

#include <napi.h>

#include <cstdint>
#include <unordered_map>

namespace sctp_native {

struct Fired {
  uint64_t watchId;
  int events;
};

class EnvState;
void CallWatchCallback(Napi::Env env, Napi::Function unused, EnvState* state, Fired* fired);
using WatchTsfn = Napi::TypedThreadSafeFunction<EnvState, Fired, CallWatchCallback>;

// Property names read on the send path, interned once per env.
enum Key : int {
  kData, kSid, kPpid, kFlags, kContext, kAssocId, kPrPolicy, kPrValue, kTo,  // sendBatch input
  kKeyCount
};

class EnvState {
 public:
  static EnvState* Get(Napi::Env env);

  explicit EnvState(Napi::Env env);
  ~EnvState();

  // The interned key strings, fetched once per call: keys[Key] (Node 20 cannot reference primitives directly, so
  // they live in an array held by a reference).
  void LoadKeys(Napi::Env env, napi_value* keys) const;

  // A JS function (data, eor, notification, sid, ssn, flags, ppid, tsn, cumtsn, context, assocId, next, truncated)
  // -> record.
  // Building records in JS (one call, an object literal with a stable shape) costs a fraction of setting eleven
  // properties through Node-API.
  napi_value RecordFactory(Napi::Env env) const { return factory_.Value(); }

  // Readiness notifier (readiness.cc). Everything below is touched on this env's JS thread only, except `dead` and the
  // TSFN call, which the upcall uses under the table mutex.
  void EnsureNotifier(Napi::Env env);
  void RefNotifier(Napi::Env env);
  void MaybeUnrefNotifier(Napi::Env env);
  static void Cleanup(void* arg);

  napi_env env;
  bool notifierCreated = false;
  bool notifierRefed = false;
  bool dead = false;  // guarded by the table mutex
  WatchTsfn tsfn;
  std::unordered_map<uint64_t, Napi::FunctionReference> callbacks;

 private:
  Napi::ObjectReference keys_;
  Napi::FunctionReference factory_;
};

}  // namespace sctp_native
