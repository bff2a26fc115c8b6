// What needs an association between two sockets of the guest: addresses (sctp_bindx,
// start-connectx), status, paths, the stream scheduler, RFC 6525 reconfiguration and AUTH key rotation.
#include "calls.h"
#include <string.h>

/** Sends `text` and returns the first message that comes back (the peer echoes). */
static void echo_text(sctp_t sock, sctp_t peer, const char *text, char *out, size_t size) {
  sctp_outgoing_t m = message(text, strlen(text));
  m.info.ppid = some_u32(7);
  send_all(sock, NULL, &m, 1, NULL, NULL);
  sctp_incoming_list_t items;
  for (;;) {
    receive_some(peer, NULL, 16, &items);
    size_t k = 0;
    while (k < items.len && items.ptr[k].tag != SCTP_SOCKETS_SCTP_INCOMING_MESSAGE) k++;
    if (k < items.len) {
      sctp_outgoing_t back = message(items.ptr[k].val.message.data.ptr, items.ptr[k].val.message.data.len);
      send_all(peer, NULL, &back, 1, NULL, NULL);
      sctp_sockets_sctp_list_incoming_free(&items);
      break;
    }
    sctp_sockets_sctp_list_incoming_free(&items);
  }
  for (;;) {
    receive_some(sock, NULL, 16, &items);
    for (size_t k = 0; k < items.len; k++) {
      if (items.ptr[k].tag != SCTP_SOCKETS_SCTP_INCOMING_MESSAGE) continue;
      const command_list_u8_t *d = &items.ptr[k].val.message.data;
      size_t n = d->len < size - 1 ? d->len : size - 1;
      memcpy(out, d->ptr, n);
      out[n] = 0;
      sctp_sockets_sctp_list_incoming_free(&items);
      return;
    }
    sctp_sockets_sctp_list_incoming_free(&items);
  }
}

static void reconfig_listener(sctp_t s) {
  sctp_scope_t future = scope_future();
  CALL("set-enable-stream-reset", M(set_enable_stream_reset)(s, &future,
    SCTP_SOCKETS_SCTP_RECONFIG_REQUESTS_RESET_STREAMS | SCTP_SOCKETS_SCTP_RECONFIG_REQUESTS_RESET_ASSOCIATION | SCTP_SOCKETS_SCTP_RECONFIG_REQUESTS_ADD_STREAMS, &err));
  sctp_sockets_sctp_auth_key_t k1 = { 1, { (uint8_t *) "key-one", 7 } }, k2 = { 2, { (uint8_t *) "key-two", 7 } };
  CALL("set-auth-key", M(set_auth_key)(s, &future, &k1, &err));
  CALL("set-auth-key", M(set_auth_key)(s, &future, &k2, &err));
  CALL("add-auth-chunk", M(add_auth_chunk)(s, 0, &err));
}

