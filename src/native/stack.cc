// Process-wide usrsctp initialisation: once, by whichever JS thread asks first.
//
// usrsctp_finish is never called: it needs every socket closed and may need retries, while a process must be able to
// exit at any moment (process.exit() with sockets open, a worker terminated mid-transfer). usrsctp's threads simply
// die with the process.
#include "stack.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <usrsctp.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "closer.h"
#include "socket_table.h"
#include "util.h"
#include "readiness.h"

namespace sctp_native {

namespace {

std::mutex g_initMutex;
std::atomic<int> g_port{-1};  // -1: not initialised; -2: finished by Drain; 0: raw IP; >0: local UDP port

// Binds a kernel UDP socket to port on the wildcard of the family; returns the bound port or -1.
int ProbeUdpPort(int family, int port) {
  int fd = socket(family, SOCK_DGRAM, 0);
  if (fd < 0) return family == AF_INET6 ? port : -1;  // no IPv6 on this host: nothing to collide with
  struct sockaddr_storage ss;
  std::memset(&ss, 0, sizeof(ss));
  ss.ss_family = static_cast<sa_family_t>(family);
  in_port_t* portField;
  socklen_t len;
  if (family == AF_INET) {
    portField = &reinterpret_cast<struct sockaddr_in*>(&ss)->sin_port;
    len = sizeof(struct sockaddr_in);
  } else {
    int one = 1;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    portField = &reinterpret_cast<struct sockaddr_in6*>(&ss)->sin6_port;
    len = sizeof(struct sockaddr_in6);
  }
  *portField = htons(static_cast<uint16_t>(port));
  auto* sa = reinterpret_cast<struct sockaddr*>(&ss);
  int bound = -1;
  if (bind(fd, sa, len) == 0 && getsockname(fd, sa, &len) == 0) bound = ntohs(*portField);
  close(fd);
  return bound;
}

// A UDP port free on 0.0.0.0 and [::] (usrsctp binds both), or -1. Racy by nature: another process may take it
// between this probe and usrsctp_init, which is as good as the kernel lets us do without passing usrsctp a socket.
int PickFreeUdpPort() {
  for (int attempt = 0; attempt < 16; ++attempt) {
    int port = ProbeUdpPort(AF_INET, 0);
    if (port <= 0) continue;
    if (ProbeUdpPort(AF_INET6, port) == port) return port;
  }
  return -1;
}

// SHUTDOWN for every association of the socket, once what is queued is acknowledged (RFC 9260 9.2).
void StartShutdown(const SocketRecord& rec) {
  if (rec.style == SOCK_STREAM) {
    usrsctp_shutdown(rec.so, SHUT_WR);  // fails harmlessly on a socket that is not connected
    return;
  }
  struct sctp_sndinfo eof;
  std::memset(&eof, 0, sizeof(eof));
  eof.snd_flags = SCTP_EOF | SCTP_SENDALL;
  static uint8_t nothing;
  usrsctp_sendv(rec.so, &nothing, 0, nullptr, 0, &eof, sizeof(eof), SCTP_SENDV_SNDINFO, 0);
}

}  // namespace

int StackPort() { return g_port.load(std::memory_order_acquire); }

Napi::Value Init(const Napi::CallbackInfo& info) {
  int32_t requested = ArgInt(info, 0, "port");
  if (requested < -1 || requested > 65535) throw Napi::RangeError::New(info.Env(), "port must be -1, 0 or 1..65535");
  std::lock_guard<std::mutex> lock(g_initMutex);
  int current = g_port.load();
  if (current >= 0) return Napi::Number::New(info.Env(), current);
  if (current == -2) return Errno(info.Env(), ESHUTDOWN);  // usrsctp cannot start again in this process
  int port = requested;
  if (port == -1) {
    port = PickFreeUdpPort();
    if (port < 0) return Errno(info.Env(), EADDRINUSE);
  } else if (port > 0 && (ProbeUdpPort(AF_INET, port) != port || ProbeUdpPort(AF_INET6, port) != port)) {
    // usrsctp would start without its UDP sockets and say nothing: nothing would ever arrive.
    return Errno(info.Env(), EADDRINUSE);
  }
  usrsctp_init(static_cast<uint16_t>(port), nullptr, nullptr);
  // Association ids must be distinguishable from SCTP_FUTURE/CURRENT/ALL_ASSOC; usrsctp guarantees that. Nothing
  // else is tuned here: options are per socket.
  g_port.store(port, std::memory_order_release);
  return Napi::Number::New(info.Env(), port);
}

Napi::Value GetStackPort(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), StackPort()); }

// A process that ends right after its last send would otherwise take the unsent data with it: the kernel keeps
// delivering after exit for kernel sockets, and this is the same promise for ours.
Napi::Value Drain(const Napi::CallbackInfo& info) {
  int32_t timeoutMs = ArgInt(info, 0, "timeoutMs");
  std::lock_guard<std::mutex> initLock(g_initMutex);
  if (g_port.load() < 0) return Napi::Boolean::New(info.Env(), g_port.load() == -2);
  std::vector<RecordPtr> closing;
  {
    std::lock_guard<std::mutex> lock(TableMutex());
    closing = TableRemoveAllLocked();
    for (auto& rec : closing) FireClosedLocked(rec.get());
  }
  closing.clear();  // to the closer: a graceful SHUTDOWN of every association still up
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  for (;;) {
    if (Retiring() == 0 && usrsctp_finish() == 0) {
      g_port.store(-2, std::memory_order_release);
      return Napi::Boolean::New(info.Env(), true);
    }
    if (std::chrono::steady_clock::now() >= deadline) return Napi::Boolean::New(info.Env(), false);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void EndAllAssociations(int lingerMs, const std::function<void()>& then) {
  std::lock_guard<std::mutex> initLock(g_initMutex);
  const bool running = g_port.load() >= 0;
  g_port.store(-2, std::memory_order_release);
  if (running) {
    // Out of the table: whatever JavaScript still runs meanwhile can no longer reach these sockets (nor wake up:
    // their watchers are left alone, the process is ending).
    std::vector<RecordPtr> open;
    {
      std::lock_guard<std::mutex> lock(TableMutex());
      open = TableRemoveAllLocked();
    }
    for (const auto& rec : open) StartShutdown(*rec);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(lingerMs);
    auto anyLeft = [&open] {
      for (const auto& rec : open) {
        if (HasAssociation(rec->so, rec->style)) return true;
      }
      return false;
    };
    while (anyLeft() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    // Linger 0: closing aborts what is still up (a peer that does not answer, or data it does not take).
    struct linger abortive = {1, 0};
    for (const auto& rec : open) usrsctp_setsockopt(rec->so, SOL_SOCKET, SO_LINGER, &abortive, sizeof(abortive));
    open.clear();  // usrsctp_close now, or when a call still running on another thread returns
    auto closing = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
    while (LiveRecords() > 0 && std::chrono::steady_clock::now() < closing) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  then();
}

}  // namespace sctp_native
