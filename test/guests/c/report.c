#include "report.h"
#include <stdlib.h>
#include <string.h>

static void put(json_t *j, const char *s, size_t n) {
  if (j->len + n + 1 > j->cap) {
    j->cap = (j->len + n + 1) * 2;
    j->buf = realloc(j->buf, j->cap);
    if (!j->buf) abort();
  }
  memcpy(j->buf + j->len, s, n);
  j->len += n;
  j->buf[j->len] = 0;
}

static void puts_(json_t *j, const char *s) { put(j, s, strlen(s)); }

/** Before a value: a comma unless it is the first at its level or follows a key. */
static void value(json_t *j) {
  if (j->after_key) { j->after_key = false; return; }
  if (j->written[j->depth]) put(j, ",", 1);
  j->written[j->depth] = true;
}

void j_init(json_t *j) { memset(j, 0, sizeof *j); put(j, "", 0); }
void j_free(json_t *j) { free(j->buf); memset(j, 0, sizeof *j); }

void j_open(json_t *j) { value(j); put(j, "{", 1); j->written[++j->depth] = false; }
void j_close(json_t *j) { j->depth--; put(j, "}", 1); }
void j_open_array(json_t *j) { value(j); put(j, "[", 1); j->written[++j->depth] = false; }
void j_close_array(json_t *j) { j->depth--; put(j, "]", 1); }

void j_key(json_t *j, const char *key) {
  value(j);
  put(j, "\"", 1);
  puts_(j, key);
  put(j, "\":", 2);
  j->after_key = true;
}

void j_strn(json_t *j, const uint8_t *s, size_t n) {
  value(j);
  put(j, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    char c = (char) s[i];
    if (c == '"' || c == '\\') { put(j, "\\", 1); put(j, &c, 1); } else if ((unsigned char) c < 0x20) {
      char esc[8];
      snprintf(esc, sizeof esc, "\\u%04x", (unsigned char) c);
      puts_(j, esc);
    } else put(j, &c, 1);
  }
  put(j, "\"", 1);
}

void j_str(json_t *j, const char *s) { j_strn(j, (const uint8_t *) s, strlen(s)); }

void j_u64(json_t *j, uint64_t v) {
  char text[24];
  snprintf(text, sizeof text, "%llu", (unsigned long long) v);
  value(j);
  puts_(j, text);
}

void j_bool(json_t *j, bool v) { value(j); puts_(j, v ? "true" : "false"); }
void j_null(json_t *j) { value(j); puts_(j, "null"); }
void j_raw(json_t *j, const json_t *v) { value(j); put(j, v->buf, v->len); }

void j_bytes(json_t *j, const command_list_u8_t *data) {
  j_open_array(j);
  for (size_t i = 0; i < data->len; i++) j_u64(j, data->ptr[i]);
  j_close_array(j);
}

void j_list_u32(json_t *j, const command_list_u32_t *list) {
  j_open_array(j);
  for (size_t i = 0; i < list->len; i++) j_u64(j, list->ptr[i]);
  j_close_array(j);
}

void j_address(json_t *j, const sctp_address_t *a) {
  char text[64];
  j_str(j, format_address(a, text));
}

void j_case(json_t *j, const char *name) {
  j_init(j);
  j_open(j);
  j_key(j, "case");
  j_str(j, name);
}

void j_report(json_t *j) {
  j_close(j);
  printf("%s\n", j->buf);
  j_free(j);
}

void put_u64(json_t *j, const char *key, uint64_t v) { j_key(j, key); j_u64(j, v); }
void put_bool(json_t *j, const char *key, bool v) { j_key(j, key); j_bool(j, v); }
void put_str(json_t *j, const char *key, const char *v) { j_key(j, key); j_str(j, v); }

void j_error(json_t *j, sctp_error_t e) {
  j_open(j);
  j_key(j, "error");
  j_str(j, error_name(e));
  j_close(j);
}

const char *code_of(bool ok, sctp_error_t err) {
  return ok ? "ok" : error_name(err);
}

void j_pr_status(json_t *j, const sctp_sockets_sctp_pr_status_t *st) {
  j_open(j);
  put_u64(j, "abandonedUnsent", st->abandoned_unsent);
  put_u64(j, "abandonedSent", st->abandoned_sent);
  j_close(j);
}

