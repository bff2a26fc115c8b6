// Large messages and per-message information: 4 MiB whole, pieces on request, NXTINFO, RCVINFO,
// default-sndinfo, explicit EOR and per-message INIT.
#include "datamodel.h"
#include <stdlib.h>
#include <string.h>

static uint8_t *pattern(size_t size, unsigned seed) {
  uint8_t *b = malloc(size);
  for (size_t i = 0; i < size; i++) b[i] = (uint8_t) ((i * 31 + seed) & 0xff);
  return b;
}

/** One incoming message, read alone: receive(1). Free with sctp_sockets_sctp_incoming_free. */
static sctp_incoming_t receive_one(sctp_t s) {
  for (;;) {
    sctp_incoming_list_t items;
    check(sctp_sockets_sctp_method_sctp_socket_receive(s, 1, &items, &err), "receive", err);
    if (items.len == 1 && items.ptr[0].tag == SCTP_SOCKETS_SCTP_INCOMING_MESSAGE) {
      sctp_incoming_t item = items.ptr[0];
      free(items.ptr);
      return item;
    }
    bool empty = items.len == 0;
    sctp_sockets_sctp_list_incoming_free(&items);
    if (empty && !wait_timeout(s, 5000)) guest_fail("no message\n");
  }
}

/** Waits until the peer acknowledged everything sent: the messages are then waiting at the receiver. */
static void acknowledged(sctp_t s) {
  command_option_u32_t none = { false };
  for (int i = 0; i < 250; i++) {
    sctp_sockets_sctp_association_status_t st;
    check(sctp_sockets_sctp_method_sctp_socket_status(s, &none, &st, &err), "status", err);
    if (st.unacked_data == 0 && st.pending_data == 0) return;
    sleep_ms(20);
  }
}

static void next_info(json_t *j, const sctp_sockets_sctp_option_next_info_t *n) {
  if (!n->is_some) { j_null(j); return; }
  j_open(j);
  put_u64(j, "association", n->val.association);
  put_u64(j, "stream", n->val.stream);
  put_u64(j, "ppid", n->val.ppid);
  put_u64(j, "length", n->val.length);
  put_bool(j, "unordered", n->val.unordered);
  put_bool(j, "complete", n->val.complete);
  put_bool(j, "notification", n->val.notification);
  j_close(j);
}

typedef void (*write_t)(json_t *j, const sctp_received_t *m);

/** Reads `n` messages one at a time and writes each as `write` does, in an array under "got". */
static void put_got(json_t *j, sctp_t s, int n, write_t write) {
  j_key(j, "got");
  j_open_array(j);
  for (int i = 0; i < n; i++) {
    sctp_incoming_t it = receive_one(s);
    write(j, &it.val.message);
    sctp_sockets_sctp_incoming_free(&it);
  }
  j_close_array(j);
}

static void j_rcvinfo(json_t *j, const sctp_received_t *m) {
  j_open(j);
  put_u64(j, "stream", m->stream);
  put_u64(j, "ssn", m->ssn);
  put_u64(j, "tsn", m->tsn);
  put_u64(j, "cumulativeTsn", m->cumulative_tsn);
  put_u64(j, "context", m->context);
  put_u64(j, "association", m->association);
  j_close(j);
}

static void j_text_stream_ppid(json_t *j, const sctp_received_t *m) {
  j_open_array(j);
  j_strn(j, m->data.ptr, m->data.len);
  j_u64(j, m->stream);
  j_u64(j, m->ppid);
  j_close_array(j);
}

static void j_text_complete(json_t *j, const sctp_received_t *m) {
  j_open_array(j);
  j_strn(j, m->data.ptr, m->data.len);
  j_bool(j, m->complete);
  j_close_array(j);
}

static void explicit_eor(sctp_t s) { check(sctp_sockets_sctp_method_sctp_socket_set_explicit_eor(s, true, &err), "set-explicit-eor", err); }
static void ten_streams(sctp_t s) {
  sctp_sockets_sctp_init_msg_t init = { 10, 10, 0, 0 };
  check(sctp_sockets_sctp_method_sctp_socket_set_init_msg(s, &init, &err), "set-init-msg", err);
}

static sctp_outgoing_t on_stream(const char *text, uint16_t stream, uint32_t ppid, bool has_ppid) {
  sctp_outgoing_t m = message(text, strlen(text));
  m.info.stream = some_u16(stream);
  if (has_ppid) m.info.ppid = some_u32(ppid);
  return m;
}

