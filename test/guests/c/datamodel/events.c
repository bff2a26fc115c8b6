// Every notification kind with its fields, each seen where it happens: comm-up and adaptation on
// both ends, AUTH keys, sender-dry, PR-SCTP abandoning messages, RFC 6525 from both ends and denied,
// an INIT nobody answers, partial delivery aborted, and a graceful shutdown.
#include "datamodel.h"
#include <stdlib.h>
#include <string.h>

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

/** What PR-SCTP abandoned under `policy` on the socket's association, under `key`. */
static void put_abandoned(json_t *j, const char *key, sctp_t s, uint8_t policy) {
  sctp_sockets_sctp_option_pr_policy_kind_t p = { true, policy };
  command_option_u32_t none = { false };
  sctp_sockets_sctp_pr_status_t st;
  check(sctp_sockets_sctp_method_sctp_socket_pr_assoc_status(s, &none, &p, &st, &err), "pr-assoc-status", err);
  j_key(j, key);
  j_pr_status(j, &st);
}

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
  put_drained(&j, a_key, a, until, arg, 1);
  put_drained(&j, b_key, b, until, arg, 1);
  j_report(&j);
}

void events(void) {
  sctp_own_t srv = server(ONE_TO_MANY, events_server);
  sctp_own_t cli = client(ONE_TO_ONE, events_client);
  sctp_t c = borrow(cli), s = borrow(srv);
  uint32_t association = connect_to(c, local_of(s));
  json_t j;
  j_case(&j, "client-up");
  put_u64(&j, "association", association);
  put_drained(&j, "seen", c, UNTIL_KIND, K(ADAPTATION_INDICATION), 1);
  j_report(&j);
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
  put_drained(&j, "sender", c, UNTIL_KIND, K(SEND_FAILED), 2);
  put_abandoned(&j, "ttl", c, SCTP_SOCKETS_SCTP_PR_POLICY_KIND_TTL);
  put_abandoned(&j, "rtx", c, SCTP_SOCKETS_SCTP_PR_POLICY_KIND_RTX);
  put_drained(&j, "receiver", s, UNTIL_MESSAGES, 0, 1);
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
  j_case(&j, "reconfig-denied");
  reset = (sctp_sockets_sctp_reset_streams_request_t) { SCTP_SOCKETS_SCTP_RESET_DIRECTIONS_OUTGOING, { zero, 1 } };
  check(sctp_sockets_sctp_method_sctp_socket_reset_streams(s, &plain_assoc, &reset, &err), "reset-streams", err);
  put_drained(&j, "reset", s, UNTIL_KIND, K(STREAM_RESET), 1);
  add = (sctp_sockets_sctp_add_streams_request_t) { 0, 1 };
  check(sctp_sockets_sctp_method_sctp_socket_add_streams(s, &plain_assoc, &add, &err), "add-streams", err);
  put_drained(&j, "add", s, UNTIL_KIND, K(STREAM_CHANGE), 1);
  check(sctp_sockets_sctp_method_sctp_socket_reset_assoc(s, &plain_assoc, &err), "reset-assoc", err);
  put_drained(&j, "assoc", s, UNTIL_KIND, K(ASSOC_RESET), 1);
  j_report(&j);

  // INIT to a port where nobody listens: the one-to-many socket that sent it is told.
  sctp_own_t lonely = client(ONE_TO_MANY, lonely_client);
  sctp_address_t nowhere = local_of(s);
  nowhere.val.ipv4.port++;
  info = no_info();
  info.destination = (wasi_sockets_network_option_ip_socket_address_t) { true, nowhere };
  send_text(borrow(lonely), "anyone?", info);
  report_drained("cant-str-assoc", borrow(lonely), UNTIL_STATE, S(CANT_STR_ASSOC), 1);

  // A large message being read in pieces when its sender aborts.
  pair_t pd = connected_pair(pd_prepare);
  check(sctp_sockets_sctp_method_sctp_socket_set_whole_messages(borrow(pd.accepted), false, &err), "set-whole-messages", err);
  check(sctp_sockets_sctp_method_sctp_socket_set_send_buffer_size(borrow(pd.client), 1 << 20, &err), "set-send-buffer-size", err);
  uint8_t *big = malloc(300000);
  memset(big, 65, 300000);
  sctp_outgoing_t bm = message(big, 300000);
  bm.info.stream = some_u16(1);
  send_all(borrow(pd.client), NULL, &bm, 1, NULL, NULL);
  seen_t *first = drain(borrow(pd.accepted), UNTIL_MESSAGES, 0, 1, 3000, 1);
  info = no_info();
  info.flags = (sctp_sockets_sctp_option_send_flags_t) { true, SCTP_SOCKETS_SCTP_SEND_FLAGS_ABORT };
  send_text(borrow(pd.client), "abort", info);
  seen_t *rest = drain(borrow(pd.accepted), UNTIL_ENDED, 0, 1, 3000, 64);
  j_case(&j, "partial-delivery");
  put_seen(&j, "first", first);
  put_seen(&j, "rest", rest);
  j_report(&j);
  seen_free(first);
  seen_free(rest);
  // What the aborting sender had not sent yet comes back to it (payloads over 64 bytes by length).
  report_drained("send-failed-unsent", borrow(pd.client), UNTIL_ENDED, 0, 1);
  free(big);

  // Graceful shutdown, seen from both ends.
  check(sctp_sockets_sctp_method_sctp_socket_shutdown(c, &err), "shutdown", err);
  j_case(&j, "shutdown");
  put_drained(&j, "client", c, UNTIL_ENDED, 0, 1);
  put_drained(&j, "server", s, UNTIL_STATE, S(SHUTDOWN_COMP), 1);
  j_report(&j);
  drop_pair(pd);
  sctp_own_t all_sockets[] = { cli, plain, lonely, srv };
  for (size_t i = 0; i < sizeof all_sockets / sizeof all_sockets[0]; i++) sctp_sockets_sctp_sctp_socket_drop_own(all_sockets[i]);
}
