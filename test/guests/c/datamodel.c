// A C port of the data-model test guest (guest-examples/datamodel/datamodel.ts): SCTP's data model
// seen from a C guest, between sockets of its own; one JSON line per observation, with the keys of
// the TypeScript guest, for test/c-guests.test.ts.
//   datamodel events        every notification kind, each field
//   datamodel associations  three associations on one one-to-many socket: sendall, peeloff, abort, eof, autoclose
//   datamodel large         4 MiB whole, pieces on request, NXTINFO, RCVINFO, default-sndinfo, explicit EOR, per-message INIT
//   datamodel errors        the error codes of wrong use
#include "report.h"
#include <stdlib.h>
#include <string.h>

#define K(name) SCTP_SOCKETS_SCTP_NOTIFICATION_##name
#define S(name) SCTP_SOCKETS_SCTP_ASSOC_CHANGE_STATE_##name

static sctp_error_t err;

static uint16_t encaps(void) {
  uint16_t port;
  return sctp_sockets_sctp_udp_encapsulation_port(&port) ? port : 0;
}

static void set_event(sctp_t s, uint8_t kind, bool on) {
  sctp_scope_t future = scope_future();
  check(sctp_sockets_sctp_method_sctp_socket_set_event(s, &future, kind, on, &err), "set-event", err);
}

static void subscribe_all(sctp_t s) {
  for (uint8_t kind = 0; kind <= SCTP_SOCKETS_SCTP_EVENT_KIND_STREAM_CHANGE; kind++) {
    if (kind != SCTP_SOCKETS_SCTP_EVENT_KIND_NOTIFICATIONS_STOPPED) set_event(s, kind, true);
  }
}

/** Fast retransmissions, and patience: a path that goes dark for a second must not end the association. */
static void tune(sctp_t s) {
  sctp_scope_t future = scope_future();
  sctp_sockets_sctp_rto_info_t rto = { 100, 200, 50 };
  check(sctp_sockets_sctp_method_sctp_socket_set_rto_info(s, &future, &rto, &err), "set-rto-info", err);
  sctp_sockets_sctp_assoc_params_t params = { .max_retransmits = 40 };
  check(sctp_sockets_sctp_method_sctp_socket_set_assoc_info(s, &future, &params, &err), "set-assoc-info", err);
  wasi_sockets_network_option_ip_socket_address_t none = { false };
  sctp_sockets_sctp_peer_addr_params_t p = { .path_max_retransmits = { true, 40 } };
  check(sctp_sockets_sctp_method_sctp_socket_set_peer_addr_params(s, &future, &none, &p, &err), "set-peer-addr-params", err);
}

typedef void (*prepare_t)(sctp_t);

static sctp_own_t server(uint8_t type, prepare_t prepare) {
  sctp_own_t s = new_socket(type);
  if (prepare) prepare(borrow(s));
  bind_to(borrow(s), ipv4("127.0.0.1", 0));
  listen_on(borrow(s));
  return s;
}

static sctp_own_t client(uint8_t type, prepare_t prepare) {
  sctp_own_t s = new_socket(type);
  sctp_scope_t future = scope_future();
  check(sctp_sockets_sctp_method_sctp_socket_set_remote_udp_encaps_port(borrow(s), &future, encaps(), &err), "set-remote-udp-encaps-port", err);
  if (prepare) prepare(borrow(s));
  bind_to(borrow(s), ipv4("127.0.0.1", 0));
  return s;
}

static sctp_address_t local_of(sctp_t s) {
  sctp_address_t a;
  check(sctp_sockets_sctp_method_sctp_socket_local_address(s, &a, &err), "local-address", err);
  return a;
}

static void send_text(sctp_t s, const char *text, sctp_sockets_sctp_send_info_t info) {
  sctp_outgoing_t m = message(text, strlen(text));
  m.info = info;
  send_all(s, NULL, &m, 1, NULL, NULL);
}

static sctp_sockets_sctp_send_info_t no_info(void) {
  sctp_sockets_sctp_send_info_t i;
  memset(&i, 0, sizeof i);
  return i;
}

static void put_seen(json_t *j, const char *key, seen_t *s) {
  j_key(j, key);
  j_raw(j, &s->items);
}


