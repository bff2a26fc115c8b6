// The socket options and the remaining functions of sctp:sockets, called from a C guest: a port of
// the options test guest (guest-examples/options/options.ts), and a live association between two
// sockets of its own for what needs one. One JSON line per observation, keys as in the TypeScript
// guest, for test/c-guests.test.ts.
//   calls local   set and read back every option, and the errors of wrong values
//   calls live    addresses, status, paths, scheduler, reconfiguration and AUTH on a live association
#include "report.h"
#include <stdlib.h>
#include <string.h>

static sctp_error_t err;
static command_option_u32_t none_assoc = { false };
static wasi_sockets_network_option_ip_socket_address_t no_address = { false };

#define CALL(what, call) check((call), what, err)
#define CODE(j, key, call) do { bool ok_ = (call); j_key(j, key); j_str(j, code_of(ok_, err)); } while (0)
#define M(name) sctp_sockets_sctp_method_sctp_socket_##name


static sctp_scope_t one(uint32_t association) {
  return (sctp_scope_t) { .tag = SCTP_SOCKETS_SCTP_ASSOCIATION_SCOPE_ASSOCIATION, .val.association = association };
}

static const char *SCHEDULERS[] = { "first-come-first-served", "default", "round-robin", "round-robin-packet", "priority", "fair-bandwidth", "weighted-fair-queueing" };
static const char *PR_KINDS[] = { "none", "ttl", "rtx", "prio" };
static const char *INTERLEAVE[] = { "none", "associations", "streams" };
static const char *ASSOC_STATES[] = { "closed", "bound", "listen", "cookie-wait", "cookie-echoed", "established", "shutdown-sent", "shutdown-received", "shutdown-ack-sent", "shutdown-pending" };
static const char *PATH_STATES[] = { "active", "inactive", "unconfirmed" };

static void put_optional_u32(json_t *j, const char *key, command_option_u32_t v) { if (v.is_some) put_u64(j, key, v.val); }

static void peer_addr_params(json_t *j, const sctp_sockets_sctp_peer_addr_params_t *p) {
  j_open(j);
  if (p->heartbeat.is_some) put_bool(j, "heartbeat", p->heartbeat.val);
  put_optional_u32(j, "heartbeatInterval", p->heartbeat_interval);
  put_bool(j, "heartbeatNow", p->heartbeat_now);
  if (p->pmtud.is_some) put_bool(j, "pmtud", p->pmtud.val);
  put_u64(j, "pathMtu", p->path_mtu);
  if (p->path_max_retransmits.is_some) put_u64(j, "pathMaxRetransmits", p->path_max_retransmits.val);
  put_optional_u32(j, "sackDelay", p->sack_delay);
  put_optional_u32(j, "ipv6FlowLabel", p->ipv6_flow_label);
  if (p->dscp.is_some) put_u64(j, "dscp", p->dscp.val);
  j_close(j);
}

static void peer_addr_info(json_t *j, const sctp_sockets_sctp_peer_addr_info_t *i) {
  j_open(j);
  j_key(j, "address"); j_address(j, &i->address);
  put_str(j, "state", PATH_STATES[i->state]);
  put_u64(j, "cwnd", i->cwnd);
  put_u64(j, "srtt", i->srtt);
  put_u64(j, "rto", i->rto);
  put_u64(j, "mtu", i->mtu);
  j_close(j);
}

static void pr_status(json_t *j, const char *key, bool ok, const sctp_sockets_sctp_pr_status_t *st) {
  j_key(j, key);
  if (!ok) { j_error(j, err); return; }
  j_open(j);
  put_u64(j, "abandonedUnsent", st->abandoned_unsent);
  put_u64(j, "abandonedSent", st->abandoned_sent);
  j_close(j);
}

static void list_u8(json_t *j, const char *key, command_list_u8_t *l) {
  j_key(j, key);
  j_bytes(j, l);
  command_list_u8_free(l);
}

static void addresses(json_t *j, const char *key, wasi_sockets_network_list_ip_socket_address_t *l) {
  j_key(j, key);
  j_open_array(j);
  for (size_t i = 0; i < l->len; i++) j_address(j, &l->ptr[i]);
  j_close_array(j);
  wasi_sockets_network_list_ip_socket_address_free(l);
}

// ---- local: every option set and read back ------------------------------------------------------