static const char *KIND_NAMES[] = {
  "assoc-change", "peer-addr-change", "remote-error", "send-failed", "shutdown", "adaptation-indication", "partial-delivery",
  "authentication", "sender-dry", "notifications-stopped", "stream-reset", "assoc-reset", "stream-change",
};
static const char *ASSOC_STATES[] = { "comm-up", "comm-lost", "restart", "shutdown-comp", "cant-str-assoc" };
static const char *PEER_STATES[] = { "available", "unreachable", "removed", "added", "made-primary", "confirmed", "potentially-failed" };
static const char *AUTH_INDICATIONS[] = { "new-key", "no-auth", "free-key" };

static void reset_flags(json_t *j, sctp_sockets_sctp_reset_flags_t f) {
  j_key(j, "flags");
  j_open(j);
  j_key(j, "incoming"); j_bool(j, f & SCTP_SOCKETS_SCTP_RESET_FLAGS_INCOMING);
  j_key(j, "outgoing"); j_bool(j, f & SCTP_SOCKETS_SCTP_RESET_FLAGS_OUTGOING);
  j_key(j, "denied"); j_bool(j, f & SCTP_SOCKETS_SCTP_RESET_FLAGS_DENIED);
  j_key(j, "failed"); j_bool(j, f & SCTP_SOCKETS_SCTP_RESET_FLAGS_FAILED);
  j_close(j);
}