static void put_pr_status(json_t *j, const char *key, sctp_t s, uint8_t policy) {
  sctp_sockets_sctp_option_pr_policy_kind_t p = { true, policy };
  command_option_u32_t none = { false };
  sctp_sockets_sctp_pr_status_t st;
  check(sctp_sockets_sctp_method_sctp_socket_pr_assoc_status(s, &none, &p, &st, &err), "pr-assoc-status", err);
  j_key(j, key);
  j_open(j);
  put_u64(j, "abandonedUnsent", st.abandoned_unsent);
  put_u64(j, "abandonedSent", st.abandoned_sent);
  j_close(j);
}

// ---- events -------------------------------------------------------------------------------------

static void keys(sctp_t s) {
  sctp_scope_t future = scope_future();
  check(sctp_sockets_sctp_method_sctp_socket_add_auth_chunk(s, 0, &err), "add-auth-chunk", err); // DATA must be authenticated
  uint8_t key[8];
  memset(key, 2, sizeof key);
  sctp_sockets_sctp_auth_key_t k = { 2, { key, sizeof key } };
  check(sctp_sockets_sctp_method_sctp_socket_set_auth_key(s, &future, &k, &err), "set-auth-key", err);
  check(sctp_sockets_sctp_method_sctp_socket_set_enable_stream_reset(s, &future,
    SCTP_SOCKETS_SCTP_RECONFIG_REQUESTS_RESET_STREAMS | SCTP_SOCKETS_SCTP_RECONFIG_REQUESTS_RESET_ASSOCIATION | SCTP_SOCKETS_SCTP_RECONFIG_REQUESTS_ADD_STREAMS, &err),
    "set-enable-stream-reset", err);
}
static void events_server(sctp_t s) { subscribe_all(s); keys(s); check(sctp_sockets_sctp_method_sctp_socket_set_adaptation_layer(s, 0x01020304, &err), "set-adaptation-layer", err); }
static void events_client(sctp_t s) { tune(s); subscribe_all(s); keys(s); check(sctp_sockets_sctp_method_sctp_socket_set_adaptation_layer(s, 0x0a0b0c0d, &err), "set-adaptation-layer", err); }
static void plain_client(sctp_t s) {
  check(sctp_sockets_sctp_method_sctp_socket_set_asconf_supported(s, false, &err), "set-asconf-supported", err);
  check(sctp_sockets_sctp_method_sctp_socket_set_auth_supported(s, false, &err), "set-auth-supported", err);
}
static void lonely_client(sctp_t s) {
  set_event(s, SCTP_SOCKETS_SCTP_EVENT_KIND_ASSOC_CHANGE, true);
  sctp_sockets_sctp_init_msg_t init = { 1, 1, 1, 200 };
  check(sctp_sockets_sctp_method_sctp_socket_set_init_msg(s, &init, &err), "set-init-msg", err);
}
static void pd_prepare(sctp_t s) {
  set_event(s, SCTP_SOCKETS_SCTP_EVENT_KIND_PARTIAL_DELIVERY, true);
  set_event(s, SCTP_SOCKETS_SCTP_EVENT_KIND_ASSOC_CHANGE, true);
  set_event(s, SCTP_SOCKETS_SCTP_EVENT_KIND_SEND_FAILED, true);
  check(sctp_sockets_sctp_method_sctp_socket_set_receive_buffer_size(s, 32768, &err), "set-receive-buffer-size", err);
  check(sctp_sockets_sctp_method_sctp_socket_set_partial_delivery_point(s, 4096, &err), "set-partial-delivery-point", err);
}

static void report_pair(const char *name, sctp_t a, const char *a_key, sctp_t b, const char *b_key, until_t until, int arg) {
  json_t j;
  j_case(&j, name);
  seen_t *x = drain(a, until, arg, 1, 3000, 64);
  seen_t *y = drain(b, until, arg, 1, 3000, 64);
  put_seen(&j, a_key, x);
  put_seen(&j, b_key, y);
  j_report(&j);
  seen_free(x);
  seen_free(y);
}

