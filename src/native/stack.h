#pragma once

#include <napi.h>

namespace sctp_native {

// -1 when usrsctp is not initialised yet, 0 for raw IP, else the local UDP encapsulation port.
int StackPort();

Napi::Value Init(const Napi::CallbackInfo& info);
Napi::Value GetStackPort(const Napi::CallbackInfo& info);
// drain(timeoutMs): closes every socket and waits, blocking, until usrsctp has finished every graceful shutdown
// (usrsctp_finish succeeds) or the time is up. Returns true when the stack finished; no socket can be made after.
Napi::Value Drain(const Napi::CallbackInfo& info);

}  // namespace sctp_native
