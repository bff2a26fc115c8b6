#include "notifications.h"

#include <arpa/inet.h>
#include <usrsctp.h>

#include <cstring>

#include "util.h"

namespace sctp_native {

namespace {

// Copies the fixed part of a notification struct; false when the message is too short for it.
template <typename T>
bool Load(const uint8_t* data, size_t length, T* out) {
  if (length < sizeof(T)) return false;
  std::memcpy(out, data, sizeof(T));
  return true;
}

Napi::Buffer<uint8_t> Tail(Napi::Env env, const uint8_t* data, size_t length, size_t offset) {
  return offset < length ? Napi::Buffer<uint8_t>::Copy(env, data + offset, length - offset)
                         : Napi::Buffer<uint8_t>::New(env, 0);
}

const char* AssocState(uint16_t state) {
  switch (state) {
    case SCTP_COMM_UP: return "comm-up";
    case SCTP_COMM_LOST: return "comm-lost";
    case SCTP_RESTART: return "restart";
    case SCTP_SHUTDOWN_COMP: return "shutdown-comp";
    case SCTP_CANT_STR_ASSOC: return "cant-str-assoc";
    default: return "unknown";
  }
}

const char* Feature(uint8_t f) {
  switch (f) {
    case SCTP_ASSOC_SUPPORTS_PR: return "pr";
    case SCTP_ASSOC_SUPPORTS_AUTH: return "auth";
    case SCTP_ASSOC_SUPPORTS_ASCONF: return "asconf";
    case SCTP_ASSOC_SUPPORTS_MULTIBUF: return "multibuf";
    case SCTP_ASSOC_SUPPORTS_RE_CONFIG: return "re-config";
    case SCTP_ASSOC_SUPPORTS_INTERLEAVING: return "interleaving";
    default: return "unknown";
  }
}

const char* AddrState(uint32_t state) {
  switch (state) {
    case SCTP_ADDR_AVAILABLE: return "available";
    case SCTP_ADDR_UNREACHABLE: return "unreachable";
    case SCTP_ADDR_REMOVED: return "removed";
    case SCTP_ADDR_ADDED: return "added";
    case SCTP_ADDR_MADE_PRIM: return "made-primary";
    case SCTP_ADDR_CONFIRMED: return "confirmed";
    default: return "unknown";
  }
}

const char* AuthIndication(uint32_t ind) {
  switch (ind) {
    case SCTP_AUTH_NEW_KEY: return "new-key";
    case SCTP_AUTH_NO_AUTH: return "no-auth";
    case SCTP_AUTH_FREE_KEY: return "free-key";
    default: return "unknown";
  }
}

void SetAssoc(Napi::Object& o, sctp_assoc_t id) { o.Set("assocId", static_cast<double>(id)); }

// usrsctp.h declares stream and seq as u32 (24 bytes), but Debian's libusrsctp 0.9.5 builds the event from its
// internal sctp_uio.h, where they are u16 (20 bytes): read the layout the length says.
bool LoadPdapi(const uint8_t* data, size_t length, struct sctp_pdapi_event* n) {
  if (length == 20) {
    uint16_t stream, seq;
    std::memcpy(n, data, 12);  // type, flags, length, indication
    std::memcpy(&stream, data + 12, 2);
    std::memcpy(&seq, data + 14, 2);
    std::memcpy(&n->pdapi_assoc_id, data + 16, 4);
    n->pdapi_stream = stream;
    n->pdapi_seq = seq;
    return true;
  }
  return Load(data, length, n);
}

}  // namespace

bool PartialDeliveryAborted(const uint8_t* data, size_t length, sctp_assoc_t* assoc, uint16_t* stream, uint16_t* seq) {
  sctp_notification::sctp_tlv header;
  if (!Load(data, length, &header) || header.sn_type != SCTP_PARTIAL_DELIVERY_EVENT) return false;
  if (header.sn_length < length) length = header.sn_length;
  struct sctp_pdapi_event n;
  if (!LoadPdapi(data, length, &n) || n.pdapi_indication != SCTP_PARTIAL_DELIVERY_ABORTED) return false;
  *assoc = n.pdapi_assoc_id;
  *stream = static_cast<uint16_t>(n.pdapi_stream);
  *seq = static_cast<uint16_t>(n.pdapi_seq);
  return true;
}

Napi::Value ParseNotification(Napi::Env env, const uint8_t* data, size_t length) {
  Napi::Object o = Napi::Object::New(env);
  sctp_notification::sctp_tlv header;  // nested in the union, hence the C++ name
  if (!Load(data, length, &header)) {
    o.Set("type", "truncated");
    o.Set("assocId", 0);
    return o;
  }
  // sn_length may claim less than we received (or more, if the message was truncated): trust the smaller.
  if (header.sn_length < length) length = header.sn_length;
  o.Set("flags", header.sn_flags);

  switch (header.sn_type) {
    case SCTP_ASSOC_CHANGE: {
      struct sctp_assoc_change n;
      if (!Load(data, length, &n)) break;
      o.Set("type", "assoc-change");
      o.Set("state", AssocState(n.sac_state));
      o.Set("error", n.sac_error);
      o.Set("outboundStreams", n.sac_outbound_streams);
      o.Set("inboundStreams", n.sac_inbound_streams);
      SetAssoc(o, n.sac_assoc_id);
      const size_t info = offsetof(struct sctp_assoc_change, sac_info);
      Napi::Array features = Napi::Array::New(env);
      if (n.sac_state == SCTP_COMM_UP || n.sac_state == SCTP_RESTART) {
        for (size_t i = info; i < length; ++i) features.Set(static_cast<uint32_t>(i - info), Feature(data[i]));
        o.Set("abortInfo", Napi::Buffer<uint8_t>::New(env, 0));
      } else {
        o.Set("abortInfo", Tail(env, data, length, info));
      }
      o.Set("features", features);
      return o;
    }
    case SCTP_PEER_ADDR_CHANGE: {
      struct sctp_paddr_change n;
      if (!Load(data, length, &n)) break;
      o.Set("type", "peer-addr-change");
      o.Set("address", SockaddrBytes(env, reinterpret_cast<const struct sockaddr*>(&n.spc_aaddr)));
      o.Set("state", AddrState(n.spc_state));
      o.Set("error", n.spc_error);
      SetAssoc(o, n.spc_assoc_id);
      return o;
    }
    case SCTP_REMOTE_ERROR: {
      struct sctp_remote_error n;
      if (!Load(data, length, &n)) break;
      o.Set("type", "remote-error");
      o.Set("error", n.sre_error);
      SetAssoc(o, n.sre_assoc_id);
      o.Set("data", Tail(env, data, length, offsetof(struct sctp_remote_error, sre_data)));
      return o;
    }
    case SCTP_SEND_FAILED_EVENT: {
      struct sctp_send_failed_event n;
      if (!Load(data, length, &n)) break;
      o.Set("type", "send-failed");
      o.Set("unsent", (n.ssfe_flags & SCTP_DATA_UNSENT) != 0);
      o.Set("sent", (n.ssfe_flags & SCTP_DATA_SENT) != 0);
      o.Set("error", n.ssfe_error);
      Napi::Object snd = Napi::Object::New(env);
      snd.Set("sid", n.ssfe_info.snd_sid);
      snd.Set("flags", n.ssfe_info.snd_flags);
      snd.Set("ppid", ntohl(n.ssfe_info.snd_ppid));
      snd.Set("context", n.ssfe_info.snd_context);
      snd.Set("assocId", static_cast<double>(n.ssfe_info.snd_assoc_id));
      o.Set("sndinfo", snd);
      SetAssoc(o, n.ssfe_assoc_id);
      o.Set("data", Tail(env, data, length, offsetof(struct sctp_send_failed_event, ssfe_data)));
      return o;
    }
    case SCTP_SHUTDOWN_EVENT: {
      struct sctp_shutdown_event n;
      if (!Load(data, length, &n)) break;
      o.Set("type", "shutdown");
      SetAssoc(o, n.sse_assoc_id);
      return o;
    }
    case SCTP_ADAPTATION_INDICATION: {
      struct sctp_adaptation_event n;
      if (!Load(data, length, &n)) break;
      o.Set("type", "adaptation-indication");
      o.Set("adaptationInd", n.sai_adaptation_ind);
      SetAssoc(o, n.sai_assoc_id);
      return o;
    }
    case SCTP_PARTIAL_DELIVERY_EVENT: {
      struct sctp_pdapi_event n;
      if (!LoadPdapi(data, length, &n)) break;
      o.Set("type", "partial-delivery");
      o.Set("indication", n.pdapi_indication == SCTP_PARTIAL_DELIVERY_ABORTED ? "aborted" : "unknown");
      o.Set("stream", n.pdapi_stream);
      o.Set("seq", n.pdapi_seq);
      SetAssoc(o, n.pdapi_assoc_id);
      return o;
    }
    case SCTP_AUTHENTICATION_EVENT: {
      struct sctp_authkey_event n;
      if (!Load(data, length, &n)) break;
      o.Set("type", "authentication");
      o.Set("keyNumber", n.auth_keynumber);
      o.Set("indication", AuthIndication(n.auth_indication));
      SetAssoc(o, n.auth_assoc_id);
      return o;
    }
    case SCTP_SENDER_DRY_EVENT: {
      struct sctp_sender_dry_event n;
      if (!Load(data, length, &n)) break;
      o.Set("type", "sender-dry");
      SetAssoc(o, n.sender_dry_assoc_id);
      return o;
    }
    case SCTP_NOTIFICATIONS_STOPPED_EVENT:
      // Header only: no association id in the struct.
      o.Set("type", "notifications-stopped");
      SetAssoc(o, 0);
      return o;
    case SCTP_STREAM_RESET_EVENT: {
      struct sctp_stream_reset_event n;
      if (!Load(data, length, &n)) break;
      o.Set("type", "stream-reset");
      SetAssoc(o, n.strreset_assoc_id);
      o.Set("incoming", (n.strreset_flags & SCTP_STREAM_RESET_INCOMING_SSN) != 0);
      o.Set("outgoing", (n.strreset_flags & SCTP_STREAM_RESET_OUTGOING_SSN) != 0);
      o.Set("denied", (n.strreset_flags & SCTP_STREAM_RESET_DENIED) != 0);
      o.Set("failed", (n.strreset_flags & SCTP_STREAM_RESET_FAILED) != 0);
      Napi::Array streams = Napi::Array::New(env);
      const size_t list = offsetof(struct sctp_stream_reset_event, strreset_stream_list);
      for (size_t off = list, i = 0; off + sizeof(uint16_t) <= length; off += sizeof(uint16_t), ++i) {
        uint16_t sid;
        std::memcpy(&sid, data + off, sizeof(sid));
        streams.Set(static_cast<uint32_t>(i), sid);
      }
      o.Set("streams", streams);
      return o;
    }
    case SCTP_ASSOC_RESET_EVENT: {
      struct sctp_assoc_reset_event n;
      if (!Load(data, length, &n)) break;
      o.Set("type", "assoc-reset");
      SetAssoc(o, n.assocreset_assoc_id);
      o.Set("denied", (n.assocreset_flags & SCTP_ASSOC_RESET_DENIED) != 0);
      o.Set("failed", (n.assocreset_flags & SCTP_ASSOC_RESET_FAILED) != 0);
      o.Set("localTsn", n.assocreset_local_tsn);
      o.Set("remoteTsn", n.assocreset_remote_tsn);
      return o;
    }
    case SCTP_STREAM_CHANGE_EVENT: {
      struct sctp_stream_change_event n;
      if (!Load(data, length, &n)) break;
      o.Set("type", "stream-change");
      SetAssoc(o, n.strchange_assoc_id);
      o.Set("denied", (n.strchange_flags & SCTP_STREAM_CHANGE_DENIED) != 0);
      o.Set("failed", (n.strchange_flags & SCTP_STREAM_CHANGE_FAILED) != 0);
      o.Set("inboundStreams", n.strchange_instrms);
      o.Set("outboundStreams", n.strchange_outstrms);
      return o;
    }
    default:
      break;
  }
  // Unknown kind (e.g. the deprecated SCTP_SEND_FAILED) or too short for its struct: raw bytes.
  o.Set("type", "unknown");
  o.Set("notificationType", header.sn_type);
  o.Set("assocId", 0);
  o.Set("data", Napi::Buffer<uint8_t>::Copy(env, data, length));
  return o;
}

}  // namespace sctp_native
