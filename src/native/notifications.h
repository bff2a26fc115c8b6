// Parsing of usrsctp notifications (messages received with MSG_NOTIFICATION) into plain JS objects:
// {type, assocId, ...camelCase fields}. `type` is the kind as the WIT's `event-kind` names it ('assoc-change',
// 'send-failed', 'shutdown', ...), the one spelling of notification kinds from here to the guest.
#pragma once

#include <napi.h>
#include <usrsctp.h>

#include <cstddef>
#include <cstdint>

namespace sctp_native {

Napi::Value ParseNotification(Napi::Env env, const uint8_t* data, size_t length);

// Whether the notification is a partial-delivery event saying a message was aborted; if so, the association, stream
// and sequence number (the low 16 bits of the message's SSN/MID) of that message.
bool PartialDeliveryAborted(const uint8_t* data, size_t length, sctp_assoc_t* assoc, uint16_t* stream, uint16_t* seq);

}  // namespace sctp_native
