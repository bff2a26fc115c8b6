#include "guest.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int arg_count;
static char **arg_values;

void guest_args(int *argc, char ***argv) {
  if (!arg_values) {
    command_list_string_t args;
    wasi_cli_environment_get_arguments(&args);
    arg_values = calloc(args.len + 1, sizeof(char *));
    for (size_t i = 0; i < args.len; i++) {
      arg_values[i] = malloc(args.ptr[i].len + 1);
      memcpy(arg_values[i], args.ptr[i].ptr, args.ptr[i].len);
      arg_values[i][args.ptr[i].len] = 0;
    }
    arg_count = (int) args.len;
    command_list_string_free(&args);
    // Lines go out as they are printed: the tests and the benchmarks read them while the guest runs.
    setvbuf(stdout, NULL, _IOLBF, 0);
  }
  if (argc) *argc = arg_count;
  if (argv) *argv = arg_values;
}

/** Options that are flags: they take no value. */
static bool is_flag(const char *name) {
  return strcmp(name, "quiet") == 0;
}

const char *guest_option(const char *name, const char *fallback) {
  guest_args(NULL, NULL);
  for (int i = 1; i < arg_count; i++) {
    const char *a = arg_values[i];
    if (strncmp(a, "--", 2) != 0) continue;
    bool flag = is_flag(a + 2);
    if (strcmp(a + 2, name) == 0) return flag ? "true" : (i + 1 < arg_count ? arg_values[i + 1] : "true");
    if (!flag) i++;
  }
  return fallback;
}

long guest_number(const char *name, long fallback) {
  const char *v = guest_option(name, NULL);
  if (!v) return fallback;
  char *end;
  long n = strtol(v, &end, 10);
  if (*end) guest_fail("--%s wants a number, got %s\n", name, v);
  return n;
}

int guest_positional(const char ***out) {
  guest_args(NULL, NULL);
  static const char *positional[64];
  int n = 0;
  for (int i = 1; i < arg_count && n < 64; i++) {
    if (strncmp(arg_values[i], "--", 2) == 0) {
      if (!is_flag(arg_values[i] + 2)) i++;
      continue;
    }
    positional[n++] = arg_values[i];
  }
  *out = positional;
  return n;
}

void guest_fail(const char *format, ...) {
  va_list args;
  va_start(args, format);
  vfprintf(stderr, format, args);
  va_end(args);
  fflush(stdout);
  exit(1);
}

static const char *ERROR_NAMES[] = {
  "unknown", "access-denied", "not-supported", "invalid-argument", "out-of-memory", "timeout", "concurrency-conflict",
  "not-in-progress", "would-block", "invalid-state", "new-socket-limit", "address-not-bindable", "address-in-use",
  "remote-unreachable", "connection-refused", "connection-reset", "connection-aborted", "datagram-too-large",
  "name-unresolvable", "temporary-resolver-failure", "permanent-resolver-failure",
};

const char *error_name(sctp_error_t code) {
  return code < sizeof ERROR_NAMES / sizeof ERROR_NAMES[0] ? ERROR_NAMES[code] : "?";
}

void check(bool ok, const char *what, sctp_error_t err) {
  if (!ok) guest_fail("error: %s: %s\n", what, error_name(err));
}

wasi_sockets_network_borrow_network_t guest_network(void) {
  static bool have;
  static wasi_sockets_network_own_network_t network;
  if (!have) {
    network = wasi_sockets_instance_network_instance_network();
    have = true;
  }
  return wasi_sockets_network_borrow_network(network);
}

sctp_address_t ipv4(const char *address, uint16_t port) {
  unsigned a, b, c, d;
  if (sscanf(address, "%u.%u.%u.%u", &a, &b, &c, &d) != 4) guest_fail("not an IPv4 address: %s\n", address);
  sctp_address_t out = { .tag = WASI_SOCKETS_NETWORK_IP_SOCKET_ADDRESS_IPV4 };
  out.val.ipv4.port = port;
  out.val.ipv4.address = (command_tuple4_u8_u8_u8_u8_t) { (uint8_t) a, (uint8_t) b, (uint8_t) c, (uint8_t) d };
  return out;
}

const char *format_address(const sctp_address_t *address, char *buffer) {
  if (address->tag == WASI_SOCKETS_NETWORK_IP_SOCKET_ADDRESS_IPV4) {
    const wasi_sockets_network_ipv4_socket_address_t *v4 = &address->val.ipv4;
    snprintf(buffer, 64, "%u.%u.%u.%u:%u", v4->address.f0, v4->address.f1, v4->address.f2, v4->address.f3, v4->port);
  } else {
    const wasi_sockets_network_ipv6_socket_address_t *v6 = &address->val.ipv6;
    const uint16_t *w = &v6->address.f0;
    snprintf(buffer, 64, "[%x:%x:%x:%x:%x:%x:%x:%x]:%u", w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], v6->port);
  }
  return buffer;
}

uint16_t address_port(const sctp_address_t *address) {
  return address->tag == WASI_SOCKETS_NETWORK_IP_SOCKET_ADDRESS_IPV4 ? address->val.ipv4.port : address->val.ipv6.port;
}

