#include "datamodel.h"
#include <string.h>

void set_event(sctp_t s, uint8_t kind, bool on) {
  sctp_scope_t future = scope_future();
  check(sctp_sockets_sctp_method_sctp_socket_set_event(s, &future, kind, on, &err), "set-event", err);
}

sctp_own_t server(uint8_t type, prepare_t prepare) {
  sctp_own_t s = new_socket(type);
  if (prepare) prepare(borrow(s));
  bind_to(borrow(s), ipv4("127.0.0.1", 0));
  listen_on(borrow(s));
  return s;
}

sctp_own_t client(uint8_t type, prepare_t prepare) {
  sctp_own_t s = new_socket(type);
  sctp_scope_t future = scope_future();
  check(sctp_sockets_sctp_method_sctp_socket_set_remote_udp_encaps_port(borrow(s), &future, encaps(), &err), "set-remote-udp-encaps-port", err);
  if (prepare) prepare(borrow(s));
  bind_to(borrow(s), ipv4("127.0.0.1", 0));
  return s;
}

sctp_address_t local_of(sctp_t s) {
  sctp_address_t a;
  check(sctp_sockets_sctp_method_sctp_socket_local_address(s, &a, &err), "local-address", err);
  return a;
}

pair_t connected_pair(prepare_t prepare) {
  pair_t p;
  p.server = server(ONE_TO_ONE, prepare);
  p.client = client(ONE_TO_ONE, prepare);
  connect_to(borrow(p.client), local_of(borrow(p.server)));
  p.accepted = accept_one(borrow(p.server));
  return p;
}

void drop_pair(pair_t p) {
  sctp_sockets_sctp_sctp_socket_drop_own(p.client);
  sctp_sockets_sctp_sctp_socket_drop_own(p.accepted);
  sctp_sockets_sctp_sctp_socket_drop_own(p.server);
}

sctp_sockets_sctp_send_info_t no_info(void) {
  sctp_sockets_sctp_send_info_t i;
  memset(&i, 0, sizeof i);
  return i;
}

void send_text(sctp_t s, const char *text, sctp_sockets_sctp_send_info_t info) {
  sctp_outgoing_t m = message(text, strlen(text));
  m.info = info;
  send_all(s, NULL, &m, 1, NULL, NULL);
}
