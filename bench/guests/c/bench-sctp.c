// Benchmark guest for `npm run bench` (lane e): guest-examples/bench/sctp.ts in C, same modes, arguments
// and JSON lines, so that the lanes differ only in the guest's language.
//   bench-sctp send <address> <port> <udp-encaps-port> [--size 1024] [--seconds 3] [--batch 128]
//   bench-sctp pingpong <address> <port> <udp-encaps-port> [--size 64] [--count 2000] [--warmup 200] [--seconds 5]
//   bench-sctp calls [--count 2000] [--rounds 5]
#include "guest.h"
#include <stdlib.h>
#include <string.h>

static sctp_own_t connected(const char *address, uint16_t port, uint16_t encaps, bool nodelay) {
  sctp_error_t err;
  sctp_own_t own = new_socket(ONE_TO_ONE);
  sctp_t sock = borrow(own);
  sctp_scope_t future = scope_future();
  check(sctp_sockets_sctp_method_sctp_socket_set_remote_udp_encaps_port(sock, &future, encaps, &err), "set-remote-udp-encaps-port", err);
  if (nodelay) check(sctp_sockets_sctp_method_sctp_socket_set_nodelay(sock, true, &err), "set-nodelay", err);
  bind_to(sock, ipv4("127.0.0.1", 0));
  connect_to(sock, ipv4(address, port));
  sctp_address_t local;
  check(sctp_sockets_sctp_method_sctp_socket_local_address(sock, &local, &err), "local-address", err);
  printf("{\"event\":\"connected\",\"localPort\":%u}\n", address_port(&local));
  return own;
}

/** Shuts down and waits (bounded) until the association has ended, so that nothing queued is lost at exit. */
static void close_gracefully(sctp_t sock) {
  sctp_error_t err;
  check(sctp_sockets_sctp_method_sctp_socket_shutdown(sock, &err), "shutdown", err);
  uint64_t deadline = now_ns() + 10000000000ull;
  for (;;) {
    sctp_incoming_list_t items;
    if (!sctp_sockets_sctp_method_sctp_socket_receive(sock, 64, &items, &err)) {
      printf("{\"event\":\"closed\",\"error\":\"%s\"}\n", error_name(err));
      return;
    }
    bool ended = false;
    for (size_t i = 0; i < items.len; i++) if (items.ptr[i].tag == SCTP_SOCKETS_SCTP_INCOMING_END_OF_STREAM) ended = true;
    size_t n = items.len;
    sctp_sockets_sctp_list_incoming_free(&items);
    if (ended) break;
    if (n == 0) {
      uint64_t now = now_ns();
      if (now >= deadline || !wait_timeout(sock, (deadline - now) / 1000000 + 1)) {
        printf("{\"event\":\"closed\",\"error\":\"timeout\"}\n");
        return;
      }
    }
  }
  printf("{\"event\":\"closed\"}\n");
}

/** What the TypeScript sender sends: `size` bytes on stream 0 with `ppid`, every send-info field given. */
static sctp_outgoing_t bench_message(const uint8_t *data, size_t size, uint32_t ppid) {
  sctp_outgoing_t m = message(data, size);
  m.info.stream = some_u16(0);
  m.info.ppid = some_u32(ppid);
  m.info.flags = (sctp_sockets_sctp_option_send_flags_t) { true, 0 };
  m.info.context = some_u32(0);
  return m;
}