sctp_own_t new_socket(uint8_t type) {
  sctp_own_t sock;
  sctp_error_t err;
  check(sctp_sockets_sctp_create_socket_create_sctp_socket(WASI_SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV4, type, &sock, &err), "create-sctp-socket", err);
  return sock;
}

void wait_ready_on(sctp_t sock, pollable_t *pollable) {
  pollable_t own = { 0 };
  pollable_t *p = pollable ? pollable : &own;
  if (p->__handle == 0) *p = sctp_sockets_sctp_method_sctp_socket_subscribe(sock);
  wasi_io_poll_method_pollable_block(wasi_io_poll_borrow_pollable(*p));
  if (!pollable) drop_pollable(&own);
}

void drop_pollable(pollable_t *pollable) {
  if (pollable->__handle != 0) wasi_io_poll_pollable_drop_own(*pollable);
  pollable->__handle = 0;
}

bool wait_timeout(sctp_t sock, uint64_t ms) {
  wasi_io_poll_own_pollable_t p = sctp_sockets_sctp_method_sctp_socket_subscribe(sock);
  wasi_io_poll_own_pollable_t clock = wasi_clocks_monotonic_clock_subscribe_duration(ms * 1000000);
  wasi_io_poll_borrow_pollable_t both[2] = { wasi_io_poll_borrow_pollable(p), wasi_io_poll_borrow_pollable(clock) };
  wasi_io_poll_list_borrow_pollable_t list = { both, 2 };
  command_list_u32_t ready;
  wasi_io_poll_poll(&list, &ready);
  bool socket_ready = false;
  for (size_t i = 0; i < ready.len; i++) if (ready.ptr[i] == 0) socket_ready = true;
  command_list_u32_free(&ready);
  wasi_io_poll_pollable_drop_own(p);
  wasi_io_poll_pollable_drop_own(clock);
  return socket_ready;
}

void sleep_ms(uint64_t ms) {
  wasi_io_poll_own_pollable_t clock = wasi_clocks_monotonic_clock_subscribe_duration(ms * 1000000);
  wasi_io_poll_method_pollable_block(wasi_io_poll_borrow_pollable(clock));
  wasi_io_poll_pollable_drop_own(clock);
}

uint64_t now_ns(void) {
  return wasi_clocks_monotonic_clock_now();
}

void bind_to(sctp_t sock, sctp_address_t address) {
  sctp_error_t err;
  check(sctp_sockets_sctp_method_sctp_socket_start_bind(sock, guest_network(), &address, &err), "start-bind", err);
  check(sctp_sockets_sctp_method_sctp_socket_finish_bind(sock, &err), "finish-bind", err);
}

void listen_on(sctp_t sock) {
  sctp_error_t err;
  check(sctp_sockets_sctp_method_sctp_socket_start_listen(sock, &err), "start-listen", err);
  while (!sctp_sockets_sctp_method_sctp_socket_finish_listen(sock, &err)) {
    if (err != WOULD_BLOCK) check(false, "finish-listen", err);
    wait_ready(sock);
  }
}

uint32_t connect_to(sctp_t sock, sctp_address_t address) {
  sctp_error_t err;
  uint32_t association;
  check(sctp_sockets_sctp_method_sctp_socket_start_connect(sock, guest_network(), &address, &err), "start-connect", err);
  while (!sctp_sockets_sctp_method_sctp_socket_finish_connect(sock, &association, &err)) {
    if (err != WOULD_BLOCK) check(false, "finish-connect", err);
    wait_ready(sock);
  }
  return association;
}

sctp_own_t accept_one(sctp_t listener) {
  sctp_own_t conn;
  sctp_error_t err;
  while (!sctp_sockets_sctp_method_sctp_socket_accept(listener, &conn, &err)) {
    if (err != WOULD_BLOCK) check(false, "accept", err);
    wait_ready(listener);
  }
  return conn;
}

void send_all(sctp_t sock, pollable_t *pollable, sctp_outgoing_t *messages, size_t count, uint64_t *calls, uint64_t *would_block) {
  size_t offset = 0;
  while (offset < count) {
    sctp_outgoing_list_t list = { messages + offset, count - offset };
    uint64_t taken;
    sctp_error_t err;
    if (calls) (*calls)++;
    if (sctp_sockets_sctp_method_sctp_socket_send(sock, &list, &taken, &err)) {
      offset += (size_t) taken;
      continue;
    }
    if (err != WOULD_BLOCK) check(false, "send", err);
    if (would_block) (*would_block)++;
    wait_ready_on(sock, pollable);
  }
}

void receive_some(sctp_t sock, pollable_t *pollable, uint64_t max, sctp_incoming_list_t *out) {
  sctp_error_t err;
  for (;;) {
    check(sctp_sockets_sctp_method_sctp_socket_receive(sock, max, out, &err), "receive", err);
    if (out->len > 0) return;
    sctp_sockets_sctp_list_incoming_free(out);
    wait_ready_on(sock, pollable);
  }
}

sctp_outgoing_t message(const void *data, size_t length) {
  sctp_outgoing_t m;
  memset(&m, 0, sizeof m);
  m.data.ptr = (uint8_t *) data;
  m.data.len = length;
  return m;
}