static void events(void) {
  sctp_own_t srv = server(ONE_TO_MANY, events_server);
  sctp_own_t cli = client(ONE_TO_ONE, events_client);
  sctp_t c = borrow(cli), s = borrow(srv);
  uint32_t association = connect_to(c, local_of(s));
  json_t j;
  j_case(&j, "client-up");
  put_u64(&j, "association", association);
  seen_t *seen = drain(c, UNTIL_KIND, K(ADAPTATION_INDICATION), 1, 3000, 64);
  put_seen(&j, "seen", seen);
  j_report(&j);
  seen_free(seen);
  report_drained("server-up", s, UNTIL_KIND, K(PEER_ADDR_CHANGE), 1);

  // A message authenticated with key 2 instead of the active key 0: the receiver sees the key change.
  sctp_sockets_sctp_send_info_t info = no_info();
  info.auth_key = some_u16(2);
  send_text(c, "hi", info);
  report_drained("auth-new-key", s, UNTIL_MESSAGES, 0, 1);
  report_drained("sender-dry", c, UNTIL_KIND, K(SENDER_DRY), 1);

  // PR-SCTP: while the path is dark (the peer's UDP port pointed at the discard port), a message with
  // a 300 ms lifetime and one allowed no retransmission are abandoned and come back with their data.
  sctp_scope_t all = scope_all();
  check(sctp_sockets_sctp_method_sctp_socket_set_remote_udp_encaps_port(c, &all, 9, &err), "set-remote-udp-encaps-port", err);
  sctp_outgoing_t pr[2] = { message("ttl-msg", 7), message("rtx-msg", 7) };
  pr[0].info.stream = some_u16(2);
  pr[0].info.context = some_u32(42);
  pr[0].info.pr_policy = (sctp_sockets_sctp_option_pr_policy_t) { true, { SCTP_SOCKETS_SCTP_PR_POLICY_TTL, { .ttl = 300 } } };
  pr[1].info.stream = some_u16(2);
  pr[1].info.context = some_u32(43);
  pr[1].info.pr_policy = (sctp_sockets_sctp_option_pr_policy_t) { true, { SCTP_SOCKETS_SCTP_PR_POLICY_RTX, { .rtx = 0 } } };
  send_all(c, NULL, pr, 2, NULL, NULL);
  sleep_ms(1200);
  check(sctp_sockets_sctp_method_sctp_socket_set_remote_udp_encaps_port(c, &all, encaps(), &err), "set-remote-udp-encaps-port", err);
  info = no_info();
  info.stream = some_u16(2);
  info.context = some_u32(44);
  send_text(c, "after", info);
  j_case(&j, "pr-sctp");
  seen = drain(c, UNTIL_KIND, K(SEND_FAILED), 2, 3000, 64);
  put_seen(&j, "sender", seen);
  seen_free(seen);
  put_pr_status(&j, "ttl", c, SCTP_SOCKETS_SCTP_PR_POLICY_KIND_TTL);
  put_pr_status(&j, "rtx", c, SCTP_SOCKETS_SCTP_PR_POLICY_KIND_RTX);
  seen = drain(s, UNTIL_MESSAGES, 0, 1, 3000, 64);
  put_seen(&j, "receiver", seen);
  seen_free(seen);
  j_report(&j);

  // RFC 6525 stream reconfiguration, each seen from both ends.
  command_option_u32_t none = { false };
  uint16_t one[] = { 1 }, zero[] = { 0 };
  sctp_sockets_sctp_reset_streams_request_t reset = { SCTP_SOCKETS_SCTP_RESET_DIRECTIONS_OUTGOING, { one, 1 } };
  check(sctp_sockets_sctp_method_sctp_socket_reset_streams(c, &none, &reset, &err), "reset-streams", err);
  report_pair("stream-reset", c, "client", s, "server", UNTIL_KIND, K(STREAM_RESET));
  reset = (sctp_sockets_sctp_reset_streams_request_t) { SCTP_SOCKETS_SCTP_RESET_DIRECTIONS_INCOMING, { zero, 1 } };
  check(sctp_sockets_sctp_method_sctp_socket_reset_streams(c, &none, &reset, &err), "reset-streams", err);
  report_pair("stream-reset-incoming", c, "client", s, "server", UNTIL_KIND, K(STREAM_RESET));
  sctp_sockets_sctp_add_streams_request_t add = { 0, 2 };
  check(sctp_sockets_sctp_method_sctp_socket_add_streams(c, &none, &add, &err), "add-streams", err);
  report_pair("stream-change", c, "client", s, "server", UNTIL_KIND, K(STREAM_CHANGE));
  check(sctp_sockets_sctp_method_sctp_socket_reset_assoc(c, &none, &err), "reset-assoc", err);
  report_pair("assoc-reset", c, "client", s, "server", UNTIL_KIND, K(ASSOC_RESET));

  // Key 0 retired: once nothing uses it, the stack says it is free.
  sctp_scope_t future = scope_future();
  check(sctp_sockets_sctp_method_sctp_socket_set_auth_active_key(c, &future, 2, &err), "set-auth-active-key", err);
  check(sctp_sockets_sctp_method_sctp_socket_deactivate_auth_key(c, &future, 0, &err), "deactivate-auth-key", err);
  report_drained("auth-free-key", c, UNTIL_KIND, K(AUTHENTICATION), 1);

  // A peer without AUTH: the server is told.
  sctp_own_t plain = client(ONE_TO_ONE, plain_client);
  connect_to(borrow(plain), local_of(s));
  seen_t *no_auth = drain(s, UNTIL_KIND, K(AUTHENTICATION), 1, 3000, 64);
  j_case(&j, "auth-no-auth");
  put_seen(&j, "seen", no_auth);
  j_report(&j);

  // Reconfiguration requests to a peer that has not enabled them are denied, and say so.
  command_option_u32_t plain_assoc = { true, no_auth->association_of[K(AUTHENTICATION)] };
  seen_free(no_auth);
  reset = (sctp_sockets_sctp_reset_streams_request_t) { SCTP_SOCKETS_SCTP_RESET_DIRECTIONS_OUTGOING, { zero, 1 } };
  check(sctp_sockets_sctp_method_sctp_socket_reset_streams(s, &plain_assoc, &reset, &err), "reset-streams", err);
  seen_t *reset_denied = drain(s, UNTIL_KIND, K(STREAM_RESET), 1, 3000, 64);
  add = (sctp_sockets_sctp_add_streams_request_t) { 0, 1 };
  check(sctp_sockets_sctp_method_sctp_socket_add_streams(s, &plain_assoc, &add, &err), "add-streams", err);
  seen_t *add_denied = drain(s, UNTIL_KIND, K(STREAM_CHANGE), 1, 3000, 64);
  check(sctp_sockets_sctp_method_sctp_socket_reset_assoc(s, &plain_assoc, &err), "reset-assoc", err);
  seen_t *assoc_denied = drain(s, UNTIL_KIND, K(ASSOC_RESET), 1, 3000, 64);
  j_case(&j, "reconfig-denied");
  put_seen(&j, "reset", reset_denied);
  put_seen(&j, "add", add_denied);
  put_seen(&j, "assoc", assoc_denied);
  j_report(&j);
  seen_free(reset_denied);
  seen_free(add_denied);
  seen_free(assoc_denied);

  // INIT to a port where nobody listens: the one-to-many socket that sent it is told.
  sctp_own_t lonely = client(ONE_TO_MANY, lonely_client);
  sctp_address_t nowhere = local_of(s);
  nowhere.val.ipv4.port++;
  info = no_info();
  info.destination = (wasi_sockets_network_option_ip_socket_address_t) { true, nowhere };
  send_text(borrow(lonely), "anyone?", info);
  report_drained("cant-str-assoc", borrow(lonely), UNTIL_STATE, S(CANT_STR_ASSOC), 1);

  // A large message being read in pieces when its sender aborts.
  sctp_own_t pd_srv = server(ONE_TO_ONE, pd_prepare);
  sctp_own_t pd_cli = client(ONE_TO_ONE, pd_prepare);
  connect_to(borrow(pd_cli), local_of(borrow(pd_srv)));
  sctp_own_t pd_conn = accept_one(borrow(pd_srv));
  check(sctp_sockets_sctp_method_sctp_socket_set_whole_messages(borrow(pd_conn), false, &err), "set-whole-messages", err);
  check(sctp_sockets_sctp_method_sctp_socket_set_send_buffer_size(borrow(pd_cli), 1 << 20, &err), "set-send-buffer-size", err);
  uint8_t *big = malloc(300000);
  memset(big, 65, 300000);
  sctp_outgoing_t bm = message(big, 300000);
  bm.info.stream = some_u16(1);
  send_all(borrow(pd_cli), NULL, &bm, 1, NULL, NULL);
  seen_t *first = drain(borrow(pd_conn), UNTIL_MESSAGES, 0, 1, 3000, 1);
  info = no_info();
  info.flags = (sctp_sockets_sctp_option_send_flags_t) { true, SCTP_SOCKETS_SCTP_SEND_FLAGS_ABORT };
  send_text(borrow(pd_cli), "abort", info);
  seen_t *rest = drain(borrow(pd_conn), UNTIL_ENDED, 0, 1, 3000, 64);
  j_case(&j, "partial-delivery");
  put_seen(&j, "first", first);
  put_seen(&j, "rest", rest);
  j_report(&j);
  seen_free(first);
  seen_free(rest);
  // What the aborting sender had not sent yet comes back to it (payloads over 64 bytes by length).
  report_drained("send-failed-unsent", borrow(pd_cli), UNTIL_ENDED, 0, 1);
  free(big);

  // Graceful shutdown, seen from both ends.
  check(sctp_sockets_sctp_method_sctp_socket_shutdown(c, &err), "shutdown", err);
  j_case(&j, "shutdown");
  seen = drain(c, UNTIL_ENDED, 0, 1, 3000, 64);
  put_seen(&j, "client", seen);
  seen_free(seen);
  seen = drain(s, UNTIL_STATE, S(SHUTDOWN_COMP), 1, 3000, 64);
  put_seen(&j, "server", seen);
  seen_free(seen);
  j_report(&j);
  sctp_own_t all_sockets[] = { cli, plain, lonely, pd_cli, pd_conn, pd_srv, srv };
  for (size_t i = 0; i < sizeof all_sockets / sizeof all_sockets[0]; i++) sctp_sockets_sctp_sctp_socket_drop_own(all_sockets[i]);
}

