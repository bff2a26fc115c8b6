// Three associations on one one-to-many socket: sendall and sack-immediately, peeloff, an abort that
// spares the others, eof, and autoclose.
#include "datamodel.h"
#include <stdio.h>

static void assoc_change_events(sctp_t s) { set_event(s, SCTP_SOCKETS_SCTP_EVENT_KIND_ASSOC_CHANGE, true); }

/** The messages a drain saw, as their texts. */
static void j_texts(json_t *j, const seen_t *s) {
  j_open_array(j);
  for (int k = 0; k < s->messages; k++) j_str(j, s->message[k].text);
  j_close_array(j);
}

static void send_flagged(sctp_t s, const char *text, uint32_t association, bool has_association, sctp_sockets_sctp_send_flags_t flags) {
  sctp_sockets_sctp_send_info_t info = no_info();
  if (has_association) info.association = some_u32(association);
  info.flags = (sctp_sockets_sctp_option_send_flags_t) { true, flags };
  send_text(s, text, info);
}

void associations(void) {
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
  j_list_u32(&j, &(command_list_u32_t) { assoc, 3 });
  uint32_t number;
  check(sctp_sockets_sctp_method_sctp_socket_assoc_number(s, &number, &err), "assoc-number", err);
  put_u64(&j, "number", number);
  command_list_u32_t ids;
  check(sctp_sockets_sctp_method_sctp_socket_assoc_id_list(s, &ids, &err), "assoc-id-list", err);
  j_key(&j, "ids");
  j_list_u32(&j, &ids);
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
    j_texts(&j, got);
    seen_free(got);
  }
  j_close_array(&j);
  seen_t *sack = drain(s, UNTIL_MESSAGES, 0, 1, 3000, 64);
  j_key(&j, "sackImmediately");
  j_texts(&j, sack);
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
  put_drained(&j, "peeledGot", borrow(peeled), UNTIL_MESSAGES, 0, 1);
  put_drained(&j, "clientGot", borrow(clients[0]), UNTIL_MESSAGES, 0, 1);
  sctp_own_t again;
  bool ok = sctp_sockets_sctp_method_sctp_socket_peeloff(s, assoc[0], &again, &err);
  put_str(&j, "again", code_of(ok, err));
  j_report(&j);

  // The server aborts client 1's association; client 2's goes on.
  send_flagged(s, "go away", assoc[1], true, SCTP_SOCKETS_SCTP_SEND_FLAGS_ABORT);
  j_case(&j, "aborted");
  put_drained(&j, "client", borrow(clients[1]), UNTIL_ENDED, 0, 1);
  sctp_outgoing_t x = message("x", 1);
  sctp_outgoing_list_t xs = { &x, 1 };
  uint64_t taken;
  ok = sctp_sockets_sctp_method_sctp_socket_send(borrow(clients[1]), &xs, &taken, &err);
  put_str(&j, "sendAfter", code_of(ok, err));
  j_report(&j);
  send_text(borrow(clients[2]), "still here", no_info());
  j_case(&j, "others-continue");
  put_drained(&j, "server", s, UNTIL_MESSAGES, 0, 1);
  j_report(&j);

  // eof on client 2's association: its last message, then the end.
  send_flagged(s, "last words", assoc[2], true, SCTP_SOCKETS_SCTP_SEND_FLAGS_EOF);
  j_case(&j, "eof");
  put_drained(&j, "client", borrow(clients[2]), UNTIL_ENDED, 0, 1);
  put_drained(&j, "server", s, UNTIL_STATE, S(SHUTDOWN_COMP), 1);
  j_report(&j);

  // autoclose: an idle association is shut down by the stack after the given time (ms, whole seconds).
  check(sctp_sockets_sctp_method_sctp_socket_set_autoclose(s, 1000, &err), "set-autoclose", err);
  sctp_own_t idle = client(ONE_TO_ONE, NULL);
  connect_to(borrow(idle), local_of(s));
  send_text(borrow(idle), "then silence", no_info());
  j_case(&j, "autoclose");
  // Quiet for 5 s: the stack takes its time.
  seen_t *got = drain(s, UNTIL_STATE, S(SHUTDOWN_COMP), 1, 5000, 64);
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