void live_scenario(void) {
  json_t j;
  sctp_scope_t future = scope_future();
  // The listener: backlog set before listening; reconfiguration and AUTH (keys 1 and 2) as the options test's peer.
  sctp_own_t srv = new_socket(ONE_TO_ONE);
  reconfig_listener(borrow(srv));
  CALL("set-listen-backlog-size", M(set_listen_backlog_size)(borrow(srv), 8, &err));
  bind_to(borrow(srv), ipv4("127.0.0.1", 0));
  listen_on(borrow(srv));
  sctp_address_t peer;
  CALL("local-address", M(local_address)(borrow(srv), &peer, &err));

  // The client: bound with add-local-addresses (sctp_bindx), connected with start-connectx.
  sctp_own_t own = new_socket(ONE_TO_ONE);
  sctp_t sock = borrow(own);
  CALL("set-remote-udp-encaps-port", M(set_remote_udp_encaps_port)(sock, &future, encaps(), &err));
  sctp_sockets_sctp_init_msg_t init = { 6, 6, 3, 500 };
  CALL("set-init-msg", M(set_init_msg)(sock, &init, &err));
  reconfig_listener(sock);
  for (uint8_t kind = SCTP_SOCKETS_SCTP_EVENT_KIND_STREAM_RESET; kind <= SCTP_SOCKETS_SCTP_EVENT_KIND_STREAM_CHANGE; kind++) {
    CALL("set-event", M(set_event)(sock, &future, kind, true, &err));
  }
  sctp_address_t here = ipv4("127.0.0.1", 0);
  wasi_sockets_network_list_ip_socket_address_t one_address = { &here, 1 };
  CALL("add-local-addresses", M(add_local_addresses)(sock, guest_network(), &one_address, &err));
  sctp_address_t local;
  CALL("local-address", M(local_address)(sock, &local, &err));
  wasi_sockets_network_list_ip_socket_address_t targets = { &peer, 1 };
  CALL("start-connectx", M(start_connectx)(sock, guest_network(), &targets, &err));
  uint32_t association;
  while (!M(finish_connect)(sock, &association, &err)) {
    if (err != WOULD_BLOCK) check(false, "finish-connect", err);
    wait_ready(sock);
  }
  sctp_own_t conn = accept_one(borrow(srv));

  j_case(&j, "addresses");
  wasi_sockets_network_list_ip_socket_address_t list;
  CALL("local-addresses", M(local_addresses)(sock, &none_assoc, &list, &err)); put_addresses(&j, "localAddresses", &list);
  CALL("remote-addresses", M(remote_addresses)(sock, &none_assoc, &list, &err)); put_addresses(&j, "remoteAddresses", &list);
  j_key(&j, "local"); j_address(&j, &local);
  j_key(&j, "peer"); j_address(&j, &peer);
  // The last address of a socket cannot go.
  wasi_sockets_network_list_ip_socket_address_t mine = { &local, 1 };
  CODE(&j, "removeLast", M(remove_local_addresses)(sock, &mine, &err));
  sctp_address_t elsewhere = ipv4("127.0.0.1", 1);
  wasi_sockets_network_list_ip_socket_address_t other = { &elsewhere, 1 };
  CODE(&j, "removeUnknown", M(remove_local_addresses)(sock, &other, &err));
  put_bool(&j, "isListening", M(is_listening)(borrow(srv)));
  put_bool(&j, "clientListening", M(is_listening)(sock));
  j_report(&j);

  sctp_sockets_sctp_association_status_t st;
  CALL("status", M(status)(sock, &none_assoc, &st, &err));
  j_case(&j, "status");
  j_key(&j, "status"); j_status(&j, &st);
  put_u64(&j, "connected", association);
  j_key(&j, "expectedPrimary"); j_address(&j, &peer);
  j_report(&j);

  sctp_sockets_sctp_peer_addr_info_t info;
  command_option_u32_t by_id = { true, association };
  j_case(&j, "peer-addr-info");
  CALL("peer-addr-info", M(peer_addr_info)(sock, &none_assoc, &peer, &info, &err)); j_key(&j, "info"); j_peer_addr_info(&j, &info);
  CALL("peer-addr-info", M(peer_addr_info)(sock, &by_id, &peer, &info, &err)); j_key(&j, "byAssociation"); j_peer_addr_info(&j, &info);
  j_report(&j);

  j_case(&j, "association-options");
  sctp_address_t primary;
  CALL("primary-addr", M(primary_addr)(sock, &none_assoc, &primary, &err));
  j_key(&j, "primaryAddr"); j_address(&j, &primary);
  CODE(&j, "setPrimaryAddr", M(set_primary_addr)(sock, &none_assoc, &peer, &err));
  CODE(&j, "setPeerPrimaryAddr", M(set_peer_primary_addr)(sock, &none_assoc, &local, &err));
  command_list_u8_t chunks;
  CALL("peer-auth-chunks", M(peer_auth_chunks)(sock, &none_assoc, &chunks, &err)); put_list_u8(&j, "peerAuthChunks", &chunks);
  sctp_sockets_sctp_timeout_counts_t t;
  CALL("timeouts", M(timeouts)(sock, &none_assoc, &t, &err));
  j_key(&j, "timeouts"); j_open(&j);
  put_u64(&j, "init", t.init); put_u64(&j, "data", t.data); put_u64(&j, "sack", t.sack); put_u64(&j, "shutdown", t.shutdown);
  put_u64(&j, "heartbeat", t.heartbeat); put_u64(&j, "cookie", t.cookie); put_u64(&j, "shutdownAck", t.shutdown_ack);
  j_close(&j);
  sctp_sockets_sctp_pr_status_t prs;
  sctp_sockets_sctp_option_pr_policy_kind_t any_policy = { false }, ttl = { true, SCTP_SOCKETS_SCTP_PR_POLICY_KIND_TTL };
  bool ok = M(pr_assoc_status)(sock, &none_assoc, &any_policy, &prs, &err); put_pr_status(&j, "prAssocStatus", ok, &prs);
  ok = M(pr_assoc_status)(sock, &none_assoc, &ttl, &prs, &err); put_pr_status(&j, "prAssocStatusTtl", ok, &prs);
  ok = M(pr_stream_status)(sock, &none_assoc, 0, &any_policy, &prs, &err); put_pr_status(&j, "prStreamStatus", ok, &prs);
  ok = M(pr_stream_status)(sock, &none_assoc, 0, &ttl, &prs, &err); put_pr_status(&j, "prStreamStatusTtl", ok, &prs);
  bool pr, interleaving, reconfig;
  CALL("pr-supported", M(pr_supported)(sock, &by_id, &pr, &err));
  CALL("interleaving-supported", M(interleaving_supported)(sock, &by_id, &interleaving, &err));
  CALL("reconfig-supported", M(reconfig_supported)(sock, &by_id, &reconfig, &err));
  j_key(&j, "negotiated"); j_open(&j); put_bool(&j, "pr", pr); put_bool(&j, "interleaving", interleaving); put_bool(&j, "reconfig", reconfig); j_close(&j);
  j_report(&j);

  // Stream scheduler and its per-stream value.
  sctp_scope_t this_one = one(association);
  CALL("set-stream-scheduler", M(set_stream_scheduler)(sock, &this_one, SCTP_SOCKETS_SCTP_STREAM_SCHEDULER_PRIORITY, &err));
  CALL("set-stream-scheduler-value", M(set_stream_scheduler_value)(sock, &none_assoc, 1, 5, &err));
  sctp_sockets_sctp_stream_scheduler_t scheduler;
  uint16_t value;
  CALL("stream-scheduler", M(stream_scheduler)(sock, &by_id, &scheduler, &err));
  CALL("stream-scheduler-value", M(stream_scheduler_value)(sock, &none_assoc, 1, &value, &err));
  j_case(&j, "scheduler");
  put_str(&j, "scheduler", SCHEDULERS[scheduler]);
  put_u64(&j, "value", value);
  j_report(&j);

  // rto-info and peer-addr-params show in the path report.
  sctp_sockets_sctp_rto_info_t rto = { 0, 0, 1500 };
  CALL("set-rto-info", M(set_rto_info)(sock, &this_one, &rto, &err));
  wasi_sockets_network_option_ip_socket_address_t at_peer = { true, peer };
  sctp_sockets_sctp_peer_addr_params_t pap = { .heartbeat_now = true, .heartbeat_interval = { true, 1000 }, .pmtud = { true, false }, .path_mtu = 1200 };
  CALL("set-peer-addr-params", M(set_peer_addr_params)(sock, &this_one, &at_peer, &pap, &err));
  sctp_sockets_sctp_peer_addr_thresholds_t thr = { 6, 3 };
  CALL("set-peer-addr-thresholds", M(set_peer_addr_thresholds)(sock, &this_one, &at_peer, &thr, &err));
  CALL("rto-info", M(rto_info)(sock, &by_id, &rto, &err));
  j_case(&j, "path-before-traffic");
  j_key(&j, "rtoInfo"); j_rto_info(&j, &rto);
  j_report(&j);
  char reply[64];
  echo_text(sock, borrow(conn), "measure rtt", reply, sizeof reply);
  j_case(&j, "path");
  put_str(&j, "reply", reply);
  CALL("peer-addr-info", M(peer_addr_info)(sock, &none_assoc, &peer, &info, &err)); j_key(&j, "info"); j_peer_addr_info(&j, &info);
  CALL("peer-addr-params", M(peer_addr_params)(sock, &by_id, &at_peer, &pap, &err)); j_key(&j, "params"); j_peer_addr_params(&j, &pap);
  CALL("peer-addr-thresholds", M(peer_addr_thresholds)(sock, &by_id, &at_peer, &thr, &err));
  j_key(&j, "thresholds"); j_thresholds(&j, &thr);
  CALL("status", M(status)(sock, &none_assoc, &st, &err)); put_u64(&j, "fragmentationPoint", st.fragmentation_point);
  j_report(&j);

  // RFC 6525: reset stream 1, add 2 outgoing streams, reset the association.
  uint16_t stream1[] = { 1 };
  sctp_sockets_sctp_reset_streams_request_t reset = { SCTP_SOCKETS_SCTP_RESET_DIRECTIONS_OUTGOING, { stream1, 1 } };
  CALL("reset-streams", M(reset_streams)(sock, &none_assoc, &reset, &err));
  seen_t *reset_seen = drain(sock, UNTIL_KIND, SCTP_SOCKETS_SCTP_NOTIFICATION_STREAM_RESET, 1, 5000, 64);
  sctp_sockets_sctp_add_streams_request_t add = { 0, 2 };
  CALL("add-streams", M(add_streams)(sock, &none_assoc, &add, &err));
  seen_t *change_seen = drain(sock, UNTIL_KIND, SCTP_SOCKETS_SCTP_NOTIFICATION_STREAM_CHANGE, 1, 5000, 64);
  ok = M(reset_assoc)(sock, &none_assoc, &err);
  const char *reset_assoc = code_of(ok, err);
  seen_t *assoc_seen = drain(sock, UNTIL_KIND, SCTP_SOCKETS_SCTP_NOTIFICATION_ASSOC_RESET, 1, 5000, 64);
  CALL("status", M(status)(sock, &none_assoc, &st, &err));
  j_case(&j, "reconfig");
  j_key(&j, "reset"); j_raw(&j, &reset_seen->items);
  j_key(&j, "change"); j_raw(&j, &change_seen->items);
  put_str(&j, "resetAssoc", reset_assoc);
  j_key(&j, "assocReset"); j_raw(&j, &assoc_seen->items);
  put_u64(&j, "outboundStreams", st.outbound_streams);
  j_report(&j);
  seen_free(reset_seen);
  seen_free(change_seen);
  seen_free(assoc_seen);

  // SCTP-AUTH: both ends require DATA to be authenticated; rotate the active key while messages flow.
  j_case(&j, "auth-rotation");
  CALL("peer-auth-chunks", M(peer_auth_chunks)(sock, &none_assoc, &chunks, &err)); put_list_u8(&j, "peerAuthChunks", &chunks);
  uint16_t active;
  CALL("set-auth-active-key", M(set_auth_active_key)(sock, &this_one, 1, &err));
  echo_text(sock, borrow(conn), "signed with key 1", reply, sizeof reply); put_str(&j, "withKey1", reply);
  CALL("auth-active-key", M(auth_active_key)(sock, &by_id, &active, &err)); put_u64(&j, "active1", active);
  CALL("set-auth-active-key", M(set_auth_active_key)(sock, &this_one, 2, &err));
  echo_text(sock, borrow(conn), "signed with key 2", reply, sizeof reply); put_str(&j, "withKey2", reply);
  CODE(&j, "deactivate1", M(deactivate_auth_key)(sock, &this_one, 1, &err));
  CODE(&j, "deleteActive", M(delete_auth_key)(sock, &this_one, 2, &err));
  echo_text(sock, borrow(conn), "key 1 retired", reply, sizeof reply); put_str(&j, "afterDeactivate", reply);
  CALL("auth-active-key", M(auth_active_key)(sock, &by_id, &active, &err)); put_u64(&j, "active2", active);
  j_report(&j);
  CALL("shutdown", M(shutdown)(sock, &err));
  sctp_sockets_sctp_sctp_socket_drop_own(own);
  sctp_sockets_sctp_sctp_socket_drop_own(conn);
  sctp_sockets_sctp_sctp_socket_drop_own(srv);
}
