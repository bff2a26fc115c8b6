// The data path: sendBatch (one usrsctp_sendv per message) and recvBatch (usrsctp_recvv loop into a scratch buffer).
#pragma once

#include <napi.h>

namespace sctp_native {

Napi::Value SendBatch(const Napi::CallbackInfo& info);
Napi::Value RecvBatch(const Napi::CallbackInfo& info);

}  // namespace sctp_native
