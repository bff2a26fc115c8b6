#include "readiness.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <unordered_map>

#include "env_state.h"
#include "util.h"

namespace sctp_native {

namespace {

struct IndexEntry {
  uint64_t socketId;
  EnvState* env;
};

// watchId -> where the watcher is registered; guarded by the table mutex. Leaked on purpose (see socket_table.cc).
std::unordered_map<uint64_t, IndexEntry>& Index() {
  static auto* index = new std::unordered_map<uint64_t, IndexEntry>();
  return *index;
}

// Signalled (under the table mutex) when a socket some thread blocks on in WaitReady has an upcall or is closed.
// Leaked on purpose, as the mutex it pairs with.
std::condition_variable& BlockedWake() {
  static auto* cv = new std::condition_variable();
  return *cv;
}

std::atomic<uint64_t> g_nextWatchId{1};
std::atomic<int64_t> g_live{0};

// Table mutex held. Queues the callback on the watcher's JS thread; never calls into JS.
void SignalLocked(EnvState* env, uint64_t watchId, int events) {
  if (env->dead) return;
  Fired* fired = new Fired{watchId, events};
  if (env->tsfn.NonBlockingCall(fired) != napi_ok) delete fired;
}

bool Matches(const Watcher& w, int events, bool upcall) {
  return (events & w.mask & kEvents) != 0 ||
         (upcall && (w.mask & kWatchAny) != 0);
}

// Table mutex held. Whether a wait for `mask` would end now: the level-triggered form of Matches, with kWatchAny
// meaning "an upcall came after anySince". Nothing to wait for, or no socket any more (closed): ready.
bool ReadyLocked(const SocketRecord* rec, int mask) {
  mask &= kEvents | kWatchAny;
  if (rec == nullptr || mask == 0) return true;
  int events = usrsctp_get_events(rec->so);
  if (events < 0) return true;
  return (events & mask & kEvents) != 0 || ((mask & kWatchAny) != 0 && rec->upcalls != rec->anySince);
}

// The socket's usrsctp events. A socket usrsctp no longer answers for counts as one with an error, so that its waiters wake
// and their next call reports it.
int EventsOf(struct socket* so) {
  int events = usrsctp_get_events(so);
  return events < 0 ? kEventError : events;
}

// Table mutex held. Signals, with `events`, and unregisters the socket's watchers that `fires` picks.
template <typename Pick>
void FireLocked(SocketRecord* rec, int events, Pick fires) {
  auto& ws = rec->watchers;
  for (size_t i = 0; i < ws.size();) {
    if (fires(ws[i])) {
      SignalLocked(ws[i].env, ws[i].watchId, events);
      Index().erase(ws[i].watchId);
      ws[i] = ws.back();
      ws.pop_back();
    } else {
      ++i;
    }
  }
}

}  // namespace

void SocketUpcall(struct socket* so, void* arg, int /*flags*/) {
  uint64_t id = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(arg));
  std::lock_guard<std::mutex> lock(TableMutex());
  SocketRecord* rec = TableFindLocked(id);
  if (rec == nullptr || rec->so != so) return;
  rec->upcalls++;
  if (rec->blockedWaiters > 0) BlockedWake().notify_all();
  if (rec->watchers.empty()) return;  // the common case: nobody waits, keep it cheap
  const int events = EventsOf(so);
  FireLocked(rec, events, [events](const Watcher& w) { return Matches(w, events, true); });
}

void FireClosedLocked(SocketRecord* rec) {
  if (rec->blockedWaiters > 0) BlockedWake().notify_all();
  for (const Watcher& w : rec->watchers) {
    Index().erase(w.watchId);
    SignalLocked(w.env, w.watchId, kEventError);
  }
  rec->watchers.clear();
}

// JS thread of the env that registered the watcher.
void CallWatchCallback(Napi::Env env, Napi::Function /*unused*/, EnvState* state, Fired* fired) {
  std::unique_ptr<Fired> owned(fired);
  if (env == nullptr || state == nullptr) return;  // the notifier is being torn down
  auto it = state->callbacks.find(fired->watchId);
  if (it == state->callbacks.end()) return;  // unwatched meanwhile
  Napi::FunctionReference callback = std::move(it->second);
  state->callbacks.erase(it);
  g_live--;
  state->MaybeUnrefNotifier(env);
  // Raw Node-API, no C++ exceptions: while a worker terminates, calling into JS fails and must not abort the
  // process. A JS exception thrown by the callback stays pending and Node reports it as uncaught.
  napi_value fn = callback.Value();
  napi_value global, arg, result;
  if (fn == nullptr || napi_get_global(env, &global) != napi_ok ||
      napi_create_int32(env, fired->events, &arg) != napi_ok) {
    return;
  }
  napi_call_function(env, global, fn, 1, &arg, &result);
}

