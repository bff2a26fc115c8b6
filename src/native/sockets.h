// Socket lifecycle and addressing: socket, close, bind, listen, accept, connect, shutdown, events, SO_ERROR,
// association ids, local/peer address lists, stats.
#pragma once

#include <napi.h>

namespace sctp_native {

Napi::Value Socket(const Napi::CallbackInfo& info);
Napi::Value Close(const Napi::CallbackInfo& info);
Napi::Value Bind(const Napi::CallbackInfo& info);
Napi::Value Listen(const Napi::CallbackInfo& info);
Napi::Value Accept(const Napi::CallbackInfo& info);
// peeloff(id, assocId) -> new one-to-one socket id | -errno (usrsctp_peeloff).
Napi::Value Peeloff(const Napi::CallbackInfo& info);
// connectx(id, [{address, port}, ...]) -> association id | -errno (usrsctp_connectx).
Napi::Value Connectx(const Napi::CallbackInfo& info);
// bindx(id, [{address, port}, ...], SCTP_BINDX_ADD_ADDR | SCTP_BINDX_REM_ADDR) -> 0 | -errno (usrsctp_bindx).
Napi::Value Bindx(const Napi::CallbackInfo& info);
Napi::Value Shutdown(const Napi::CallbackInfo& info);
Napi::Value GetEvents(const Napi::CallbackInfo& info);
Napi::Value SoError(const Napi::CallbackInfo& info);
Napi::Value AssocId(const Napi::CallbackInfo& info);
Napi::Value LocalAddresses(const Napi::CallbackInfo& info);
Napi::Value PeerAddresses(const Napi::CallbackInfo& info);
Napi::Value Stats(const Napi::CallbackInfo& info);
// stackCounters() -> a few of usrsctp's own statistics (usrsctp_get_stat), for leak and fuzzing checks, and how
// many closed sockets wait for their associations to end (closer.h).
Napi::Value StackCounters(const Napi::CallbackInfo& info);

}  // namespace sctp_native