static void notification(json_t *j, const sctp_sockets_sctp_notification_t *n) {
  j_key(j, "kind");
  j_str(j, KIND_NAMES[n->tag]);
  switch (n->tag) {
    case SCTP_SOCKETS_SCTP_NOTIFICATION_ASSOC_CHANGE: {
      const sctp_sockets_sctp_assoc_change_t *v = &n->val.assoc_change;
      j_key(j, "association"); j_u64(j, v->association);
      j_key(j, "state"); j_str(j, ASSOC_STATES[v->state]);
      j_key(j, "error"); j_u64(j, v->error);
      j_key(j, "outboundStreams"); j_u64(j, v->outbound_streams);
      j_key(j, "inboundStreams"); j_u64(j, v->inbound_streams);
      j_key(j, "features");
      j_open(j);
      j_key(j, "partialReliability"); j_bool(j, v->features & SCTP_SOCKETS_SCTP_ASSOC_FEATURES_PARTIAL_RELIABILITY);
      j_key(j, "authentication"); j_bool(j, v->features & SCTP_SOCKETS_SCTP_ASSOC_FEATURES_AUTHENTICATION);
      j_key(j, "addressReconfiguration"); j_bool(j, v->features & SCTP_SOCKETS_SCTP_ASSOC_FEATURES_ADDRESS_RECONFIGURATION);
      j_key(j, "multiBuffer"); j_bool(j, v->features & SCTP_SOCKETS_SCTP_ASSOC_FEATURES_MULTI_BUFFER);
      j_key(j, "streamReconfiguration"); j_bool(j, v->features & SCTP_SOCKETS_SCTP_ASSOC_FEATURES_STREAM_RECONFIGURATION);
      j_key(j, "interleaving"); j_bool(j, v->features & SCTP_SOCKETS_SCTP_ASSOC_FEATURES_INTERLEAVING);
      j_close(j);
      j_key(j, "abortChunk"); j_bytes(j, &v->abort_chunk);
      break;
    }
    case SCTP_SOCKETS_SCTP_NOTIFICATION_PEER_ADDR_CHANGE: {
      const sctp_sockets_sctp_peer_addr_change_t *v = &n->val.peer_addr_change;
      j_key(j, "association"); j_u64(j, v->association);
      j_key(j, "address"); j_address(j, &v->address);
      j_key(j, "state"); j_str(j, PEER_STATES[v->state]);
      j_key(j, "error"); j_u64(j, v->error);
      break;
    }
    case SCTP_SOCKETS_SCTP_NOTIFICATION_REMOTE_ERROR: {
      const sctp_sockets_sctp_remote_error_t *v = &n->val.remote_error;
      j_key(j, "association"); j_u64(j, v->association);
      j_key(j, "error"); j_u64(j, v->error);
      j_key(j, "data"); j_bytes(j, &v->data);
      break;
    }
    case SCTP_SOCKETS_SCTP_NOTIFICATION_SEND_FAILED: {
      const sctp_sockets_sctp_send_failed_t *v = &n->val.send_failed;
      j_key(j, "association"); j_u64(j, v->association);
      j_key(j, "sent"); j_bool(j, v->sent);
      j_key(j, "error"); j_u64(j, v->error);
      j_key(j, "stream"); j_u64(j, v->stream);
      j_key(j, "ppid"); j_u64(j, v->ppid);
      j_key(j, "context"); j_u64(j, v->context);
      // Large payloads by length only.
      j_key(j, "data");
      if (v->data.len <= 64) j_bytes(j, &v->data); else j_u64(j, v->data.len);
      break;
    }
    case SCTP_SOCKETS_SCTP_NOTIFICATION_SHUTDOWN: j_key(j, "association"); j_u64(j, n->val.shutdown); break;
    case SCTP_SOCKETS_SCTP_NOTIFICATION_SENDER_DRY: j_key(j, "association"); j_u64(j, n->val.sender_dry); break;
    case SCTP_SOCKETS_SCTP_NOTIFICATION_NOTIFICATIONS_STOPPED: j_key(j, "association"); j_u64(j, n->val.notifications_stopped); break;
    case SCTP_SOCKETS_SCTP_NOTIFICATION_ADAPTATION_INDICATION:
      j_key(j, "association"); j_u64(j, n->val.adaptation_indication.association);
      j_key(j, "indication"); j_u64(j, n->val.adaptation_indication.indication);
      break;
    case SCTP_SOCKETS_SCTP_NOTIFICATION_PARTIAL_DELIVERY: {
      const sctp_sockets_sctp_partial_delivery_t *v = &n->val.partial_delivery;
      j_key(j, "association"); j_u64(j, v->association);
      j_key(j, "aborted"); j_bool(j, v->aborted);
      j_key(j, "stream"); j_u64(j, v->stream);
      j_key(j, "sequence"); j_u64(j, v->sequence);
      break;
    }
    case SCTP_SOCKETS_SCTP_NOTIFICATION_AUTHENTICATION:
      j_key(j, "association"); j_u64(j, n->val.authentication.association);
      j_key(j, "keyNumber"); j_u64(j, n->val.authentication.key_number);
      j_key(j, "indication"); j_str(j, AUTH_INDICATIONS[n->val.authentication.indication]);
      break;
    case SCTP_SOCKETS_SCTP_NOTIFICATION_STREAM_RESET: {
      const sctp_sockets_sctp_stream_reset_t *v = &n->val.stream_reset;
      j_key(j, "association"); j_u64(j, v->association);
      reset_flags(j, v->flags);
      j_key(j, "streams");
      j_open_array(j);
      for (size_t i = 0; i < v->streams.len; i++) j_u64(j, v->streams.ptr[i]);
      j_close_array(j);
      break;
    }
    case SCTP_SOCKETS_SCTP_NOTIFICATION_ASSOC_RESET:
      j_key(j, "association"); j_u64(j, n->val.assoc_reset.association);
      reset_flags(j, n->val.assoc_reset.flags);
      j_key(j, "localTsn"); j_u64(j, n->val.assoc_reset.local_tsn);
      j_key(j, "remoteTsn"); j_u64(j, n->val.assoc_reset.remote_tsn);
      break;
    case SCTP_SOCKETS_SCTP_NOTIFICATION_STREAM_CHANGE:
      j_key(j, "association"); j_u64(j, n->val.stream_change.association);
      reset_flags(j, n->val.stream_change.flags);
      j_key(j, "inboundStreams"); j_u64(j, n->val.stream_change.inbound_streams);
      j_key(j, "outboundStreams"); j_u64(j, n->val.stream_change.outbound_streams);
      break;
    default: break;
  }
}

void describe(json_t *j, const sctp_incoming_t *item) {
  j_open(j);
  if (item->tag == SCTP_SOCKETS_SCTP_INCOMING_END_OF_STREAM) {
    j_key(j, "end"); j_bool(j, true);
  } else if (item->tag == SCTP_SOCKETS_SCTP_INCOMING_NOTIFICATION) {
    notification(j, &item->val.notification);
  } else {
    const sctp_received_t *m = &item->val.message;
    j_key(j, "message");
    if (m->data.len <= 64) j_strn(j, m->data.ptr, m->data.len); else {
      char text[32];
      snprintf(text, sizeof text, "<%zu bytes>", m->data.len);
      j_str(j, text);
    }
    j_key(j, "length"); j_u64(j, m->data.len);
    j_key(j, "association"); j_u64(j, m->association);
    j_key(j, "stream"); j_u64(j, m->stream);
    j_key(j, "ppid"); j_u64(j, m->ppid);
    j_key(j, "unordered"); j_bool(j, m->unordered);
    j_key(j, "complete"); j_bool(j, m->complete);
    if (m->next.is_some) {
      const sctp_sockets_sctp_next_info_t *n = &m->next.val;
      j_key(j, "next");
      j_open(j);
      j_key(j, "association"); j_u64(j, n->association);
      j_key(j, "stream"); j_u64(j, n->stream);
      j_key(j, "ppid"); j_u64(j, n->ppid);
      j_key(j, "length"); j_u64(j, n->length);
      j_key(j, "unordered"); j_bool(j, n->unordered);
      j_key(j, "complete"); j_bool(j, n->complete);
      j_key(j, "notification"); j_bool(j, n->notification);
      j_close(j);
    }
  }
  j_close(j);
}

