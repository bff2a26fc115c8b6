// Echo client, in C: the same behaviour and arguments as guest-examples/echo/client.ts. Sends N
// messages round-robin over several streams, each stream with its own PPID, every third message
// unordered, then checks that every echo came back intact and that each stream's ordered messages
// kept their order.
//   echo-client <address> <port> <udp-encaps-port> [--messages 30] [--streams 4] [--batch 16] [--quiet]
#include "guest.h"
#include <stdlib.h>
#include <string.h>

#define PPID_BASE 1000

bool exports_wasi_cli_run_run(void) {
  const char **positional;
  if (guest_positional(&positional) < 3) guest_fail("usage: echo-client <address> <port> <udp-encaps-port> [--messages N] [--streams S] [--batch B] [--quiet]\n");
  const char *address = positional[0];
  uint16_t port = (uint16_t) atoi(positional[1]);
  uint16_t encaps = (uint16_t) atoi(positional[2]);
  long total = guest_number("messages", 30);
  long streams = guest_number("streams", 4);
  long batch = guest_number("batch", 16);
  bool quiet = guest_option("quiet", NULL) != NULL;
  sctp_error_t err;

  sctp_own_t own = new_socket(ONE_TO_ONE);
  sctp_t sock = borrow(own);
  sctp_sockets_sctp_init_msg_t init = { (uint16_t) streams, (uint16_t) streams, 4, 1000 };
  check(sctp_sockets_sctp_method_sctp_socket_set_init_msg(sock, &init, &err), "set-init-msg", err);
  sctp_scope_t future = scope_future();
  check(sctp_sockets_sctp_method_sctp_socket_set_remote_udp_encaps_port(sock, &future, encaps, &err), "set-remote-udp-encaps-port", err);
  bind_to(sock, ipv4("127.0.0.1", 0));
  uint32_t association = connect_to(sock, ipv4(address, port));
  sctp_address_t local;
  check(sctp_sockets_sctp_method_sctp_socket_local_address(sock, &local, &err), "local-address", err);
  char text[64];
  printf("connected association %u from %s to %s:%u over UDP port %u\n", association, format_address(&local, text), address, port, encaps);

  // Message i is "message i on stream s"; seen[i] marks its echo.
  char **bodies = calloc((size_t) total, sizeof(char *));
  sctp_outgoing_t *sent = calloc((size_t) total, sizeof(sctp_outgoing_t));
  bool *seen = calloc((size_t) total, sizeof(bool));
  long *last_ordered = malloc((size_t) streams * sizeof(long));
  for (long s = 0; s < streams; s++) last_ordered[s] = -1;
  for (long i = 0; i < total; i++) {
    uint16_t stream = (uint16_t) (i % streams);
    bodies[i] = malloc(48);
    int length = snprintf(bodies[i], 48, "message %ld on stream %u", i, stream);
    sent[i] = message(bodies[i], (size_t) length);
    sent[i].info.stream = some_u16(stream);
    sent[i].info.ppid = some_u32(PPID_BASE + stream);
    sent[i].info.flags = (sctp_sockets_sctp_option_send_flags_t) { true, i % 3 == 2 ? SCTP_SOCKETS_SCTP_SEND_FLAGS_UNORDERED : 0 };
    sent[i].info.context = some_u32((uint32_t) i);
  }

  long received = 0, failures = 0, next = 0, verified = 0;
  bool peer_ended = false;
  pollable_t waits = { 0 }; // subscribed by the first wait, reused by the others
  while (received < total) {
    if (next < total) {
      long n = next + batch <= total ? batch : total - next;
      send_all(sock, &waits, sent + next, (size_t) n, NULL, NULL);
      next += n;
    }
    sctp_incoming_list_t items;
    receive_some(sock, &waits, 256, &items);
    for (size_t k = 0; k < items.len; k++) {
      sctp_incoming_t *item = &items.ptr[k];
      if (item->tag != SCTP_SOCKETS_SCTP_INCOMING_MESSAGE) {
        // The server may end the association right after its last echo: only an early end is a failure.
        if (item->tag == SCTP_SOCKETS_SCTP_INCOMING_END_OF_STREAM && received == total) { peer_ended = true; continue; }
        guest_fail("unexpected %s after %ld/%ld echoes\n", item->tag == SCTP_SOCKETS_SCTP_INCOMING_END_OF_STREAM ? "end-of-stream" : "notification", received, total);
      }
      sctp_received_t *m = &item->val.message;
      received++;
      long index = -1;
      unsigned stream_in_text = 0;
      char body[64];
      size_t length = m->data.len < sizeof body - 1 ? m->data.len : sizeof body - 1;
      memcpy(body, m->data.ptr, length);
      body[length] = 0;
      bool parsed = sscanf(body, "message %ld on stream %u", &index, &stream_in_text) == 2 && index >= 0 && index < total;
      if (!parsed || seen[index] || strcmp(body, bodies[index]) != 0 || m->stream != index % streams || (long) m->ppid != PPID_BASE + index % streams
          || m->unordered != (index % 3 == 2)) {
        fprintf(stderr, "MISMATCH: got \"%s\" stream %u ppid %u unordered %d\n", body, m->stream, m->ppid, m->unordered);
        failures++;
        continue;
      }
      seen[index] = true;
      verified++;
      if (!m->unordered) {
        if (last_ordered[m->stream] > index) { fprintf(stderr, "OUT OF ORDER on stream %u: %ld\n", m->stream, index); failures++; }
        last_ordered[m->stream] = index;
      }
      if (!quiet) printf("echo stream %u ppid %u%s: %s\n", m->stream, m->ppid, m->unordered ? " unordered" : "", body);
    }
    sctp_sockets_sctp_list_incoming_free(&items);
  }
  // The server may have ended the association already (its end-of-stream not read yet): then
  // there is nothing left to shut down.
  if (!peer_ended && !sctp_sockets_sctp_method_sctp_socket_shutdown(sock, &err) && err != WASI_SOCKETS_NETWORK_ERROR_CODE_INVALID_STATE) {
    guest_fail("shutdown: %s\n", error_name(err));
  }
  printf("%ld/%ld echoes verified, %ld failures\n", verified, total, failures);
  drop_pollable(&waits);
  sctp_sockets_sctp_sctp_socket_drop_own(own);
  return failures == 0 && verified == total;
}
