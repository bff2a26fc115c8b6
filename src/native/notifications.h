// Parsing of usrsctp notifications (messages received with MSG_NOTIFICATION) into plain JS objects:
// {type: 'assoc-change' | 'peer-addr-change' | ..., assocId, ...camelCase fields}.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>

namespace sctp_native {

Napi::Value ParseNotification(Napi::Env env, const uint8_t* data, size_t length);

}  // namespace sctp_native