// ---- associations -------------------------------------------------------------------------------

static void assoc_change_events(sctp_t s) { set_event(s, SCTP_SOCKETS_SCTP_EVENT_KIND_ASSOC_CHANGE, true); }

static void send_flagged(sctp_t s, const char *text, uint32_t association, bool has_association, sctp_sockets_sctp_send_flags_t flags) {
  sctp_sockets_sctp_send_info_t info = no_info();
  if (has_association) info.association = some_u32(association);
  info.flags = (sctp_sockets_sctp_option_send_flags_t) { true, flags };
  send_text(s, text, info);
}

static void associations(void) {
  sctp_own_t srv = server(ONE_TO_MANY, assoc_change_events);
  sctp_t s = borrow(srv);
  sctp_own_t clients[3];
  char text[32];
  for (int i = 0; i < 3; i++) {
    clients[i] = client(ONE_TO_ONE, NULL);
    connect_to(borrow(clients[i]), local_of(s));
  }
  for (int i = 0; i < 3; i++) {
    snprintf(text, sizeof text, "hello from %d", i);
    send_text(borrow(clients[i]), text, no_info());
  }
  seen_t *greetings = drain(s, UNTIL_MESSAGES, 0, 3, 3000, 64);
  uint32_t assoc[3] = { 0, 0, 0 };
  for (int k = 0; k < greetings->messages && k < 3; k++) {
    int i;
    if (sscanf(greetings->message[k].text, "hello from %d", &i) == 1 && i >= 0 && i < 3) assoc[i] = greetings->message[k].association;
  }
  seen_free(greetings);
  json_t j;
  j_case(&j, "three-up");
  j_key(&j, "associations");
  j_open_array(&j);
  for (int i = 0; i < 3; i++) j_u64(&j, assoc[i]);
  j_close_array(&j);
  uint32_t number;
  check(sctp_sockets_sctp_method_sctp_socket_assoc_number(s, &number, &err), "assoc-number", err);
  put_u64(&j, "number", number);
  command_list_u32_t ids;
  check(sctp_sockets_sctp_method_sctp_socket_assoc_id_list(s, &ids, &err), "assoc-id-list", err);
  j_key(&j, "ids");
  j_open_array(&j);
  for (size_t i = 0; i < ids.len; i++) j_u64(&j, ids.ptr[i]);
  j_close_array(&j);
  command_list_u32_free(&ids);
  j_report(&j);

  // SCTP_SENDALL: one send reaches every association; SCTP_SACK_IMMEDIATELY is accepted with data.
  send_flagged(s, "to everyone", 0, false, SCTP_SOCKETS_SCTP_SEND_FLAGS_SENDALL);
  send_flagged(borrow(clients[0]), "acknowledge at once", 0, false, SCTP_SOCKETS_SCTP_SEND_FLAGS_SACK_IMMEDIATELY);
  j_case(&j, "sendall");
  j_key(&j, "got");
  j_open_array(&j);
  for (int i = 0; i < 3; i++) {
    seen_t *got = drain(borrow(clients[i]), UNTIL_MESSAGES, 0, 1, 3000, 64);
    j_open_array(&j);
    for (int k = 0; k < got->messages; k++) j_str(&j, got->message[k].text);
    j_close_array(&j);
    seen_free(got);
  }
  j_close_array(&j);
  seen_t *sack = drain(s, UNTIL_MESSAGES, 0, 1, 3000, 64);
  j_key(&j, "sackImmediately");
  j_open_array(&j);
  for (int k = 0; k < sack->messages; k++) j_str(&j, sack->message[k].text);
  j_close_array(&j);
  seen_free(sack);
  j_report(&j);

  // Client 0's association moves to a socket of its own and keeps working, both ways.
  sctp_own_t peeled;
  check(sctp_sockets_sctp_method_sctp_socket_peeloff(s, assoc[0], &peeled, &err), "peeloff", err);
  send_text(borrow(clients[0]), "to the peeled socket", no_info());
  send_text(borrow(peeled), "from the peeled socket", no_info());
  j_case(&j, "peeled");
  put_str(&j, "socketType", sctp_sockets_sctp_method_sctp_socket_socket_type(borrow(peeled)) == ONE_TO_ONE ? "one-to-one" : "one-to-many");
  sctp_address_t remote;
  check(sctp_sockets_sctp_method_sctp_socket_remote_address(borrow(peeled), &remote, &err), "remote-address", err);
  j_key(&j, "remote");
  j_address(&j, &remote);
  seen_t *got = drain(borrow(peeled), UNTIL_MESSAGES, 0, 1, 3000, 64);
  put_seen(&j, "peeledGot", got);
  seen_free(got);
  got = drain(borrow(clients[0]), UNTIL_MESSAGES, 0, 1, 3000, 64);
  put_seen(&j, "clientGot", got);
  seen_free(got);
  sctp_own_t again;
  bool ok = sctp_sockets_sctp_method_sctp_socket_peeloff(s, assoc[0], &again, &err);
  put_str(&j, "again", code_of(ok, err));
  j_report(&j);

  // The server aborts client 1's association; client 2's goes on.
  send_flagged(s, "go away", assoc[1], true, SCTP_SOCKETS_SCTP_SEND_FLAGS_ABORT);
  j_case(&j, "aborted");
  got = drain(borrow(clients[1]), UNTIL_ENDED, 0, 1, 3000, 64);
  put_seen(&j, "client", got);
  seen_free(got);
  sctp_outgoing_t x = message("x", 1);
  sctp_outgoing_list_t xs = { &x, 1 };
  uint64_t taken;
  ok = sctp_sockets_sctp_method_sctp_socket_send(borrow(clients[1]), &xs, &taken, &err);
  put_str(&j, "sendAfter", code_of(ok, err));
  j_report(&j);
  send_text(borrow(clients[2]), "still here", no_info());
  j_case(&j, "others-continue");
  got = drain(s, UNTIL_MESSAGES, 0, 1, 3000, 64);
  put_seen(&j, "server", got);
  seen_free(got);
  j_report(&j);

  // eof on client 2's association: its last message, then the end.
  send_flagged(s, "last words", assoc[2], true, SCTP_SOCKETS_SCTP_SEND_FLAGS_EOF);
  j_case(&j, "eof");
  got = drain(borrow(clients[2]), UNTIL_ENDED, 0, 1, 3000, 64);
  put_seen(&j, "client", got);
  seen_free(got);
  got = drain(s, UNTIL_STATE, S(SHUTDOWN_COMP), 1, 3000, 64);
  put_seen(&j, "server", got);
  seen_free(got);
  j_report(&j);

  // autoclose: an idle association is shut down by the stack after the given time (ms, whole seconds).
  check(sctp_sockets_sctp_method_sctp_socket_set_autoclose(s, 1000, &err), "set-autoclose", err);
  sctp_own_t idle = client(ONE_TO_ONE, NULL);
  connect_to(borrow(idle), local_of(s));
  send_text(borrow(idle), "then silence", no_info());
  j_case(&j, "autoclose");
  got = drain(s, UNTIL_STATE, S(SHUTDOWN_COMP), 1, 5000, 64);
  put_seen(&j, "server", got);
  seen_free(got);
  got = drain(borrow(idle), UNTIL_ENDED, 0, 1, 5000, 64);
  put_seen(&j, "client", got);
  seen_free(got);
  check(sctp_sockets_sctp_method_sctp_socket_assoc_number(s, &number, &err), "assoc-number", err);
  put_u64(&j, "number", number);
  j_report(&j);
  for (int i = 0; i < 3; i++) sctp_sockets_sctp_sctp_socket_drop_own(clients[i]);
  sctp_sockets_sctp_sctp_socket_drop_own(idle);
  sctp_sockets_sctp_sctp_socket_drop_own(peeled);
  sctp_sockets_sctp_sctp_socket_drop_own(srv);
}

