#include "closer.h"

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

namespace sctp_native {

namespace {

// From usrsctp 0.9.5.0's internal sctp.h and sctp_uio.h (usrsctp.h lacks them): what an association still has to
// send, which decides whether closing one that is still being set up abandons it.
constexpr int kGetSndbufUse = 0x1101;
struct SockStat {
  sctp_assoc_t ss_assoc_id;
  uint32_t ss_total_sndbuf;
  uint32_t ss_total_recv_buf;
};

constexpr auto kPoll = std::chrono::milliseconds(10);
// How long a closed socket's associations that are still being set up, with nothing to send, may take to come up
// (to be shut down then) before they are abandoned with the socket, as usrsctp_close abandons them. Only a
// peer that does not answer keeps one that long, and then no packet of it comes in while the socket closes.
constexpr auto kSettle = std::chrono::seconds(1);

struct Retired {
  struct socket* so;
  int style;
  bool abort;
  std::chrono::steady_clock::time_point settled;
};

// Deliberately leaked, as the socket table: the closer's thread may run while the process exits.
struct Closer {
  std::mutex mutex;
  std::condition_variable wake;
  std::vector<Retired> sockets;  // guarded by mutex; the thread takes them out while it looks at them
  bool running = false;
};

Closer& closer() {
  static Closer* c = new Closer();
  return *c;
}

std::atomic<size_t> g_retiring{0};

// usrsctp_close aborts every association when SO_LINGER is on with 0 or anything (data or a notification) is
// left unread.
bool AbortsAll(struct socket* so) {
  struct linger l;
  std::memset(&l, 0, sizeof(l));
  socklen_t len = sizeof(l);
  if (usrsctp_getsockopt(so, SOL_SOCKET, SO_LINGER, &l, &len) == 0 && l.l_onoff != 0 && l.l_linger == 0) return true;
  uint8_t byte;
  struct sctp_recvv_rn rn;
  socklen_t infolen = sizeof(rn);
  unsigned int infotype = SCTP_RECVV_NOINFO;
  int flags = MSG_PEEK;
  return usrsctp_recvv(so, &byte, 1, nullptr, nullptr, &rn, &infolen, &infotype, &flags) > 0;
}

void Send(struct socket* so, sctp_assoc_t assoc, uint16_t flags) {
  struct sctp_sndinfo info;
  std::memset(&info, 0, sizeof(info));
  info.snd_flags = flags;
  info.snd_assoc_id = assoc;
  static uint8_t empty;  // usrsctp wants a buffer, even for no bytes
  usrsctp_sendv(so, &empty, 0, nullptr, 0, &info, sizeof(info), SCTP_SENDV_SNDINFO, 0);
}

// Ends one association as usrsctp_close would: aborted with `abort`, else shut down after what is queued. Returns
// true for one still being set up (which usrsctp aborts only once it is up) with nothing to send, or with `abort`:
// only usrsctp_close can drop such an association.
bool End(struct socket* so, sctp_assoc_t assoc, bool abort) {
  struct sctp_status status;
  std::memset(&status, 0, sizeof(status));
  status.sstat_assoc_id = assoc;
  socklen_t len = sizeof(status);
  if (usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_STATUS, &status, &len) != 0) return false;  // gone already
  if (status.sstat_state == SCTP_COOKIE_WAIT || status.sstat_state == SCTP_COOKIE_ECHOED) {
    SockStat use;
    std::memset(&use, 0, sizeof(use));
    use.ss_assoc_id = assoc;
    len = sizeof(use);
    const bool idle = usrsctp_getsockopt(so, IPPROTO_SCTP, kGetSndbufUse, &use, &len) == 0 && use.ss_total_sndbuf == 0;
    if (abort || idle) return true;
    Send(so, assoc, SCTP_EOF);  // shut down once it is up and the queue is sent
    return false;
  }
  if (abort) {
    Send(so, assoc, SCTP_ABORT);
  } else if (status.sstat_state == SCTP_ESTABLISHED) {
    Send(so, assoc, SCTP_EOF);
  }
  return false;
}

// Ends every association of the socket (see End); true when all that are left are ones only usrsctp_close drops.
bool EndAll(struct socket* so, int style, bool abort) {
  if (style == SOCK_STREAM) return End(so, 0, abort);
  uint32_t count = 0;
  socklen_t len = sizeof(count);
  if (usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_GET_ASSOC_NUMBER, &count, &len) != 0 || count == 0) return false;
  std::vector<uint8_t> buf(sizeof(struct sctp_assoc_ids) + count * sizeof(sctp_assoc_t));
  len = static_cast<socklen_t>(buf.size());
  if (usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_GET_ASSOC_ID_LIST, buf.data(), &len) != 0) return false;
  struct sctp_assoc_ids ids;
  std::memcpy(&ids, buf.data(), sizeof(ids));
  bool onlyDroppable = true;
  for (uint32_t i = 0; i < ids.gaids_number_of_ids && i < count; ++i) {
    sctp_assoc_t assoc;
    std::memcpy(&assoc, buf.data() + offsetof(struct sctp_assoc_ids, gaids_assoc_id) + i * sizeof(assoc), sizeof(assoc));
    if (!End(so, assoc, abort)) onlyDroppable = false;
  }
  return onlyDroppable;
}