static void local_scenario(void) {
  sctp_own_t s_own = new_socket(ONE_TO_ONE), many_own = new_socket(ONE_TO_MANY);
  sctp_own_t v6_own;
  CALL("create-sctp-socket", sctp_sockets_sctp_create_socket_create_sctp_socket(WASI_SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV6, ONE_TO_ONE, &v6_own, &err));
  sctp_t s = borrow(s_own), many = borrow(many_own), v6 = borrow(v6_own);
  sctp_scope_t future = scope_future();

  sctp_sockets_sctp_rto_info_t rto = { 500, 5000, 200 };
  CALL("set-rto-info", M(set_rto_info)(s, &future, &rto, &err));
  sctp_sockets_sctp_assoc_params_t ap = { .cookie_life = 30000, .max_retransmits = 7 };
  CALL("set-assoc-info", M(set_assoc_info)(s, &future, &ap, &err));
  sctp_sockets_sctp_init_msg_t init = { 5, 6, 3, 900 };
  CALL("set-init-msg", M(set_init_msg)(s, &init, &err));
  command_option_u32_t linger = { true, 5000 };
  CALL("set-linger", M(set_linger)(s, &linger, &err));
  CALL("set-nodelay", M(set_nodelay)(s, true, &err));
  CALL("set-receive-buffer-size", M(set_receive_buffer_size)(s, 200000, &err));
  CALL("set-send-buffer-size", M(set_send_buffer_size)(s, 300000, &err));
  CALL("set-autoclose", M(set_autoclose)(many, 3000, &err));
  CALL("set-adaptation-layer", M(set_adaptation_layer)(s, 0xabcdef, &err));
  CALL("set-disable-fragments", M(set_disable_fragments)(s, true, &err));
  sctp_sockets_sctp_peer_addr_params_t pap = {
    .heartbeat = { true, true }, .heartbeat_interval = { true, 5000 }, .pmtud = { true, false }, .path_mtu = 1200, .path_max_retransmits = { true, 3 },
  };
  CALL("set-peer-addr-params", M(set_peer_addr_params)(s, &future, &no_address, &pap, &err));
  CALL("set-mapped-v4-addresses", M(set_mapped_v4_addresses)(v6, true, &err));
  CALL("set-maxseg", M(set_maxseg)(s, &future, 1000, &err));
  sctp_sockets_sctp_hmac_algorithm_t sha1[] = { SCTP_SOCKETS_SCTP_HMAC_ALGORITHM_SHA1 };
  sctp_sockets_sctp_list_hmac_algorithm_t hmacs = { sha1, 1 };
  CALL("set-hmac-ident", M(set_hmac_ident)(s, &hmacs, &err));
  sctp_sockets_sctp_auth_key_t key = { 1, { (uint8_t *) "key-one", 7 } };
  CALL("set-auth-key", M(set_auth_key)(s, &future, &key, &err));
  CALL("set-auth-active-key", M(set_auth_active_key)(s, &future, 1, &err));
  sctp_sockets_sctp_sack_info_t sack = { 100, 3 };
  CALL("set-delayed-sack", M(set_delayed_sack)(s, &future, &sack, &err));
  CALL("set-fragment-interleave", M(set_fragment_interleave)(s, SCTP_SOCKETS_SCTP_FRAGMENT_INTERLEAVE_LEVEL_STREAMS, &err));
  CALL("set-partial-delivery-point", M(set_partial_delivery_point)(s, 1000, &err));
  CALL("set-max-burst", M(set_max_burst)(s, &future, 6, &err));
  CALL("set-context", M(set_context)(s, &future, 77, &err));
  CALL("set-explicit-eor", M(set_explicit_eor)(s, true, &err));
  CALL("set-reuse-port", M(set_reuse_port)(s, true, &err));
  CALL("set-event", M(set_event)(s, &future, SCTP_SOCKETS_SCTP_EVENT_KIND_ASSOC_CHANGE, true, &err));
  CALL("set-recv-rcvinfo", M(set_recv_rcvinfo)(s, true, &err));
  CALL("set-recv-nxtinfo", M(set_recv_nxtinfo)(s, true, &err));
  sctp_sockets_sctp_sndinfo_t snd = { 2, 42, SCTP_SOCKETS_SCTP_SEND_FLAGS_UNORDERED, 9 };
  CALL("set-default-sndinfo", M(set_default_sndinfo)(s, &future, &snd, &err));
  sctp_sockets_sctp_prinfo_t pri = { SCTP_SOCKETS_SCTP_PR_POLICY_KIND_TTL, 300 };
  CALL("set-default-prinfo", M(set_default_prinfo)(s, &future, &pri, &err));
  CALL("set-enable-stream-reset", M(set_enable_stream_reset)(s, &future, SCTP_SOCKETS_SCTP_RECONFIG_REQUESTS_RESET_STREAMS | SCTP_SOCKETS_SCTP_RECONFIG_REQUESTS_ADD_STREAMS, &err));
  CALL("set-pr-supported", M(set_pr_supported)(s, false, &err));
  CALL("set-interleaving-supported", M(set_interleaving_supported)(s, true, &err));
  CALL("set-stream-scheduler", M(set_stream_scheduler)(s, &future, SCTP_SOCKETS_SCTP_STREAM_SCHEDULER_PRIORITY, &err));
  CALL("set-remote-udp-encaps-port", M(set_remote_udp_encaps_port)(s, &future, 4242, &err));
  sctp_sockets_sctp_peer_addr_thresholds_t thr = { 4, 2 };
  CALL("set-peer-addr-thresholds", M(set_peer_addr_thresholds)(s, &future, &no_address, &thr, &err));
  CALL("add-auth-chunk", M(add_auth_chunk)(s, 0, &err)); // before turning auth off: usrsctp's SCTP_AUTH_CHUNK turns it back on
  CALL("set-ecn-supported", M(set_ecn_supported)(s, false, &err));
  CALL("set-asconf-supported", M(set_asconf_supported)(s, false, &err));
  CALL("set-auth-supported", M(set_auth_supported)(s, false, &err));
  CALL("set-reconfig-supported", M(set_reconfig_supported)(s, false, &err));
  CALL("set-nrsack-supported", M(set_nrsack_supported)(s, true, &err));
  CALL("set-pktdrop-supported", M(set_pktdrop_supported)(s, true, &err));
  CALL("set-max-cwnd", M(set_max_cwnd)(s, &future, 100000, &err));
  CALL("set-ipv6-only", M(set_ipv6_only)(v6, false, &err));

  json_t j;
  j_case(&j, "read-back");
  CALL("rto-info", M(rto_info)(s, &none_assoc, &rto, &err));
  j_key(&j, "rtoInfo"); j_open(&j); put_u64(&j, "initial", rto.initial); put_u64(&j, "max", rto.max); put_u64(&j, "min", rto.min); j_close(&j);
  CALL("assoc-info", M(assoc_info)(s, &none_assoc, &ap, &err));
  j_key(&j, "assocInfo"); j_open(&j);
  put_u64(&j, "peerRwnd", ap.peer_rwnd); put_u64(&j, "localRwnd", ap.local_rwnd); put_u64(&j, "cookieLife", ap.cookie_life);
  put_u64(&j, "maxRetransmits", ap.max_retransmits); put_u64(&j, "peerDestinations", ap.peer_destinations);
  j_close(&j);
  CALL("init-msg", M(init_msg)(s, &init, &err));
  j_key(&j, "initMsg"); j_open(&j);
  put_u64(&j, "numOstreams", init.num_ostreams); put_u64(&j, "maxInstreams", init.max_instreams);
  put_u64(&j, "maxAttempts", init.max_attempts); put_u64(&j, "maxInitTimeo", init.max_init_timeo);
  j_close(&j);
  CALL("linger", M(linger)(s, &linger, &err));
  j_key(&j, "linger"); if (linger.is_some) j_u64(&j, linger.val); else j_null(&j);
  bool b;
  uint64_t u64;
  uint32_t u32;
  uint16_t u16;
  CALL("nodelay", M(nodelay)(s, &b, &err)); put_bool(&j, "nodelay", b);
  CALL("receive-buffer-size", M(receive_buffer_size)(s, &u64, &err)); put_u64(&j, "receiveBufferSize", u64);
  CALL("send-buffer-size", M(send_buffer_size)(s, &u64, &err)); put_u64(&j, "sendBufferSize", u64);
  CALL("autoclose", M(autoclose)(many, &u32, &err)); put_u64(&j, "autoclose", u32);
  CALL("adaptation-layer", M(adaptation_layer)(s, &u32, &err)); put_u64(&j, "adaptationLayer", u32);
  CALL("disable-fragments", M(disable_fragments)(s, &b, &err)); put_bool(&j, "disableFragments", b);
  CALL("peer-addr-params", M(peer_addr_params)(s, &none_assoc, &no_address, &pap, &err));
  j_key(&j, "peerAddrParams"); peer_addr_params(&j, &pap);
  CALL("mapped-v4-addresses", M(mapped_v4_addresses)(v6, &b, &err)); put_bool(&j, "mappedV4Addresses", b);
  CALL("maxseg", M(maxseg)(s, &none_assoc, &u32, &err)); put_u64(&j, "maxseg", u32);
  CALL("hmac-ident", M(hmac_ident)(s, &hmacs, &err));
  j_key(&j, "hmacIdent"); j_open_array(&j);
  for (size_t i = 0; i < hmacs.len; i++) j_str(&j, hmacs.ptr[i] == SCTP_SOCKETS_SCTP_HMAC_ALGORITHM_SHA1 ? "sha1" : "sha256");
  j_close_array(&j);
  sctp_sockets_sctp_list_hmac_algorithm_free(&hmacs);
  CALL("auth-active-key", M(auth_active_key)(s, &none_assoc, &u16, &err)); put_u64(&j, "authActiveKey", u16);
  CALL("delayed-sack", M(delayed_sack)(s, &none_assoc, &sack, &err));
  j_key(&j, "delayedSack"); j_open(&j); put_u64(&j, "delay", sack.delay); put_u64(&j, "frequency", sack.frequency); j_close(&j);
  sctp_sockets_sctp_fragment_interleave_level_t level;
  CALL("fragment-interleave", M(fragment_interleave)(s, &level, &err)); put_str(&j, "fragmentInterleave", INTERLEAVE[level]);
  CALL("partial-delivery-point", M(partial_delivery_point)(s, &u32, &err)); put_u64(&j, "partialDeliveryPoint", u32);
  CALL("max-burst", M(max_burst)(s, &none_assoc, &u32, &err)); put_u64(&j, "maxBurst", u32);
  CALL("context", M(context)(s, &none_assoc, &u32, &err)); put_u64(&j, "context", u32);
  CALL("explicit-eor", M(explicit_eor)(s, &b, &err)); put_bool(&j, "explicitEor", b);
  CALL("reuse-port", M(reuse_port)(s, &b, &err)); put_bool(&j, "reusePort", b);
  CALL("event", M(event)(s, &none_assoc, SCTP_SOCKETS_SCTP_EVENT_KIND_ASSOC_CHANGE, &b, &err)); put_bool(&j, "event", b);
  CALL("event", M(event)(s, &none_assoc, SCTP_SOCKETS_SCTP_EVENT_KIND_SENDER_DRY, &b, &err)); put_bool(&j, "eventOff", b);
  CALL("recv-rcvinfo", M(recv_rcvinfo)(s, &b, &err)); put_bool(&j, "recvRcvinfo", b);
  CALL("recv-nxtinfo", M(recv_nxtinfo)(s, &b, &err)); put_bool(&j, "recvNxtinfo", b);
  CALL("default-sndinfo", M(default_sndinfo)(s, &none_assoc, &snd, &err));
  j_key(&j, "defaultSndinfo"); j_open(&j);
  put_u64(&j, "stream", snd.stream); put_u64(&j, "ppid", snd.ppid); put_u64(&j, "context", snd.context);
  j_key(&j, "flags"); j_open(&j);
  put_bool(&j, "unordered", snd.flags & SCTP_SOCKETS_SCTP_SEND_FLAGS_UNORDERED); put_bool(&j, "addrOver", snd.flags & SCTP_SOCKETS_SCTP_SEND_FLAGS_ADDR_OVER);
  put_bool(&j, "abort", snd.flags & SCTP_SOCKETS_SCTP_SEND_FLAGS_ABORT); put_bool(&j, "eof", snd.flags & SCTP_SOCKETS_SCTP_SEND_FLAGS_EOF);
  put_bool(&j, "sendall", snd.flags & SCTP_SOCKETS_SCTP_SEND_FLAGS_SENDALL); put_bool(&j, "sackImmediately", snd.flags & SCTP_SOCKETS_SCTP_SEND_FLAGS_SACK_IMMEDIATELY);
  put_bool(&j, "eor", snd.flags & SCTP_SOCKETS_SCTP_SEND_FLAGS_EOR);
  j_close(&j);
  j_close(&j);
  CALL("default-prinfo", M(default_prinfo)(s, &none_assoc, &pri, &err));
  j_key(&j, "defaultPrinfo"); j_open(&j); put_str(&j, "policy", PR_KINDS[pri.policy]); put_u64(&j, "value", pri.value); j_close(&j);
  command_list_u8_t chunks;
  CALL("local-auth-chunks", M(local_auth_chunks)(s, &none_assoc, &chunks, &err)); list_u8(&j, "localAuthChunks", &chunks);
  sctp_sockets_sctp_reconfig_requests_t requests;
  CALL("enable-stream-reset", M(enable_stream_reset)(s, &none_assoc, &requests, &err));
  j_key(&j, "enableStreamReset"); j_open(&j);
  put_bool(&j, "resetStreams", requests & SCTP_SOCKETS_SCTP_RECONFIG_REQUESTS_RESET_STREAMS);
  put_bool(&j, "resetAssociation", requests & SCTP_SOCKETS_SCTP_RECONFIG_REQUESTS_RESET_ASSOCIATION);
  put_bool(&j, "addStreams", requests & SCTP_SOCKETS_SCTP_RECONFIG_REQUESTS_ADD_STREAMS);
  j_close(&j);
  CALL("pr-supported", M(pr_supported)(s, &none_assoc, &b, &err)); put_bool(&j, "prSupported", b);
  CALL("interleaving-supported", M(interleaving_supported)(s, &none_assoc, &b, &err)); put_bool(&j, "interleavingSupported", b);
  sctp_sockets_sctp_stream_scheduler_t scheduler;
  CALL("stream-scheduler", M(stream_scheduler)(s, &none_assoc, &scheduler, &err)); put_str(&j, "streamScheduler", SCHEDULERS[scheduler]);
  CALL("remote-udp-encaps-port", M(remote_udp_encaps_port)(s, &none_assoc, &u16, &err)); put_u64(&j, "remoteUdpEncapsPort", u16);
  CALL("peer-addr-thresholds", M(peer_addr_thresholds)(s, &none_assoc, &no_address, &thr, &err));
  j_key(&j, "peerAddrThresholds"); j_open(&j);
  put_u64(&j, "pathMaxRetransmits", thr.path_max_retransmits); put_u64(&j, "potentiallyFailedThreshold", thr.potentially_failed_threshold);
  j_close(&j);
  CALL("ecn-supported", M(ecn_supported)(s, &none_assoc, &b, &err)); put_bool(&j, "ecnSupported", b);
  CALL("auth-supported", M(auth_supported)(s, &none_assoc, &b, &err)); put_bool(&j, "authSupported", b);
  CALL("asconf-supported", M(asconf_supported)(s, &none_assoc, &b, &err)); put_bool(&j, "asconfSupported", b);
  CALL("reconfig-supported", M(reconfig_supported)(s, &none_assoc, &b, &err)); put_bool(&j, "reconfigSupported", b);
  CALL("nrsack-supported", M(nrsack_supported)(s, &none_assoc, &b, &err)); put_bool(&j, "nrsackSupported", b);
  CALL("pktdrop-supported", M(pktdrop_supported)(s, &none_assoc, &b, &err)); put_bool(&j, "pktdropSupported", b);
  CALL("max-cwnd", M(max_cwnd)(s, &none_assoc, &u32, &err)); put_u64(&j, "maxCwnd", u32);
  CALL("ipv6-only", M(ipv6_only)(v6, &b, &err)); put_bool(&j, "ipv6Only", b);
  CALL("assoc-number", M(assoc_number)(many, &u32, &err)); put_u64(&j, "assocNumber", u32);
  command_list_u32_t ids;
  CALL("assoc-id-list", M(assoc_id_list)(many, &ids, &err));
  j_key(&j, "assocIdList"); j_open_array(&j);
  for (size_t i = 0; i < ids.len; i++) j_u64(&j, ids.ptr[i]);
  j_close_array(&j);
  command_list_u32_free(&ids);
  put_str(&j, "addressFamily", M(address_family)(v6) == WASI_SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV6 ? "ipv6" : "ipv4");
  j_report(&j);

  // Back to none: linger off.
  linger.is_some = false;
  CALL("set-linger", M(set_linger)(s, &linger, &err));
  CALL("linger", M(linger)(s, &linger, &err));
  j_case(&j, "linger-off");
  put_bool(&j, "none", !linger.is_some);
  j_report(&j);

  // Values out of range are invalid-argument; what the stack cannot do is not-supported; options of
  // the other socket style are invalid-state.
  j_case(&j, "errors");
  sctp_sockets_sctp_rto_info_t bad_rto = { 100, 50, 10 };
  CODE(&j, "rtoOrder", M(set_rto_info)(s, &future, &bad_rto, &err));
  sctp_sockets_sctp_assoc_params_t bad_cookie = { .cookie_life = 10 };
  CODE(&j, "cookieLife", M(set_assoc_info)(s, &future, &bad_cookie, &err));
  command_option_u32_t fraction = { true, 1500 };
  CODE(&j, "lingerFraction", M(set_linger)(s, &fraction, &err));
  CODE(&j, "autocloseFraction", M(set_autoclose)(many, 1500, &err));
  CODE(&j, "autocloseOneToOne", M(set_autoclose)(s, 1000, &err));
  sctp_sockets_sctp_sack_info_t bad_sack = { 501, 0 };
  CODE(&j, "sackDelay", M(set_delayed_sack)(s, &future, &bad_sack, &err));
  sctp_sockets_sctp_peer_addr_params_t small_mtu = { .pmtud = { true, false }, .path_mtu = 100 };
  CODE(&j, "pathMtu", M(set_peer_addr_params)(s, &future, &no_address, &small_mtu, &err));
  sctp_sockets_sctp_peer_addr_params_t sack_delay = { .sack_delay = { true, 10 } };
  CODE(&j, "sackDelayLinuxOnly", M(set_peer_addr_params)(s, &future, &no_address, &sack_delay, &err));
  sctp_sockets_sctp_peer_addr_params_t dscp = { .dscp = { true, 3 } };
  CODE(&j, "dscp", M(set_peer_addr_params)(s, &future, &no_address, &dscp, &err));
  sctp_sockets_sctp_hmac_algorithm_t sha256[] = { SCTP_SOCKETS_SCTP_HMAC_ALGORITHM_SHA256 }, twice[] = { SCTP_SOCKETS_SCTP_HMAC_ALGORITHM_SHA1, SCTP_SOCKETS_SCTP_HMAC_ALGORITHM_SHA1 };
  sctp_sockets_sctp_list_hmac_algorithm_t only256 = { sha256, 1 }, both = { twice, 2 };
  CODE(&j, "hmacWithoutSha1", M(set_hmac_ident)(s, &only256, &err));
  CODE(&j, "hmacTwice", M(set_hmac_ident)(s, &both, &err));
  CODE(&j, "reusePortOff", M(set_reuse_port)(s, false, &err));
  CODE(&j, "reusePortOneToMany", M(set_reuse_port)(many, true, &err));
  CODE(&j, "notificationsStopped", M(set_event)(s, &future, SCTP_SOCKETS_SCTP_EVENT_KIND_NOTIFICATIONS_STOPPED, true, &err));
  CODE(&j, "rcvinfoOff", M(set_recv_rcvinfo)(s, false, &err));
  sctp_sockets_sctp_prinfo_t none_with_value = { SCTP_SOCKETS_SCTP_PR_POLICY_KIND_NONE, 5 };
  CODE(&j, "prinfoNoneWithValue", M(set_default_prinfo)(s, &future, &none_with_value, &err));
  CODE(&j, "wfq", M(set_stream_scheduler)(s, &future, SCTP_SOCKETS_SCTP_STREAM_SCHEDULER_WEIGHTED_FAIR_QUEUEING, &err));
  CODE(&j, "ipv6OnlyOn", M(set_ipv6_only)(v6, true, &err));
  CODE(&j, "ipv6OnlyOnIpv4", M(ipv6_only)(s, &b, &err));
  CODE(&j, "assocNumberOneToOne", M(assoc_number)(s, &u32, &err));
  sctp_sockets_sctp_association_status_t status;
  CODE(&j, "statusOneToManyNone", M(status)(many, &none_assoc, &status, &err));
  command_option_u32_t unknown = { true, 12345 };
  CODE(&j, "unknownAssociation", M(rto_info)(many, &unknown, &rto, &err));
  sctp_scope_t unknown_scope = one(12345);
  CODE(&j, "unknownAssociationSet", M(set_context)(many, &unknown_scope, 1, &err));
  sctp_scope_t current = { .tag = SCTP_SOCKETS_SCTP_ASSOCIATION_SCOPE_CURRENT };
  sctp_sockets_sctp_rto_info_t zero_rto = { 0, 0, 0 };
  CODE(&j, "currentForDefaultsOnly", M(set_rto_info)(many, &current, &zero_rto, &err));
  sctp_sockets_sctp_reset_streams_request_t no_direction = { 0, { NULL, 0 } };
  CODE(&j, "resetStreamsNoDirection", M(reset_streams)(s, &none_assoc, &no_direction, &err));
  sctp_sockets_sctp_add_streams_request_t add_none = { 0, 0 };
  CODE(&j, "addStreamsNone", M(add_streams)(s, &none_assoc, &add_none, &err));
  CODE(&j, "resetAssocUnconnected", M(reset_assoc)(s, &none_assoc, &err));
  sctp_address_t somewhere = ipv4("127.0.0.1", 1);
  CODE(&j, "peerPrimaryUnconnected", M(set_peer_primary_addr)(s, &none_assoc, &somewhere, &err));
  CODE(&j, "deactivateUnknownKey", M(deactivate_auth_key)(s, &future, 9, &err));
  CODE(&j, "deleteUnknownKey", M(delete_auth_key)(s, &future, 9, &err));
  j_report(&j);

  // Auto ASCONF: nothing follows the host's address changes here, so it reads false on any socket.
  sctp_own_t wild = new_socket(ONE_TO_ONE), bound = new_socket(ONE_TO_ONE);
  bind_to(borrow(wild), ipv4("0.0.0.0", 0));
  CALL("set-auto-asconf", M(set_auto_asconf)(borrow(wild), false, &err));
  bind_to(borrow(bound), ipv4("127.0.0.1", 0));
  j_case(&j, "auto-asconf");
  CALL("auto-asconf", M(auto_asconf)(borrow(wild), &b, &err));
  put_bool(&j, "wildcard", b);
  CODE(&j, "bound", M(auto_asconf)(borrow(bound), &b, &err));
  j_report(&j);
  sctp_own_t all[] = { s_own, many_own, v6_own, wild, bound };
  for (size_t i = 0; i < 5; i++) sctp_sockets_sctp_sctp_socket_drop_own(all[i]);
}

