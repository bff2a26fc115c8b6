// Echo server, in C: the same behaviour and arguments as guest-examples/echo/server.ts. Every message
// goes back on the association, stream, PPID and ordering it came with.
//   echo-server [--address 127.0.0.1] [--port 0] [--style one-to-one|one-to-many] [--connections 1] [--messages N] [--quiet]
// One-to-one: serves --connections associations one after the other, then exits.
// One-to-many: serves every association on one socket until --messages messages were echoed.
#include "guest.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/** Turns the messages of `items` into replies (pointing into `items`); true when the peer ended. */
static bool echoes(sctp_incoming_list_t *items, sctp_outgoing_t *replies, size_t *count, bool quiet) {
  bool ended = false;
  *count = 0;
  for (size_t k = 0; k < items->len; k++) {
    sctp_incoming_t *item = &items->ptr[k];
    if (item->tag == SCTP_SOCKETS_SCTP_INCOMING_END_OF_STREAM) { ended = true; continue; }
    if (item->tag != SCTP_SOCKETS_SCTP_INCOMING_MESSAGE) continue;
    sctp_received_t *m = &item->val.message;
    if (!quiet) printf("echo assoc %u stream %u ppid %u%s: %zu bytes\n", m->association, m->stream, m->ppid, m->unordered ? " unordered" : "", m->data.len);
    sctp_outgoing_t *r = &replies[(*count)++];
    *r = message(m->data.ptr, m->data.len);
    r->info.association = some_u32(m->association);
    r->info.stream = some_u16(m->stream);
    r->info.ppid = some_u32(m->ppid);
    r->info.flags = (sctp_sockets_sctp_option_send_flags_t) { true, m->unordered ? SCTP_SOCKETS_SCTP_SEND_FLAGS_UNORDERED : 0 };
    r->info.context = some_u32(0);
  }
  return ended;
}

#define MAX_ITEMS 256

static void serve_one_to_one(sctp_t listener, long connections, bool quiet) {
  static sctp_outgoing_t replies[MAX_ITEMS];
  sctp_error_t err;
  char text[64];
  for (long served = 0; served < connections; served++) {
    sctp_own_t conn = accept_one(listener);
    sctp_address_t remote;
    check(sctp_sockets_sctp_method_sctp_socket_remote_address(borrow(conn), &remote, &err), "remote-address", err);
    printf("accepted %s\n", format_address(&remote, text));
    long count = 0;
    pollable_t waits = { 0 }; // subscribed by the first wait, reused by the others
    for (bool ended = false; !ended;) {
      sctp_incoming_list_t items;
      size_t n;
      receive_some(borrow(conn), &waits, MAX_ITEMS, &items);
      ended = echoes(&items, replies, &n, quiet);
      send_all(borrow(conn), &waits, replies, n, NULL, NULL);
      count += (long) n;
      sctp_sockets_sctp_list_incoming_free(&items);
    }
    printf("association ended after %ld messages\n", count);
    drop_pollable(&waits);
    sctp_sockets_sctp_sctp_socket_drop_own(conn);
  }
}

static void serve_one_to_many(sctp_t sock, long messages, bool quiet) {
  static sctp_outgoing_t replies[MAX_ITEMS];
  long count = 0;
  pollable_t waits = { 0 };
  while (count < messages) {
    sctp_incoming_list_t items;
    size_t n;
    receive_some(sock, &waits, MAX_ITEMS, &items);
    echoes(&items, replies, &n, quiet);
    send_all(sock, &waits, replies, n, NULL, NULL);
    count += (long) n;
    sctp_sockets_sctp_list_incoming_free(&items);
  }
  drop_pollable(&waits);
  printf("echoed %ld messages\n", count);
}

bool exports_wasi_cli_run_run(void) {
  const char *style = guest_option("style", "one-to-one");
  bool many = strcmp(style, "one-to-many") == 0;
  bool quiet = guest_option("quiet", NULL) != NULL;
  sctp_error_t err;
  sctp_own_t own = new_socket(many ? ONE_TO_MANY : ONE_TO_ONE);
  sctp_t sock = borrow(own);
  bind_to(sock, ipv4(guest_option("address", "127.0.0.1"), (uint16_t) guest_number("port", 0)));
  listen_on(sock);
  sctp_address_t local;
  check(sctp_sockets_sctp_method_sctp_socket_local_address(sock, &local, &err), "local-address", err);
  uint16_t encaps;
  char text[64], port[8] = "none";
  if (sctp_sockets_sctp_udp_encapsulation_port(&encaps)) snprintf(port, sizeof port, "%u", encaps);
  // The test harness and the demo read this line to find the server.
  printf("listening %s udp-encaps %s %s\n", format_address(&local, text), port, many ? "one-to-many" : "one-to-one");
  if (many) serve_one_to_many(sock, guest_number("messages", LONG_MAX), quiet);
  else serve_one_to_one(sock, guest_number("connections", 1), quiet);
  sctp_sockets_sctp_sctp_socket_drop_own(own);
  return true;
}