void EnvState::EnsureNotifier(Napi::Env env) {
  if (notifierCreated) return;
  tsfn = WatchTsfn::New(env, "sctp-native-watch", 0, 1, this);
  napi_unref_threadsafe_function(env, static_cast<napi_threadsafe_function>(tsfn));
  notifierCreated = true;
  // Registered after the TSFN so that it runs before Node's own teardown of the TSFN (cleanup hooks run in reverse
  // order): by then no upcall can reach the TSFN any more.
  napi_add_env_cleanup_hook(env, &EnvState::Cleanup, this);
}

// Ref/unref through raw Node-API: they run on the env's thread, also while it is being torn down, and must not
// throw there.
void EnvState::RefNotifier(Napi::Env env) {
  if (!notifierRefed) {
    napi_ref_threadsafe_function(env, static_cast<napi_threadsafe_function>(tsfn));
    notifierRefed = true;
  }
}

void EnvState::MaybeUnrefNotifier(Napi::Env env) {
  if (notifierRefed && callbacks.empty()) {
    napi_unref_threadsafe_function(env, static_cast<napi_threadsafe_function>(tsfn));
    notifierRefed = false;
  }
}

void EnvState::Cleanup(void* arg) {
  auto* state = static_cast<EnvState*>(arg);
  {
    std::lock_guard<std::mutex> lock(TableMutex());
    state->dead = true;
    auto& index = Index();
    for (auto it = index.begin(); it != index.end();) {
      if (it->second.env == state) {
        if (SocketRecord* rec = TableFindLocked(it->second.socketId)) {
          auto& ws = rec->watchers;
          for (size_t i = 0; i < ws.size(); ++i) {
            if (ws[i].watchId == it->first) {
              ws[i] = ws.back();
              ws.pop_back();
              break;
            }
          }
        }
        it = index.erase(it);
      } else {
        ++it;
      }
    }
  }
  g_live -= static_cast<int64_t>(state->callbacks.size());
  state->callbacks.clear();
  state->tsfn.Abort();
}

Napi::Value Watch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t id = ArgId(info, 0);
  int32_t mask = ArgInt(info, 1, "mask");
  if (info.Length() < 3 || !info[2].IsFunction()) throw Napi::TypeError::New(env, "callback must be a function");
  bool hasSince = info.Length() > 3 && !info[3].IsUndefined() && !info[3].IsNull();
  uint64_t since = 0;
  if (hasSince) {
    if (!info[3].IsNumber()) throw Napi::TypeError::New(env, "since must be a number");
    since = static_cast<uint64_t>(info[3].As<Napi::Number>().DoubleValue());
  }

  EnvState* state = EnvState::Get(env);
  state->EnsureNotifier(env);
  uint64_t watchId = g_nextWatchId++;
  state->callbacks.emplace(watchId, Napi::Persistent(info[2].As<Napi::Function>()));
  g_live++;
  state->RefNotifier(env);

  std::lock_guard<std::mutex> lock(TableMutex());
  SocketRecord* rec = TableFindLocked(id);
  if (rec == nullptr) {
    SignalLocked(state, watchId, kEventError);
    return Napi::Number::New(env, static_cast<double>(watchId));
  }
  // Registering and checking under the same mutex the upcall takes: no wake-up can fall in between.
  const int events = EventsOf(rec->so);
  Watcher w{watchId, mask, state};
  if (!hasSince) since = rec->anySince;
  if (Matches(w, events, rec->upcalls != since)) {
    SignalLocked(state, watchId, events);
  } else {
    rec->watchers.push_back(w);
    Index().emplace(watchId, IndexEntry{id, state});
  }
  return Napi::Number::New(env, static_cast<double>(watchId));
}

Napi::Value Unwatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t watchId = ArgId(info, 0);
  EnvState* state = EnvState::Get(env);
  {
    std::lock_guard<std::mutex> lock(TableMutex());
    auto& index = Index();
    auto it = index.find(watchId);
    if (it != index.end() && it->second.env == state) {
      if (SocketRecord* rec = TableFindLocked(it->second.socketId)) {
        auto& ws = rec->watchers;
        for (size_t i = 0; i < ws.size(); ++i) {
          if (ws[i].watchId == watchId) {
            ws[i] = ws.back();
            ws.pop_back();
            break;
          }
        }
      }
      index.erase(it);
    }
  }
  // A notification already queued for this watcher finds no callback and is dropped.
  bool pending = state->callbacks.erase(watchId) > 0;
  if (pending) {
    g_live--;
    state->MaybeUnrefNotifier(env);
  }
  return Napi::Boolean::New(env, pending);
}