static bool done(const seen_t *s, until_t until, int arg, int n) {
  switch (until) {
    case UNTIL_KIND: return s->kinds[arg] >= n;
    case UNTIL_STATE: return s->states[arg];
    case UNTIL_MESSAGES: return s->messages >= n;
    case UNTIL_ENDED: return s->ended;
    case UNTIL_ANY: return s->count > 0;
  }
  return false;
}

seen_t *drain(sctp_t sock, until_t until, int arg, int n, uint64_t quiet_ms, uint64_t max) {
  seen_t *s = calloc(1, sizeof *s);
  j_init(&s->items);
  j_open_array(&s->items);
  while (!done(s, until, arg, n)) {
    sctp_incoming_list_t items;
    sctp_error_t err;
    if (!sctp_sockets_sctp_method_sctp_socket_receive(sock, max, &items, &err)) {
      j_error(&s->items, err);
      s->count++;
      s->ended = true;
      break;
    }
    if (items.len == 0) {
      sctp_sockets_sctp_list_incoming_free(&items);
      if (!wait_timeout(sock, quiet_ms)) break;
      continue;
    }
    for (size_t i = 0; i < items.len; i++) {
      const sctp_incoming_t *item = &items.ptr[i];
      describe(&s->items, item);
      s->count++;
      if (item->tag == SCTP_SOCKETS_SCTP_INCOMING_END_OF_STREAM) s->ended = true;
      if (item->tag == SCTP_SOCKETS_SCTP_INCOMING_NOTIFICATION) {
        const sctp_sockets_sctp_notification_t *no = &item->val.notification;
        if (s->kinds[no->tag]++ == 0) {
          // Every kind names its association first (or is one).
          s->association_of[no->tag] = no->tag == SCTP_SOCKETS_SCTP_NOTIFICATION_SHUTDOWN || no->tag == SCTP_SOCKETS_SCTP_NOTIFICATION_SENDER_DRY
            || no->tag == SCTP_SOCKETS_SCTP_NOTIFICATION_NOTIFICATIONS_STOPPED ? no->val.shutdown : no->val.assoc_change.association;
        }
        if (no->tag == SCTP_SOCKETS_SCTP_NOTIFICATION_ASSOC_CHANGE) s->states[no->val.assoc_change.state] = true;
      }
      if (item->tag == SCTP_SOCKETS_SCTP_INCOMING_MESSAGE && s->messages < 512) {
        const sctp_received_t *m = &item->val.message;
        int k = s->messages++;
        size_t len = m->data.len < 63 ? m->data.len : 63;
        memcpy(s->message[k].text, m->data.ptr, len);
        s->message[k].text[len] = 0;
        s->message[k].association = m->association;
        s->message[k].stream = m->stream;
        s->message[k].ppid = m->ppid;
        s->message[k].complete = m->complete;
      } else if (item->tag == SCTP_SOCKETS_SCTP_INCOMING_MESSAGE) {
        s->messages++;
      }
    }
    sctp_sockets_sctp_list_incoming_free(&items);
  }
  j_close_array(&s->items);
  return s;
}

void seen_free(seen_t *s) {
  j_free(&s->items);
  free(s);
}

void put_seen(json_t *j, const char *key, const seen_t *s) {
  j_key(j, key);
  j_raw(j, &s->items);
}

void put_drained(json_t *j, const char *key, sctp_t sock, until_t until, int arg, int n) {
  seen_t *seen = drain(sock, until, arg, n, 3000, 64);
  put_seen(j, key, seen);
  seen_free(seen);
}

void report_drained(const char *name, sctp_t sock, until_t until, int arg, int n) {
  json_t j;
  j_case(&j, name);
  put_drained(&j, "seen", sock, until, arg, n);
  j_report(&j);
}
