// Parsing of usrsctp notifications (messages received with MSG_NOTIFICATION) into plain JS objects:
// {type, assocId, ...camelCase fields}. `type` is the kind as the WIT's `event-kind` names it ('assoc-change',
// 'send-failed', 'shutdown', ...), the one spelling of notification kinds from here to the guest.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>

namespace sctp_native {

Napi::Value ParseNotification(Napi::Env env, const uint8_t* data, size_t length);

}  // namespace sctp_native