static void send_mode(const char *address, uint16_t port, uint16_t encaps) {
  long size = guest_number("size", 1024);
  uint64_t duration = (uint64_t) (atof(guest_option("seconds", "3")) * 1e9);
  long batch = guest_number("batch", size <= 4096 ? 128 : 4);
  sctp_own_t own = connected(address, port, encaps, false);
  sctp_t sock = borrow(own);
  uint8_t *data = calloc((size_t) size, 1);
  sctp_outgoing_t *messages = calloc((size_t) batch, sizeof(sctp_outgoing_t));
  for (long i = 0; i < batch; i++) messages[i] = bench_message(data, (size_t) size, 1);
  uint64_t sent = 0, calls = 0, would_block = 0;
  uint64_t started = now_ns();
  uint64_t deadline = started + duration;
  pollable_t waits = { 0 };
  while (now_ns() < deadline) {
    // Try send first; block (on the socket's one pollable) only on would-block.
    send_all(sock, &waits, messages, (size_t) batch, &calls, &would_block);
    sent += (uint64_t) batch;
  }
  drop_pollable(&waits);
  uint64_t elapsed = now_ns() - started;
  printf("{\"event\":\"sent\",\"messages\":%llu,\"bytes\":%llu,\"seconds\":%.3f,\"sendCalls\":%llu,\"wouldBlock\":%llu}\n",
    (unsigned long long) sent, (unsigned long long) (sent * (uint64_t) size), elapsed / 1e9, (unsigned long long) calls, (unsigned long long) would_block);
  close_gracefully(sock);
  sctp_sockets_sctp_sctp_socket_drop_own(own);
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void pingpong_mode(const char *address, uint16_t port, uint16_t encaps) {
  long size = guest_number("size", 64);
  long count = guest_number("count", 2000);
  long warmup = guest_number("warmup", 200);
  sctp_own_t own = connected(address, port, encaps, true);
  sctp_t sock = borrow(own);
  uint64_t deadline = now_ns() + (uint64_t) (atof(guest_option("seconds", "5")) * 1e9);
  uint8_t *data = calloc((size_t) size, 1);
  sctp_outgoing_t m = bench_message(data, (size_t) size, 2);
  double *rtt = calloc((size_t) count, sizeof(double));
  long n = 0;
  sctp_error_t err;
  pollable_t waits = { 0 };
  for (long i = 0; i < warmup + count; i++) {
    uint64_t t0 = now_ns();
    if (t0 > deadline) break;
    send_all(sock, &waits, &m, 1, NULL, NULL);
    for (bool complete = false; !complete;) {
      // Try first; block on the socket's reused pollable only when nothing is there.
      sctp_incoming_list_t items;
      check(sctp_sockets_sctp_method_sctp_socket_receive(sock, 16, &items, &err), "receive", err);
      if (items.len == 0) { sctp_sockets_sctp_list_incoming_free(&items); wait_ready_on(sock, &waits); continue; }
      for (size_t k = 0; k < items.len; k++) {
        if (items.ptr[k].tag == SCTP_SOCKETS_SCTP_INCOMING_MESSAGE && items.ptr[k].val.message.complete) complete = true;
        else if (items.ptr[k].tag == SCTP_SOCKETS_SCTP_INCOMING_END_OF_STREAM) guest_fail("{\"event\":\"error\",\"message\":\"echo peer ended the association\"}\n");
      }
      sctp_sockets_sctp_list_incoming_free(&items);
    }
    if (i >= warmup) rtt[n++] = (double) (now_ns() - t0) / 1000.0;
  }
  drop_pollable(&waits);
  qsort(rtt, (size_t) n, sizeof(double), compare_doubles);
#define PCT(p) (n ? rtt[(long) ((n - 1) * (p))] : 0)
  printf("{\"event\":\"rtt\",\"count\":%ld,\"minUs\":%.1f,\"p50Us\":%.1f,\"p90Us\":%.1f,\"p99Us\":%.1f,\"maxUs\":%.1f}\n",
    n, PCT(0), PCT(0.5), PCT(0.9), PCT(0.99), PCT(1));
  close_gracefully(sock);
  sctp_sockets_sctp_sctp_socket_drop_own(own);
}

// ---- calls: per-call cost of the cheapest host calls, from this one guest ----

static sctp_t calls_sctp;
static wasi_sockets_tcp_borrow_tcp_socket_t calls_tcp;
static volatile uint32_t sink;

static void call_empty(void) { sink++; }
static void call_socket_type(void) { sink += sctp_sockets_sctp_method_sctp_socket_socket_type(calls_sctp); }
static void call_is_listening(void) { sink += sctp_sockets_sctp_method_sctp_socket_is_listening(calls_sctp); }
static void call_keep_alive(void) {
  bool v;
  wasi_sockets_tcp_error_code_t err;
  sink += wasi_sockets_tcp_method_tcp_socket_keep_alive_enabled(calls_tcp, &v, &err);
}
static void call_now(void) { sink += (uint32_t) now_ns(); }
static void call_ready_wait(void) { wait_ready(calls_sctp); }
static pollable_t calls_pollable;
static void call_reused_wait(void) { wait_ready_on(calls_sctp, &calls_pollable); }

static sctp_outgoing_t *crossing;
static size_t crossing_count;
/** `send` on an unconnected socket: lowered, lifted, refused (invalid-state, or invalid-argument for an empty message). */
static void call_send(void) {
  sctp_outgoing_list_t list = { crossing, crossing_count };
  uint64_t taken;
  sctp_error_t err;
  if (sctp_sockets_sctp_method_sctp_socket_send(calls_sctp, &list, &taken, &err)
      || (err != WASI_SOCKETS_NETWORK_ERROR_CODE_INVALID_STATE && err != WASI_SOCKETS_NETWORK_ERROR_CODE_INVALID_ARGUMENT)) {
    guest_fail("{\"event\":\"error\",\"message\":\"send on an unconnected socket: %s\"}\n", error_name(err));
  }
}

/** Microseconds per call of `f`, over `count` calls. */
static double per_call(long count, void (*f)(void)) {
  uint64_t t0 = now_ns();
  for (long i = 0; i < count; i++) f();
  return (double) (now_ns() - t0) / 1000.0 / (double) count;
}

static double median(double *values, long n) {
  qsort(values, (size_t) n, sizeof(double), compare_doubles);
  return values[(n - 1) / 2];
}

#define MAX_ROUNDS 64

static void calls_mode(void) {
  long count = guest_number("count", 2000);
  long rounds = guest_number("rounds", 5);
  if (rounds > MAX_ROUNDS) rounds = MAX_ROUNDS;
  sctp_own_t sctp = new_socket(ONE_TO_ONE);
  calls_sctp = borrow(sctp);
  wasi_sockets_tcp_own_tcp_socket_t tcp;
  wasi_sockets_tcp_error_code_t err;
  check(wasi_sockets_tcp_create_socket_create_tcp_socket(WASI_SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV4, &tcp, &err), "create-tcp-socket", err);
  calls_tcp = wasi_sockets_tcp_borrow_tcp_socket(tcp);
  struct { const char *name; void (*f)(void); double values[MAX_ROUNDS]; } loops[] = {
    { "emptyLoopUs", call_empty, {0} }, { "socketTypeUs", call_socket_type, {0} }, { "keepAliveEnabledUs", call_keep_alive, {0} },
    { "isListeningUs", call_is_listening, {0} }, { "monotonicNowUs", call_now, {0} },
  };
  const long nloops = sizeof loops / sizeof loops[0];
  per_call(200, call_socket_type); // warm-up, not counted
  per_call(200, call_keep_alive);
  // Rounds alternate the calls so that drift (the other processes) hits every one alike.
  for (long r = 0; r < rounds; r++) for (long l = 0; l < nloops; l++) loops[l].values[r] = per_call(count, loops[l].f);
  double ready[MAX_ROUNDS], reused[MAX_ROUNDS];
  for (long r = 0; r < rounds; r++) ready[r] = per_call(count / 10 > 20 ? count / 10 : 20, call_ready_wait);
  for (long r = 0; r < rounds; r++) reused[r] = per_call(count / 10 > 20 ? count / 10 : 20, call_reused_wait);
  drop_pollable(&calls_pollable);

  static uint8_t payload[65536];
  sctp_outgoing_t one[1], many[128];
  struct { const char *name; size_t size; size_t n; double values[MAX_ROUNDS]; } crossings[] = {
    { "sendEmptyUs", 0, 1, {0} }, { "send1KiBUs", 1024, 1, {0} }, { "send64KiBUs", 65536, 1, {0} }, { "send128x1KiBUs", 1024, 128, {0} },
  };
  for (size_t c = 0; c < 4; c++) {
    crossing = crossings[c].n == 1 ? one : many;
    crossing_count = crossings[c].n;
    for (size_t i = 0; i < crossing_count; i++) crossing[i] = bench_message(payload, crossings[c].size, 1);
    per_call(20, call_send); // warm-up, not counted
    long n = count / (long) (crossings[c].n * (crossings[c].size >= 65536 ? 64 : 1));
    for (long r = 0; r < rounds; r++) crossings[c].values[r] = per_call(n > 5 ? n : 5, call_send);
  }

  printf("{\"event\":\"calls\",\"count\":%ld,\"rounds\":%ld", count, rounds);
  for (long l = 0; l < nloops; l++) printf(",\"%s\":%.3f", loops[l].name, median(loops[l].values, rounds));
  printf(",\"readyWaitUs\":%.3f,\"reusedWaitUs\":%.3f", median(ready, rounds), median(reused, rounds));
  for (size_t c = 0; c < 4; c++) printf(",\"%s\":%.3f", crossings[c].name, median(crossings[c].values, rounds));
  printf("}\n");
  sctp_sockets_sctp_sctp_socket_drop_own(sctp);
  wasi_sockets_tcp_tcp_socket_drop_own(tcp);
}

bool exports_wasi_cli_run_run(void) {
  const char **positional;
  int n = guest_positional(&positional);
  const char *mode = n > 0 ? positional[0] : "";
  if (strcmp(mode, "send") == 0 && n >= 4) send_mode(positional[1], (uint16_t) atoi(positional[2]), (uint16_t) atoi(positional[3]));
  else if (strcmp(mode, "pingpong") == 0 && n >= 4) pingpong_mode(positional[1], (uint16_t) atoi(positional[2]), (uint16_t) atoi(positional[3]));
  else if (strcmp(mode, "calls") == 0) calls_mode();
  else guest_fail("usage: bench-sctp send|pingpong <address> <port> <udp-encaps-port> [options] | calls [options]\n");
  return true;
}
