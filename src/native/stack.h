#pragma once

#include <napi.h>

#include <functional>

namespace sctp_native {

// -1 when usrsctp is not initialised yet, 0 for raw IP, else the local UDP encapsulation port.
int StackPort();

Napi::Value Init(const Napi::CallbackInfo& info);
Napi::Value GetStackPort(const Napi::CallbackInfo& info);
// drain(timeoutMs): closes every socket and waits, blocking, until usrsctp has finished every graceful shutdown
// (usrsctp_finish succeeds) or the time is up. Returns true when the stack finished; no socket can be made after.
Napi::Value Drain(const Napi::CallbackInfo& info);

// Ends every association of the process for its exit on a signal, from any thread: SHUTDOWN on each (after what is
// queued), then ABORT for those still up after lingerMs; every socket is closed and the stack stopped for good (no
// socket or stack can be made after). Then calls `then` with the stack still locked, so that Init and Drain wait
// meanwhile: the signal path ends the process from there.
void EndAllAssociations(int lingerMs, const std::function<void()>& then);

}  // namespace sctp_native
