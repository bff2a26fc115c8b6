#pragma once

#include <napi.h>

namespace sctp_native {

// -1 when usrsctp is not initialised yet, 0 for raw IP, else the local UDP encapsulation port.
int StackPort();

Napi::Value Init(const Napi::CallbackInfo& info);
Napi::Value GetStackPort(const Napi::CallbackInfo& info);

}  // namespace sctp_native