// ---- live: what needs an association ------------------------------------------------------------

static uint16_t encaps(void) {
  uint16_t port;
  return sctp_sockets_sctp_udp_encapsulation_port(&port) ? port : 0;
}

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

static void status_json(json_t *j, const sctp_sockets_sctp_association_status_t *st) {
  j_open(j);
  put_u64(j, "association", st->association);
  put_str(j, "state", ASSOC_STATES[st->state]);
  put_u64(j, "peerRwnd", st->peer_rwnd);
  put_u64(j, "unackedData", st->unacked_data);
  put_u64(j, "pendingData", st->pending_data);
  put_u64(j, "inboundStreams", st->inbound_streams);
  put_u64(j, "outboundStreams", st->outbound_streams);
  put_u64(j, "fragmentationPoint", st->fragmentation_point);
  if (st->primary.is_some) { j_key(j, "primary"); peer_addr_info(j, &st->primary.val); }
  j_close(j);
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

static void live_scenario(void) {
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
  CALL("local-addresses", M(local_addresses)(sock, &none_assoc, &list, &err)); addresses(&j, "localAddresses", &list);
  CALL("remote-addresses", M(remote_addresses)(sock, &none_assoc, &list, &err)); addresses(&j, "remoteAddresses", &list);
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
  j_key(&j, "status"); status_json(&j, &st);
  put_u64(&j, "connected", association);
  j_key(&j, "expectedPrimary"); j_address(&j, &peer);
  j_report(&j);

  sctp_sockets_sctp_peer_addr_info_t info;
  command_option_u32_t by_id = { true, association };
  j_case(&j, "peer-addr-info");
  CALL("peer-addr-info", M(peer_addr_info)(sock, &none_assoc, &peer, &info, &err)); j_key(&j, "info"); peer_addr_info(&j, &info);
  CALL("peer-addr-info", M(peer_addr_info)(sock, &by_id, &peer, &info, &err)); j_key(&j, "byAssociation"); peer_addr_info(&j, &info);
  j_report(&j);

  j_case(&j, "association-options");
  sctp_address_t primary;
  CALL("primary-addr", M(primary_addr)(sock, &none_assoc, &primary, &err));
  j_key(&j, "primaryAddr"); j_address(&j, &primary);
  CODE(&j, "setPrimaryAddr", M(set_primary_addr)(sock, &none_assoc, &peer, &err));
  CODE(&j, "setPeerPrimaryAddr", M(set_peer_primary_addr)(sock, &none_assoc, &local, &err));
  command_list_u8_t chunks;
  CALL("peer-auth-chunks", M(peer_auth_chunks)(sock, &none_assoc, &chunks, &err)); list_u8(&j, "peerAuthChunks", &chunks);
  sctp_sockets_sctp_timeout_counts_t t;
  CALL("timeouts", M(timeouts)(sock, &none_assoc, &t, &err));
  j_key(&j, "timeouts"); j_open(&j);
  put_u64(&j, "init", t.init); put_u64(&j, "data", t.data); put_u64(&j, "sack", t.sack); put_u64(&j, "shutdown", t.shutdown);
  put_u64(&j, "heartbeat", t.heartbeat); put_u64(&j, "cookie", t.cookie); put_u64(&j, "shutdownAck", t.shutdown_ack);
  j_close(&j);
  sctp_sockets_sctp_pr_status_t prs;
  sctp_sockets_sctp_option_pr_policy_kind_t any_policy = { false }, ttl = { true, SCTP_SOCKETS_SCTP_PR_POLICY_KIND_TTL };
  bool ok = M(pr_assoc_status)(sock, &none_assoc, &any_policy, &prs, &err); pr_status(&j, "prAssocStatus", ok, &prs);
  ok = M(pr_assoc_status)(sock, &none_assoc, &ttl, &prs, &err); pr_status(&j, "prAssocStatusTtl", ok, &prs);
  ok = M(pr_stream_status)(sock, &none_assoc, 0, &any_policy, &prs, &err); pr_status(&j, "prStreamStatus", ok, &prs);
  ok = M(pr_stream_status)(sock, &none_assoc, 0, &ttl, &prs, &err); pr_status(&j, "prStreamStatusTtl", ok, &prs);
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
  j_key(&j, "rtoInfo"); j_open(&j); put_u64(&j, "initial", rto.initial); put_u64(&j, "max", rto.max); put_u64(&j, "min", rto.min); j_close(&j);
  j_report(&j);
  char reply[64];
  echo_text(sock, borrow(conn), "measure rtt", reply, sizeof reply);
  j_case(&j, "path");
  put_str(&j, "reply", reply);
  CALL("peer-addr-info", M(peer_addr_info)(sock, &none_assoc, &peer, &info, &err)); j_key(&j, "info"); peer_addr_info(&j, &info);
  CALL("peer-addr-params", M(peer_addr_params)(sock, &by_id, &at_peer, &pap, &err)); j_key(&j, "params"); peer_addr_params(&j, &pap);
  CALL("peer-addr-thresholds", M(peer_addr_thresholds)(sock, &by_id, &at_peer, &thr, &err));
  j_key(&j, "thresholds"); j_open(&j);
  put_u64(&j, "pathMaxRetransmits", thr.path_max_retransmits); put_u64(&j, "potentiallyFailedThreshold", thr.potentially_failed_threshold);
  j_close(&j);
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
  CALL("peer-auth-chunks", M(peer_auth_chunks)(sock, &none_assoc, &chunks, &err)); list_u8(&j, "peerAuthChunks", &chunks);
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

bool exports_wasi_cli_run_run(void) {
  const char **positional;
  const char *scenario = guest_positional(&positional) > 0 ? positional[0] : "";
  if (strcmp(scenario, "local") == 0) local_scenario();
  else if (strcmp(scenario, "live") == 0) live_scenario();
  else guest_fail("unknown scenario %s\n", scenario);
  return true;
}
