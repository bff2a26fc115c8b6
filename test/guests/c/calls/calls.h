// What the calls scenarios share: the arguments that say "no association" and "no address", a scope
// of one association, and option values and association data as JSON.
#ifndef CALLS_H
#define CALLS_H

#include "../scenario.h"

/** Ends the guest unless `call` (which writes `err`) succeeds; `what` names it. */
#define CALL(what, call) check((call), what, err)
#define M(name) sctp_sockets_sctp_method_sctp_socket_##name

extern command_option_u32_t none_assoc;
extern wasi_sockets_network_option_ip_socket_address_t no_address;
sctp_scope_t one(uint32_t association);

/** WIT case names, by the case's index. */
extern const char *const SCHEDULERS[];
extern const char *const PR_KINDS[];
extern const char *const INTERLEAVE[];

void j_rto_info(json_t *j, const sctp_sockets_sctp_rto_info_t *rto);
void j_peer_addr_params(json_t *j, const sctp_sockets_sctp_peer_addr_params_t *p);
void j_peer_addr_info(json_t *j, const sctp_sockets_sctp_peer_addr_info_t *i);
void j_thresholds(json_t *j, const sctp_sockets_sctp_peer_addr_thresholds_t *t);
void j_status(json_t *j, const sctp_sockets_sctp_association_status_t *st);
/** What PR-SCTP abandoned under `key`, or { "error": ... } when the call failed. */
void put_pr_status(json_t *j, const char *key, bool ok, const sctp_sockets_sctp_pr_status_t *st);
/** Under `key`, then freed. */
void put_list_u8(json_t *j, const char *key, command_list_u8_t *l);
void put_addresses(json_t *j, const char *key, wasi_sockets_network_list_ip_socket_address_t *l);

void local_scenario(void);  // local.c
void live_scenario(void);   // live.c

#endif
