// Wrong use gets an error code: finish without start, calls in the wrong state, wrong families and
// values, a second start while one runs, a connect nobody answers.
#include "datamodel.h"

void errors(void) {
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
  CODE(&j, "finishBindWithoutStart", sctp_sockets_sctp_method_sctp_socket_finish_bind(s, &err));
  CODE(&j, "finishConnectWithoutStart", sctp_sockets_sctp_method_sctp_socket_finish_connect(s, &association, &err));
  CODE(&j, "finishListenWithoutStart", sctp_sockets_sctp_method_sctp_socket_finish_listen(s, &err));
  CODE(&j, "sendUnconnected", sctp_sockets_sctp_method_sctp_socket_send(s, &list, &taken, &err));
  CODE(&j, "acceptNotListening", sctp_sockets_sctp_method_sctp_socket_accept(s, &conn, &err));
  CODE(&j, "remoteAddressUnconnected", sctp_sockets_sctp_method_sctp_socket_remote_address(s, &addr, &err));
  CODE(&j, "peeloffOneToOne", sctp_sockets_sctp_method_sctp_socket_peeloff(s, 1, &conn, &err));
  CODE(&j, "shutdownUnconnected", sctp_sockets_sctp_method_sctp_socket_shutdown(s, &err));
  sctp_address_t v6 = { .tag = WASI_SOCKETS_NETWORK_IP_SOCKET_ADDRESS_IPV6 };
  CODE(&j, "bindWrongFamily", sctp_sockets_sctp_method_sctp_socket_start_bind(s, guest_network(), &v6, &err));
  CODE(&j, "receiveBufferSizeZero", sctp_sockets_sctp_method_sctp_socket_set_receive_buffer_size(s, 0, &err));
  CODE(&j, "listenBacklogZero", sctp_sockets_sctp_method_sctp_socket_set_listen_backlog_size(s, 0, &err));
  CODE(&j, "startBind", sctp_sockets_sctp_method_sctp_socket_start_bind(s, guest_network(), &(sctp_address_t) { .tag = 0, .val.ipv4 = { 0, { 127, 0, 0, 1 } } }, &err));
  CODE(&j, "startBindAgain", sctp_sockets_sctp_method_sctp_socket_start_bind(s, guest_network(), &(sctp_address_t) { .tag = 0, .val.ipv4 = { 0, { 127, 0, 0, 1 } } }, &err));
  CODE(&j, "finishBind", sctp_sockets_sctp_method_sctp_socket_finish_bind(s, &err));
  CODE(&j, "listenWhileBound", sctp_sockets_sctp_method_sctp_socket_set_listen_backlog_size(s, 16, &err));
  // A port where a socket is bound but nobody listens: the INIT is answered with an ABORT.
  sctp_own_t bound = client(ONE_TO_ONE, NULL);
  sctp_own_t caller = client(ONE_TO_ONE, NULL);
  sctp_address_t target = local_of(borrow(bound));
  CODE(&j, "startConnect", sctp_sockets_sctp_method_sctp_socket_start_connect(borrow(caller), guest_network(), &target, &err));
  CODE(&j, "startConnectAgain", sctp_sockets_sctp_method_sctp_socket_start_connect(borrow(caller), guest_network(), &target, &err));
  bool connected;
  while (!(connected = sctp_sockets_sctp_method_sctp_socket_finish_connect(borrow(caller), &association, &err)) && err == WOULD_BLOCK) {
    if (!wait_timeout(borrow(caller), 10000)) break;
  }
  put_str(&j, "connectNobodyListening", code_of(connected, err));
  CODE(&j, "sendAfterRefused", sctp_sockets_sctp_method_sctp_socket_send(borrow(caller), &list, &taken, &err));
  sctp_sockets_sctp_sctp_socket_drop_own(bound);
  sctp_sockets_sctp_sctp_socket_drop_own(caller);
  j_report(&j);
  sctp_sockets_sctp_sctp_socket_drop_own(own);
}