void large(void) {
  pair_t pair = connected_pair(NULL);
  sctp_t c = borrow(pair.client), r = borrow(pair.accepted);
  json_t j;
  command_option_u32_t none = { false };

  // 4 MiB: refused while the send buffer is smaller, then whole, then the message after it.
  size_t big_size = 4 << 20;
  uint8_t *big = pattern(big_size, 1);
  sctp_outgoing_t m[4];
  m[0] = message(big, big_size);
  sctp_outgoing_list_t list = { m, 1 };
  uint64_t taken;
  bool ok = sctp_sockets_sctp_method_sctp_socket_send(c, &list, &taken, &err);
  uint64_t receive_buffer;
  check(sctp_sockets_sctp_method_sctp_socket_receive_buffer_size(r, &receive_buffer, &err), "receive-buffer-size", err);
  j_case(&j, "too-large-for-buffer");
  put_str(&j, "code", code_of(ok, ok ? 0 : err));
  put_u64(&j, "receiveBuffer", receive_buffer);
  j_report(&j);
  check(sctp_sockets_sctp_method_sctp_socket_set_send_buffer_size(c, 9 << 20, &err), "set-send-buffer-size", err);
  m[0].info.stream = some_u16(1);
  m[0].info.ppid = some_u32(7);
  m[1] = on_stream("after", 1, 8, true);
  send_all(c, NULL, m, 2, NULL, NULL);
  sctp_incoming_t whole = receive_one(r);
  sctp_incoming_t after = receive_one(r);
  const sctp_received_t *w = &whole.val.message;
  j_case(&j, "whole");
  put_u64(&j, "length", w->data.len);
  put_bool(&j, "intact", w->data.len == big_size && memcmp(w->data.ptr, big, big_size) == 0);
  put_bool(&j, "complete", w->complete);
  put_u64(&j, "ppid", w->ppid);
  j_key(&j, "after");
  j_strn(&j, after.val.message.data.ptr, after.val.message.data.len);
  j_report(&j);
  sctp_sockets_sctp_incoming_free(&whole);
  sctp_sockets_sctp_incoming_free(&after);
  free(big);

  // Pieces on request: whole-messages off.
  check(sctp_sockets_sctp_method_sctp_socket_set_whole_messages(r, false, &err), "set-whole-messages", err);
  size_t medium_size = 1 << 20;
  uint8_t *medium = pattern(medium_size, 2);
  m[0] = message(medium, medium_size);
  m[0].info.stream = some_u16(3);
  send_all(c, NULL, m, 1, NULL, NULL);
  size_t joined = 0, count = 0;
  bool intact = true, complete_only_last = true, complete = false;
  while (!complete) {
    sctp_incoming_t p = receive_one(r);
    const sctp_received_t *piece = &p.val.message;
    if (joined + piece->data.len > medium_size || memcmp(piece->data.ptr, medium + joined, piece->data.len) != 0) intact = false;
    joined += piece->data.len;
    count++;
    complete = piece->complete;
    if (complete && joined != medium_size) complete_only_last = false;
    sctp_sockets_sctp_incoming_free(&p);
  }
  j_case(&j, "pieces");
  put_u64(&j, "count", count);
  put_u64(&j, "bytes", joined);
  put_bool(&j, "intact", intact);
  put_bool(&j, "completeOnlyLast", complete_only_last && count > 1);
  bool whole_messages = sctp_sockets_sctp_method_sctp_socket_whole_messages(r);
  put_bool(&j, "wholeMessages", whole_messages);
  j_report(&j);
  free(medium);
  check(sctp_sockets_sctp_method_sctp_socket_set_whole_messages(r, true, &err), "set-whole-messages", err);

  // NXTINFO: each message says what waits behind it.
  check(sctp_sockets_sctp_method_sctp_socket_set_recv_nxtinfo(r, true, &err), "set-recv-nxtinfo", err);
  m[0] = on_stream("first", 1, 10, true);
  m[1] = on_stream("second!", 2, 20, true);
  m[1].info.flags = (sctp_sockets_sctp_option_send_flags_t) { true, SCTP_SOCKETS_SCTP_SEND_FLAGS_UNORDERED };
  send_all(c, NULL, m, 2, NULL, NULL);
  acknowledged(c);
  sctp_incoming_t a = receive_one(r), b = receive_one(r);
  j_case(&j, "nxtinfo");
  j_key(&j, "first"); j_strn(&j, a.val.message.data.ptr, a.val.message.data.len);
  j_key(&j, "next"); next_info(&j, &a.val.message.next);
  j_key(&j, "second"); j_strn(&j, b.val.message.data.ptr, b.val.message.data.len);
  j_key(&j, "nextAfterLast"); next_info(&j, &b.val.message.next);
  j_report(&j);
  sctp_sockets_sctp_incoming_free(&a);
  sctp_sockets_sctp_incoming_free(&b);

  // RCVINFO: consecutive ordered messages of a stream have consecutive SSNs and TSNs; the context is
  // the receiving socket's own value for the association.
  sctp_scope_t all = scope_all();
  check(sctp_sockets_sctp_method_sctp_socket_set_context(r, &all, 0x1234, &err), "set-context", err);
  m[0] = on_stream("r1", 4, 1, true);
  m[1] = on_stream("r2", 4, 2, true);
  send_all(c, NULL, m, 2, NULL, NULL);
  j_case(&j, "rcvinfo");
  put_got(&j, r, 2, j_rcvinfo);
  sctp_sockets_sctp_association_status_t st;
  check(sctp_sockets_sctp_method_sctp_socket_status(r, &none, &st, &err), "status", err);
  put_u64(&j, "association", st.association);
  j_report(&j);

  // What a message leaves out comes from default-sndinfo.
  sctp_scope_t future = scope_future();
  sctp_sockets_sctp_sndinfo_t defaults = { 3, 77, 0, 5 };
  check(sctp_sockets_sctp_method_sctp_socket_set_default_sndinfo(c, &future, &defaults, &err), "set-default-sndinfo", err);
  m[0] = message("defaults", 8);
  m[1] = on_stream("own stream", 1, 0, false);
  send_all(c, NULL, m, 2, NULL, NULL);
  j_case(&j, "default-sndinfo");
  put_got(&j, r, 2, j_text_stream_ppid);
  j_report(&j);
  drop_pair(pair);

  // Explicit EOR: a message written in three sends arrives as one.
  pair_t eor = connected_pair(explicit_eor);
  m[0] = on_stream("one ", 1, 0, false);
  m[1] = on_stream("message ", 1, 0, false);
  m[2] = on_stream("in three", 1, 0, false);
  m[2].info.flags = (sctp_sockets_sctp_option_send_flags_t) { true, SCTP_SOCKETS_SCTP_SEND_FLAGS_EOR };
  m[3] = on_stream("next", 1, 0, false);
  m[3].info.flags = (sctp_sockets_sctp_option_send_flags_t) { true, SCTP_SOCKETS_SCTP_SEND_FLAGS_EOR };
  send_all(borrow(eor.client), NULL, m, 4, NULL, NULL);
  j_case(&j, "explicit-eor");
  put_got(&j, borrow(eor.accepted), 2, j_text_complete);
  j_report(&j);
  drop_pair(eor);

  // SCTP_INIT per message: the association this send sets up asks for 3 streams.
  sctp_own_t many = server(ONE_TO_MANY, NULL);
  sctp_own_t implicit = client(ONE_TO_MANY, ten_streams);
  m[0] = message("hi", 2);
  m[0].info.destination = (wasi_sockets_network_option_ip_socket_address_t) { true, local_of(borrow(many)) };
  m[0].info.init = (sctp_sockets_sctp_option_init_msg_t) { true, { 3, 0, 0, 0 } };
  send_all(borrow(implicit), NULL, m, 1, NULL, NULL);
  sctp_incoming_t hi = receive_one(borrow(many));
  command_option_u32_t that = { true, hi.val.message.association };
  sctp_sockets_sctp_incoming_free(&hi);
  check(sctp_sockets_sctp_method_sctp_socket_status(borrow(many), &that, &st, &err), "status", err);
  sctp_sockets_sctp_init_msg_t init;
  check(sctp_sockets_sctp_method_sctp_socket_init_msg(borrow(implicit), &init, &err), "init-msg", err);
  j_case(&j, "per-message-init");
  put_u64(&j, "peerInbound", st.inbound_streams);
  put_u64(&j, "socketSetting", init.num_ostreams);
  j_report(&j);
  sctp_sockets_sctp_sctp_socket_drop_own(implicit);
  sctp_sockets_sctp_sctp_socket_drop_own(many);
}
