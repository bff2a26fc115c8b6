// Process-wide table of usrsctp sockets, addressed by integer ids.
//
// Ids are monotonic and never reused, so a stale id can never reach another socket. The table mutex guards the map,
// every record's watcher list and upcall counter. usrsctp functions are never called with the mutex held, except
// usrsctp_get_events (which only takes the socket's own lock and is never called by usrsctp with that lock held while
// waiting for ours).
//
// Lifetime: a record is owned by shared_ptrs. The table holds one; every data-path call holds another for its
// duration. close() removes the record from the table; the socket goes to the closer (closer.h) when the last
// reference drops, i.e. never while another thread is inside a call on the same socket, and never on usrsctp's own
// threads (the upcall does not take references, it works under the mutex).
#pragma once

#include <usrsctp.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace sctp_native {

class EnvState;

struct Watcher {
  uint64_t watchId;
  int mask;          // readiness.h's bits
  EnvState* env;     // the JS thread that registered it
};

struct SocketRecord {
  SocketRecord(uint64_t id, struct socket* so, int family, int style);
  ~SocketRecord();  // hands the socket to the closer (closer.h)
  SocketRecord(const SocketRecord&) = delete;
  SocketRecord& operator=(const SocketRecord&) = delete;

  const uint64_t id;
  struct socket* const so;
  const int family;  // AF_INET | AF_INET6
  const int style;   // SOCK_STREAM (one-to-one) | SOCK_SEQPACKET (one-to-many)

  // Guarded by the table mutex.
  std::vector<Watcher> watchers;
  uint64_t upcalls = 0;  // generation: bumped by every usrsctp upcall on this socket
  // The generation seen just before the last send that would-block, or the last connect: a kWatchAny watcher
  // without an explicit `since` fires on the first upcall after it (so the wake-up that frees send space or
  // completes a handshake between the failed call and the watch is not lost).
  uint64_t anySince = 0;
  // The mask a wait on this socket looks for now, as its owner last published it (readiness.h's SetInterest): what
  // level-triggered readiness checked on another thread compares the socket's events with.
  int interest = 0;
  // Threads blocked in WaitReady on this socket: the upcall wakes them only then.
  int blockedWaiters = 0;

  // Data path only: an error seen by recvBatch after it had already collected records, reported by the next call.
  std::atomic<int> pendingRecvError{0};
  // listen() succeeded: closing must also stop the socket taking associations (closer.h).
  std::atomic<bool> listening{false};
};

using RecordPtr = std::shared_ptr<SocketRecord>;

std::mutex& TableMutex();

// Adds a usrsctp socket (already configured) and installs the upcall. Returns its id.
uint64_t TableInsert(struct socket* so, int family, int style);
// Looks an id up (takes and releases the mutex). Null when unknown or closed. With `generation`, also reads the
// record's upcall counter under the same lock.
RecordPtr TableGet(uint64_t id, uint64_t* generation = nullptr);
// Sets anySince (takes the mutex).
void TableSetAnySince(const RecordPtr& rec, uint64_t generation);
// Must be called with the mutex held.
SocketRecord* TableFindLocked(uint64_t id);
// Must be called with the mutex held. TableGet without the generation.
RecordPtr TableGetLocked(uint64_t id);
// Must be called with the mutex held. Removes the record from the table; the caller lets the returned reference go
// after releasing the mutex (that is when usrsctp_close may run). Null when unknown.
RecordPtr TableRemoveLocked(uint64_t id);
size_t TableSize();
// SocketRecords alive (in the table, or out of it and still referenced by a call in flight).
int64_t LiveRecords();
// Must be called with the mutex held. Removes every record (see TableRemoveLocked).
std::vector<RecordPtr> TableRemoveAllLocked();

}  // namespace sctp_native
