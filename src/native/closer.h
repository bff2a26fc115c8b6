// Closing usrsctp sockets only once they have no association left.
//
// usrsctp 0.9.5 frees a socket in usrsctp_close while its receive and timer threads may still be at work on the
// socket's associations: they test whether the endpoint is gone without the locks close takes, and go on with the
// freed socket (a double free by the receive thread's socket reference, a use after free in sctp_free_assoc:
// scripts/usrsctp-close-race-repro.c shows both without this project's code). A socket with no association gives
// those threads nothing to work on. So a closed socket is retired: its associations are ended the way usrsctp_close
// would end them (aborted when SO_LINGER is on with 0 or anything is left unread, else shut down gracefully after
// what is queued), a listener stops taking new ones (those waiting in its accept queue are aborted), and
// usrsctp_close runs once the last one is gone, on a thread of the closer's own that looks every 10 ms. Associations
// still being set up with nothing to send, which usrsctp cannot abort, get a second to come up (and be shut down);
// after that, their peer not answering, usrsctp_close drops them with the socket as it always does.
#pragma once

#include <usrsctp.h>

#include <cstddef>

namespace sctp_native {

// Takes over a socket nothing else uses any more. `style`: SOCK_STREAM | SOCK_SEQPACKET.
void Retire(struct socket* so, int style, bool listening);
// Sockets retired and not closed yet.
size_t Retiring();
// Whether the socket still has an association: a one-to-many socket counts them, a one-to-one socket has its one
// until SHUTDOWN-COMPLETE or ABORT frees it (SCTP_STATUS then finds none).
bool HasAssociation(struct socket* so, int style);

}  // namespace sctp_native
