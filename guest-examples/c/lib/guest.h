// Guest-side helpers shared by the C guests (the C counterpart of guest-examples/lib/sctp.ts): how a
// guest turns the non-blocking sctp:sockets calls into blocking ones with subscribe + wasi:io/poll,
// its command line, addresses and error names. Built on the glue tools/wit-c generates (command.h).
#ifndef GUEST_H
#define GUEST_H

#include "command.h"
#include <stdio.h>

typedef sctp_sockets_sctp_own_sctp_socket_t sctp_own_t;
typedef sctp_sockets_sctp_borrow_sctp_socket_t sctp_t;
typedef sctp_sockets_sctp_error_code_t sctp_error_t;
typedef sctp_sockets_sctp_ip_socket_address_t sctp_address_t;
typedef sctp_sockets_sctp_outgoing_message_t sctp_outgoing_t;
typedef sctp_sockets_sctp_list_outgoing_message_t sctp_outgoing_list_t;
typedef sctp_sockets_sctp_incoming_t sctp_incoming_t;
typedef sctp_sockets_sctp_list_incoming_t sctp_incoming_list_t;
typedef sctp_sockets_sctp_received_message_t sctp_received_t;
typedef sctp_sockets_sctp_association_scope_t sctp_scope_t;

#define ONE_TO_ONE SCTP_SOCKETS_SCTP_SOCKET_TYPE_ONE_TO_ONE
#define ONE_TO_MANY SCTP_SOCKETS_SCTP_SOCKET_TYPE_ONE_TO_MANY
#define WOULD_BLOCK WASI_SOCKETS_NETWORK_ERROR_CODE_WOULD_BLOCK

/** The command line (wasi:cli/environment get-arguments) as C strings; argv[0] is the program. */
void guest_args(int *argc, char ***argv);
/** `--name value` of the command line, or `fallback`; `--name` alone is "true". */
const char *guest_option(const char *name, const char *fallback);
long guest_number(const char *name, long fallback);
/** The arguments that are not options, after the program name. */
int guest_positional(const char ***out);

/** Prints to stderr and ends the guest with exit code 1. */
__attribute__((noreturn, format(printf, 1, 2))) void guest_fail(const char *format, ...);
/** The WIT name of an error code ("would-block"). */
const char *error_name(sctp_error_t code);
/** Ends the guest unless `ok`, naming the call and the error. */
void check(bool ok, const char *what, sctp_error_t err);

wasi_sockets_network_borrow_network_t guest_network(void);
sctp_address_t ipv4(const char *address, uint16_t port);
/** "a.b.c.d:port" or "[v6]:port" into `buffer` (64 bytes). */
const char *format_address(const sctp_address_t *address, char *buffer);
uint16_t address_port(const sctp_address_t *address);

sctp_own_t new_socket(uint8_t type);
static inline sctp_t borrow(sctp_own_t s) { return sctp_sockets_sctp_borrow_sctp_socket(s); }
static inline sctp_scope_t scope_future(void) { return (sctp_scope_t) { .tag = SCTP_SOCKETS_SCTP_ASSOCIATION_SCOPE_FUTURE }; }
static inline sctp_scope_t scope_all(void) { return (sctp_scope_t) { .tag = SCTP_SOCKETS_SCTP_ASSOCIATION_SCOPE_ALL }; }

typedef wasi_io_poll_own_pollable_t pollable_t;
/**
 * Blocks until the socket is ready, on `*pollable`: subscribed on the first wait (while its handle is 0) and
 * kept for the next ones. A socket's pollable is level-triggered (ready while something is pending, blocking
 * again once the socket is drained), so a loop subscribes once and each wait is one call. Drop it with
 * drop_pollable before the socket. NULL: on a pollable of this wait's own (subscribe + block + drop).
 */
void wait_ready_on(sctp_t sock, pollable_t *pollable);
static inline void wait_ready(sctp_t sock) { wait_ready_on(sock, NULL); }
void drop_pollable(pollable_t *pollable);
/** Blocks until the socket is ready or `ms` passed; true when the socket was ready. */
bool wait_timeout(sctp_t sock, uint64_t ms);
void sleep_ms(uint64_t ms);
/** Nanoseconds of wasi:clocks/monotonic-clock. */
uint64_t now_ns(void);

void bind_to(sctp_t sock, sctp_address_t address);
void listen_on(sctp_t sock);
/** Connects and waits for the association; returns its id. */
uint32_t connect_to(sctp_t sock, sctp_address_t address);
/** Accepts one association, waiting for it. */
sctp_own_t accept_one(sctp_t listener);
/**
 * Sends every message, waiting for room on would-block (on `*pollable` as wait_ready_on does, NULL: a pollable of
 * each wait's own); counts calls and would-blocks when asked.
 */
void send_all(sctp_t sock, pollable_t *pollable, sctp_outgoing_t *messages, size_t count, uint64_t *calls, uint64_t *would_block);
/**
 * At least one incoming item (trying first, waiting on `*pollable` as wait_ready_on does only when nothing is
 * pending), at most `max`. Free with sctp_sockets_sctp_list_incoming_free.
 */
void receive_some(sctp_t sock, pollable_t *pollable, uint64_t max, sctp_incoming_list_t *out);

/** An outgoing message with every send-info field left to the defaults. */
sctp_outgoing_t message(const void *data, size_t length);
static inline command_option_u16_t some_u16(uint16_t v) { return (command_option_u16_t) { true, v }; }
static inline command_option_u32_t some_u32(uint32_t v) { return (command_option_u32_t) { true, v }; }

#endif
