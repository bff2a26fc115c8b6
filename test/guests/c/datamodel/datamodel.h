// What the data-model scenarios share: endpoints on 127.0.0.1 that reach each other through this
// host's UDP encapsulation port, messages with their send info, and the scenarios themselves, each in
// the file of its topic.
#ifndef DATAMODEL_H
#define DATAMODEL_H

#include "../scenario.h"

#define K(name) SCTP_SOCKETS_SCTP_NOTIFICATION_##name
#define S(name) SCTP_SOCKETS_SCTP_ASSOC_CHANGE_STATE_##name

void set_event(sctp_t s, uint8_t kind, bool on);

/** Settings a socket gets before its bind. */
typedef void (*prepare_t)(sctp_t);
/** A listener on 127.0.0.1, prepared first (`prepare` may be NULL). */
sctp_own_t server(uint8_t type, prepare_t prepare);
/** A socket bound to 127.0.0.1 that reaches servers of this guest, prepared first (`prepare` may be NULL). */
sctp_own_t client(uint8_t type, prepare_t prepare);
sctp_address_t local_of(sctp_t s);

/** A one-to-one association inside the guest: its listener, the end that connected and the end accepted. */
typedef struct pair {
  sctp_own_t server, client, accepted;
} pair_t;
/** Both ends prepared alike (`prepare` may be NULL) before the client connects. */
pair_t connected_pair(prepare_t prepare);
void drop_pair(pair_t pair);

/** Send info with every field left to the defaults. */
sctp_sockets_sctp_send_info_t no_info(void);
void send_text(sctp_t s, const char *text, sctp_sockets_sctp_send_info_t info);

void events(void);        // events.c
void associations(void);  // associations.c
void large(void);         // messages.c
void errors(void);        // errors.c

#endif
