// Option values and association data as JSON, with the keys of the TypeScript guest.
#include "calls.h"

command_option_u32_t none_assoc = { false };
wasi_sockets_network_option_ip_socket_address_t no_address = { false };

sctp_scope_t one(uint32_t association) {
  return (sctp_scope_t) { .tag = SCTP_SOCKETS_SCTP_ASSOCIATION_SCOPE_ASSOCIATION, .val.association = association };
}

const char *const SCHEDULERS[] = { "first-come-first-served", "default", "round-robin", "round-robin-packet", "priority", "fair-bandwidth", "weighted-fair-queueing" };
const char *const PR_KINDS[] = { "none", "ttl", "rtx", "prio" };
const char *const INTERLEAVE[] = { "none", "associations", "streams" };
static const char *const ASSOC_STATES[] = { "closed", "bound", "listen", "cookie-wait", "cookie-echoed", "established", "shutdown-sent", "shutdown-received", "shutdown-ack-sent", "shutdown-pending" };
static const char *const PATH_STATES[] = { "active", "inactive", "unconfirmed" };

static void put_optional_u32(json_t *j, const char *key, command_option_u32_t v) { if (v.is_some) put_u64(j, key, v.val); }

void j_rto_info(json_t *j, const sctp_sockets_sctp_rto_info_t *rto) {
  j_open(j);
  put_u64(j, "initial", rto->initial);
  put_u64(j, "max", rto->max);
  put_u64(j, "min", rto->min);
  j_close(j);
}

void j_peer_addr_params(json_t *j, const sctp_sockets_sctp_peer_addr_params_t *p) {
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

void j_peer_addr_info(json_t *j, const sctp_sockets_sctp_peer_addr_info_t *i) {
  j_open(j);
  j_key(j, "address"); j_address(j, &i->address);
  put_str(j, "state", PATH_STATES[i->state]);
  put_u64(j, "cwnd", i->cwnd);
  put_u64(j, "srtt", i->srtt);
  put_u64(j, "rto", i->rto);
  put_u64(j, "mtu", i->mtu);
  j_close(j);
}

void j_thresholds(json_t *j, const sctp_sockets_sctp_peer_addr_thresholds_t *t) {
  j_open(j);
  put_u64(j, "pathMaxRetransmits", t->path_max_retransmits);
  put_u64(j, "potentiallyFailedThreshold", t->potentially_failed_threshold);
  j_close(j);
}

void j_status(json_t *j, const sctp_sockets_sctp_association_status_t *st) {
  j_open(j);
  put_u64(j, "association", st->association);
  put_str(j, "state", ASSOC_STATES[st->state]);
  put_u64(j, "peerRwnd", st->peer_rwnd);
  put_u64(j, "unackedData", st->unacked_data);
  put_u64(j, "pendingData", st->pending_data);
  put_u64(j, "inboundStreams", st->inbound_streams);
  put_u64(j, "outboundStreams", st->outbound_streams);
  put_u64(j, "fragmentationPoint", st->fragmentation_point);
  if (st->primary.is_some) { j_key(j, "primary"); j_peer_addr_info(j, &st->primary.val); }
  j_close(j);
}

void put_pr_status(json_t *j, const char *key, bool ok, const sctp_sockets_sctp_pr_status_t *st) {
  j_key(j, key);
  if (ok) j_pr_status(j, st); else j_error(j, err);
}

void put_list_u8(json_t *j, const char *key, command_list_u8_t *l) {
  j_key(j, key);
  j_bytes(j, l);
  command_list_u8_free(l);
}

void put_addresses(json_t *j, const char *key, wasi_sockets_network_list_ip_socket_address_t *l) {
  j_key(j, key);
  j_open_array(j);
  for (size_t i = 0; i < l->len; i++) j_address(j, &l->ptr[i]);
  j_close_array(j);
  wasi_sockets_network_list_ip_socket_address_free(l);
}