void Close(struct socket* so) {
  usrsctp_close(so);
  g_retiring.fetch_sub(1);
}

// The closer's thread: closes each retired socket once its last association is gone.
void Run() {
  Closer& c = closer();
  std::unique_lock<std::mutex> lock(c.mutex);
  for (;;) {
    c.wake.wait(lock, [&] { return !c.sockets.empty(); });
    std::vector<Retired> look;
    look.swap(c.sockets);
    lock.unlock();
    std::vector<Retired> left;
    const auto now = std::chrono::steady_clock::now();
    for (Retired& r : look) {
      // Again each time: an association that was being set up is shut down once it is up.
      const bool onlyDroppable = EndAll(r.so, r.style, r.abort);
      if (!HasAssociation(r.so, r.style) || (onlyDroppable && now >= r.settled)) {
        Close(r.so);
      } else {
        left.push_back(r);
      }
    }
    std::this_thread::sleep_for(kPoll);
    lock.lock();
    c.sockets.insert(c.sockets.end(), left.begin(), left.end());
  }
}

void RetireSocket(struct socket* so, int style, bool listening, bool abort) {
  g_retiring.fetch_add(1);
  if (listening) {
    usrsctp_listen(so, 0);  // takes no new association
    if (style == SOCK_STREAM) {
      // Associations waiting to be accepted have sockets of their own, which usrsctp_close would abort.
      while (struct socket* waiting = usrsctp_accept(so, nullptr, nullptr)) RetireSocket(waiting, SOCK_STREAM, false, true);
    }
  }
  abort = abort || AbortsAll(so);
  EndAll(so, style, abort);
  if (!HasAssociation(so, style)) {
    Close(so);
    return;
  }
  Closer& c = closer();
  std::lock_guard<std::mutex> lock(c.mutex);
  c.sockets.push_back({so, style, abort, std::chrono::steady_clock::now() + kSettle});
  if (!c.running) {
    c.running = true;
    std::thread(Run).detach();
  }
  c.wake.notify_one();
}

}  // namespace

void Retire(struct socket* so, int style, bool listening) { RetireSocket(so, style, listening, false); }

size_t Retiring() { return g_retiring.load(); }

bool HasAssociation(struct socket* so, int style) {
  if (style == SOCK_STREAM) {
    struct sctp_status status;
    std::memset(&status, 0, sizeof(status));
    socklen_t len = sizeof(status);
    return usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_STATUS, &status, &len) == 0;
  }
  uint32_t count = 0;
  socklen_t len = sizeof(count);
  return usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_GET_ASSOC_NUMBER, &count, &len) == 0 && count > 0;
}

}  // namespace sctp_native
