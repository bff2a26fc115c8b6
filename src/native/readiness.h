// Readiness of sockets for JS threads: the mask bits (the one place they are defined for the addon; TypeScript reads
// them from the addon's `readiness` export, see src/readiness/mask.ts) and watch(id, mask, callback) / unwatch(watchId).
//
// A watcher is one-shot. It fires on the JS thread that registered it (through that env's thread-safe function) when
// (events & mask) != 0: checked at registration, under the table mutex, and on every usrsctp upcall after that.
// kWatchAny fires on the next upcall whatever the events, or at once when the socket's upcall generation already
// differs from `since` (default: the generation recorded by the socket's last would-block send or last connect), so a
// wake-up between the failed call and the watch is not lost.
// Closing the socket, or watching an unknown id, fires with kEventError.
//
// Level-triggered readiness, for pollables that are reused across waits: ready(id, mask) says whether a wait for
// `mask` would end now (events & mask, or an upcall past anySince for kWatchAny; always for a closed socket or a mask
// of nothing), and waitReady(ids, masks, timeoutMs, recheckMs) blocks the calling thread on a condition variable the
// upcall signals until one of the sockets is ready, without a JS event loop and without another thread's help.
// setInterest(id, mask) publishes the mask the socket's owner waits for now, so that a thread which only has the id
// (preview2-shim's IO worker) checks the same condition; a change fires the watchers that asked for kWatchInterest.
#pragma once

#include <napi.h>

#include "socket_table.h"

namespace sctp_native {

// Mask bits of watch(): usrsctp's event bits (getEvents reports the same) and two bits of the addon's own.
constexpr int kEventRead = SCTP_EVENT_READ;
constexpr int kEventWrite = SCTP_EVENT_WRITE;
constexpr int kEventError = SCTP_EVENT_ERROR;
constexpr int kEvents = kEventRead | kEventWrite | kEventError;
// Fire on the next usrsctp upcall whatever the events (see above).
constexpr int kWatchAny = 8;
static_assert((kWatchAny & kEvents) == 0, "kWatchAny must not overlap usrsctp's event bits");
// Fire also when the socket's published interest changes; the callback's events then carry this bit too.
constexpr int kWatchInterest = 16;
static_assert((kWatchInterest & (kEvents | kWatchAny)) == 0, "kWatchInterest must not overlap the other bits");

// {read, write, error, any, interest}: the bits above, for TypeScript.
Napi::Object ReadinessBits(Napi::Env env);

// usrsctp upcall (runs on usrsctp's threads, no usrsctp locks held). arg is the socket id.
void SocketUpcall(struct socket* so, void* arg, int flags);

// Called with the table mutex held, by close(): fires the closed socket's watchers with ERROR.
void FireClosedLocked(SocketRecord* rec);

Napi::Value Watch(const Napi::CallbackInfo& info);
Napi::Value Unwatch(const Napi::CallbackInfo& info);
Napi::Value Ready(const Napi::CallbackInfo& info);
Napi::Value WaitReady(const Napi::CallbackInfo& info);
Napi::Value SetInterest(const Napi::CallbackInfo& info);
Napi::Value GetInterest(const Napi::CallbackInfo& info);

// Watchers registered and not yet delivered or cancelled, over all envs.
int64_t LiveWatchers();

}  // namespace sctp_native