int64_t LiveWatchers() { return g_live.load(); }

Napi::Value Ready(const Napi::CallbackInfo& info) {
  uint64_t id = ArgId(info, 0);
  int32_t mask = ArgInt(info, 1, "mask");
  std::lock_guard<std::mutex> lock(TableMutex());
  return Napi::Boolean::New(info.Env(), ReadyLocked(TableFindLocked(id), mask));
}

// waitReady(ids, masks, timeoutMs, recheckMs): blocks until ready(ids[i], masks[i]) for some i and returns those i;
// [] once timeoutMs (>= 0) passed. The upcall and close wake it; every recheckMs (> 0) it looks again anyway, for
// what usrsctp's timers queue without an upcall.
Napi::Value WaitReady(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsArray() || !info[1].IsArray()) {
    throw Napi::TypeError::New(env, "ids and masks must be arrays");
  }
  Napi::Array idList = info[0].As<Napi::Array>();
  Napi::Array maskList = info[1].As<Napi::Array>();
  uint32_t n = idList.Length();
  if (maskList.Length() != n) throw Napi::TypeError::New(env, "ids and masks must have the same length");
  int32_t timeoutMs = ArgInt(info, 2, "timeoutMs");
  int32_t recheckMs = ArgInt(info, 3, "recheckMs");
  std::vector<uint64_t> ids(n);
  std::vector<int> masks(n);
  for (uint32_t i = 0; i < n; ++i) {
    Napi::Value id = idList.Get(i), mask = maskList.Get(i);
    if (!id.IsNumber() || !mask.IsNumber()) throw Napi::TypeError::New(env, "ids and masks must hold numbers");
    ids[i] = static_cast<uint64_t>(id.As<Napi::Number>().DoubleValue());
    masks[i] = mask.As<Napi::Number>().Int32Value();
  }

  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = timeoutMs >= 0 ? Clock::now() + std::chrono::milliseconds(timeoutMs)
                                                    : Clock::time_point::max();
  std::vector<uint32_t> ready;
  if (n > 0) {
    std::unique_lock<std::mutex> lock(TableMutex());
    // Held, so that a socket closed meanwhile can still be told apart from a new one and its count undone.
    std::vector<RecordPtr> recs(n);
    for (uint32_t i = 0; i < n; ++i) {
      recs[i] = TableGetLocked(ids[i]);
      if (recs[i]) recs[i]->blockedWaiters++;
    }
    for (;;) {
      for (uint32_t i = 0; i < n; ++i) {
        const SocketRecord* rec = recs[i] && TableFindLocked(ids[i]) == recs[i].get() ? recs[i].get() : nullptr;
        if (ReadyLocked(rec, masks[i])) ready.push_back(i);
      }
      Clock::time_point now = Clock::now();
      if (!ready.empty() || now >= deadline) break;
      Clock::time_point until = deadline;
      const Clock::time_point recheck = now + std::chrono::milliseconds(recheckMs);
      if (recheckMs > 0 && recheck < until) until = recheck;
      BlockedWake().wait_until(lock, until);
    }
    for (RecordPtr& rec : recs) {
      if (rec) rec->blockedWaiters--;
    }
    // The last references may close usrsctp sockets: not under the mutex (socket_table.h).
    lock.unlock();
  }
  Napi::Array out = Napi::Array::New(env, ready.size());
  for (size_t i = 0; i < ready.size(); ++i) out.Set(static_cast<uint32_t>(i), ready[i]);
  return out;
}

Napi::Value SetInterest(const Napi::CallbackInfo& info) {
  uint64_t id = ArgId(info, 0);
  int32_t mask = ArgInt(info, 1, "mask");
  std::lock_guard<std::mutex> lock(TableMutex());
  SocketRecord* rec = TableFindLocked(id);
  if (rec == nullptr || rec->interest == mask) return info.Env().Undefined();
  rec->interest = mask;
  FireLocked(rec, EventsOf(rec->so) | kWatchInterest, [](const Watcher& w) { return (w.mask & kWatchInterest) != 0; });
  return info.Env().Undefined();
}

Napi::Value GetInterest(const Napi::CallbackInfo& info) {
  uint64_t id = ArgId(info, 0);
  std::lock_guard<std::mutex> lock(TableMutex());
  SocketRecord* rec = TableFindLocked(id);
  return Napi::Number::New(info.Env(), rec == nullptr ? 0 : rec->interest);
}

Napi::Object ReadinessBits(Napi::Env env) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("read", kEventRead);
  o.Set("write", kEventWrite);
  o.Set("error", kEventError);
  o.Set("any", kWatchAny);
  o.Set("interest", kWatchInterest);
  return o;
}

}  // namespace sctp_native