// ---- large messages and per-message info --------------------------------------------------------

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

static void large(void) {
  sctp_own_t srv = server(ONE_TO_ONE, NULL);
  sctp_own_t cli = client(ONE_TO_ONE, NULL);
  connect_to(borrow(cli), local_of(borrow(srv)));
  sctp_own_t conn = accept_one(borrow(srv));
  sctp_t c = borrow(cli), r = borrow(conn);
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
  j_key(&j, "got");
  j_open_array(&j);
  for (int i = 0; i < 2; i++) {
    sctp_incoming_t it = receive_one(r);
    const sctp_received_t *v = &it.val.message;
    j_open(&j);
    put_u64(&j, "stream", v->stream);
    put_u64(&j, "ssn", v->ssn);
    put_u64(&j, "tsn", v->tsn);
    put_u64(&j, "cumulativeTsn", v->cumulative_tsn);
    put_u64(&j, "context", v->context);
    put_u64(&j, "association", v->association);
    j_close(&j);
    sctp_sockets_sctp_incoming_free(&it);
  }
  j_close_array(&j);
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
  j_key(&j, "got");
  j_open_array(&j);
  for (int i = 0; i < 2; i++) {
    sctp_incoming_t it = receive_one(r);
    j_open_array(&j);
    j_strn(&j, it.val.message.data.ptr, it.val.message.data.len);
    j_u64(&j, it.val.message.stream);
    j_u64(&j, it.val.message.ppid);
    j_close_array(&j);
    sctp_sockets_sctp_incoming_free(&it);
  }
  j_close_array(&j);
  j_report(&j);
  sctp_sockets_sctp_sctp_socket_drop_own(cli);
  sctp_sockets_sctp_sctp_socket_drop_own(conn);
  sctp_sockets_sctp_sctp_socket_drop_own(srv);

  // Explicit EOR: a message written in three sends arrives as one.
  sctp_own_t esrv = server(ONE_TO_ONE, explicit_eor);
  sctp_own_t ecli = client(ONE_TO_ONE, explicit_eor);
  connect_to(borrow(ecli), local_of(borrow(esrv)));
  sctp_own_t econn = accept_one(borrow(esrv));
  m[0] = on_stream("one ", 1, 0, false);
  m[1] = on_stream("message ", 1, 0, false);
  m[2] = on_stream("in three", 1, 0, false);
  m[2].info.flags = (sctp_sockets_sctp_option_send_flags_t) { true, SCTP_SOCKETS_SCTP_SEND_FLAGS_EOR };
  m[3] = on_stream("next", 1, 0, false);
  m[3].info.flags = (sctp_sockets_sctp_option_send_flags_t) { true, SCTP_SOCKETS_SCTP_SEND_FLAGS_EOR };
  send_all(borrow(ecli), NULL, m, 4, NULL, NULL);
  j_case(&j, "explicit-eor");
  j_key(&j, "got");
  j_open_array(&j);
  for (int i = 0; i < 2; i++) {
    sctp_incoming_t it = receive_one(borrow(econn));
    j_open_array(&j);
    j_strn(&j, it.val.message.data.ptr, it.val.message.data.len);
    j_bool(&j, it.val.message.complete);
    j_close_array(&j);
    sctp_sockets_sctp_incoming_free(&it);
  }
  j_close_array(&j);
  j_report(&j);
  sctp_sockets_sctp_sctp_socket_drop_own(ecli);
  sctp_sockets_sctp_sctp_socket_drop_own(econn);
  sctp_sockets_sctp_sctp_socket_drop_own(esrv);

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

// ---- errors: wrong use gets an error code ------------------------------------------------------

static void errors(void) {
  json_t j;
  j_case(&j, "errors");
  sctp_own_t own = new_socket(ONE_TO_ONE);
  sctp_t s = borrow(own);
  uint32_t association;
  sctp_own_t conn;
  sctp_address_t addr;
  uint64_t taken;
  sctp_outgoing_t m = message("x", 1);
  sctp_outgoing_list_t list = { &m, 1 };
#define CODE(key, call) do { bool ok_ = (call); put_str(&j, key, code_of(ok_, err)); } while (0)
  CODE("finishBindWithoutStart", sctp_sockets_sctp_method_sctp_socket_finish_bind(s, &err));
  CODE("finishConnectWithoutStart", sctp_sockets_sctp_method_sctp_socket_finish_connect(s, &association, &err));
  CODE("finishListenWithoutStart", sctp_sockets_sctp_method_sctp_socket_finish_listen(s, &err));
  CODE("sendUnconnected", sctp_sockets_sctp_method_sctp_socket_send(s, &list, &taken, &err));
  CODE("acceptNotListening", sctp_sockets_sctp_method_sctp_socket_accept(s, &conn, &err));
  CODE("remoteAddressUnconnected", sctp_sockets_sctp_method_sctp_socket_remote_address(s, &addr, &err));
  CODE("peeloffOneToOne", sctp_sockets_sctp_method_sctp_socket_peeloff(s, 1, &conn, &err));
  CODE("shutdownUnconnected", sctp_sockets_sctp_method_sctp_socket_shutdown(s, &err));
  sctp_address_t v6 = { .tag = WASI_SOCKETS_NETWORK_IP_SOCKET_ADDRESS_IPV6 };
  CODE("bindWrongFamily", sctp_sockets_sctp_method_sctp_socket_start_bind(s, guest_network(), &v6, &err));
  CODE("receiveBufferSizeZero", sctp_sockets_sctp_method_sctp_socket_set_receive_buffer_size(s, 0, &err));
  CODE("listenBacklogZero", sctp_sockets_sctp_method_sctp_socket_set_listen_backlog_size(s, 0, &err));
  CODE("startBind", sctp_sockets_sctp_method_sctp_socket_start_bind(s, guest_network(), &(sctp_address_t) { .tag = 0, .val.ipv4 = { 0, { 127, 0, 0, 1 } } }, &err));
  CODE("startBindAgain", sctp_sockets_sctp_method_sctp_socket_start_bind(s, guest_network(), &(sctp_address_t) { .tag = 0, .val.ipv4 = { 0, { 127, 0, 0, 1 } } }, &err));
  CODE("finishBind", sctp_sockets_sctp_method_sctp_socket_finish_bind(s, &err));
  CODE("listenWhileBound", sctp_sockets_sctp_method_sctp_socket_set_listen_backlog_size(s, 16, &err));
  // A port where a socket is bound but nobody listens: the INIT is answered with an ABORT.
  sctp_own_t bound = client(ONE_TO_ONE, NULL);
  sctp_own_t caller = client(ONE_TO_ONE, NULL);
  sctp_address_t target = local_of(borrow(bound));
  CODE("startConnect", sctp_sockets_sctp_method_sctp_socket_start_connect(borrow(caller), guest_network(), &target, &err));
  CODE("startConnectAgain", sctp_sockets_sctp_method_sctp_socket_start_connect(borrow(caller), guest_network(), &target, &err));
  bool connected;
  while (!(connected = sctp_sockets_sctp_method_sctp_socket_finish_connect(borrow(caller), &association, &err)) && err == WOULD_BLOCK) {
    if (!wait_timeout(borrow(caller), 10000)) break;
  }
  put_str(&j, "connectNobodyListening", code_of(connected, err));
  CODE("sendAfterRefused", sctp_sockets_sctp_method_sctp_socket_send(borrow(caller), &list, &taken, &err));
  sctp_sockets_sctp_sctp_socket_drop_own(bound);
  sctp_sockets_sctp_sctp_socket_drop_own(caller);
#undef CODE
  j_report(&j);
  sctp_sockets_sctp_sctp_socket_drop_own(own);
}

bool exports_wasi_cli_run_run(void) {
  const char **positional;
  const char *scenario = guest_positional(&positional) > 0 ? positional[0] : "";
  if (strcmp(scenario, "events") == 0) events();
  else if (strcmp(scenario, "associations") == 0) associations();
  else if (strcmp(scenario, "large") == 0) large();
  else if (strcmp(scenario, "errors") == 0) errors();
  else guest_fail("unknown scenario %s\n", scenario);
  return true;
}
