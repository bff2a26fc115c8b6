#include "exit_signals.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "stack.h"
#include "util.h"

namespace sctp_native {

namespace {

// The handler only writes the signal number here (write is async-signal-safe); the ending thread reads it.
int g_pipe[2] = {-1, -1};
std::atomic<int> g_lingerMs{2000};
std::atomic<bool> g_ending{false};
// What was installed for each signal before us: the ending goes on to it.
struct sigaction g_previous[NSIG];
std::mutex g_installMutex;

void OnSignal(int signo) {
  const int savedErrno = errno;
  if (g_ending.exchange(true)) {
    // Asked twice: no more waiting for the associations.
    signal(signo, SIG_DFL);
    raise(signo);
  } else {
    const unsigned char b = static_cast<unsigned char>(signo);
    (void)!write(g_pipe[1], &b, 1);
  }
  errno = savedErrno;
}

[[noreturn]] void EndAs(int signo) {
  sigaction(signo, &g_previous[signo], nullptr);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, signo);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  raise(signo);
  // Only if the handler before us returned: exit as a shell reports a process ended by this signal.
  _exit(128 + signo);
}

void EndingThread() {
  unsigned char b = 0;
  for (;;) {
    const ssize_t n = read(g_pipe[0], &b, 1);
    if (n == 1) break;
    if (n < 0 && errno == EINTR) continue;
    return;
  }
  const int signo = b;
  EndAllAssociations(g_lingerMs.load(), [signo] { EndAs(signo); });
}

}  // namespace

Napi::Value EndOnSignals(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) throw Napi::TypeError::New(env, "signals must be an array of numbers");
  Napi::Array signals = info[0].As<Napi::Array>();
  int32_t lingerMs = ArgInt(info, 1, "lingerMs");
  if (lingerMs < 0) throw Napi::RangeError::New(env, "lingerMs must be >= 0");
  g_lingerMs.store(lingerMs);
  std::lock_guard<std::mutex> lock(g_installMutex);
  if (g_pipe[0] < 0) {
    if (pipe2(g_pipe, O_CLOEXEC) != 0) return Errno(env, errno);
    std::thread(EndingThread).detach();
  }
  for (uint32_t i = 0; i < signals.Length(); ++i) {
    Napi::Value v = signals.Get(i);
    if (!v.IsNumber()) throw Napi::TypeError::New(env, "signals must be an array of numbers");
    const int signo = v.As<Napi::Number>().Int32Value();
    if (signo <= 0 || signo >= NSIG || signo == SIGKILL || signo == SIGSTOP) {
      throw Napi::RangeError::New(env, "not a signal that can be handled: " + std::to_string(signo));
    }
    struct sigaction current;
    sigaction(signo, nullptr, &current);
    if (current.sa_handler == OnSignal) continue;  // installed already
    if (current.sa_handler == SIG_IGN) continue;   // the process was told to ignore it: it still does
    struct sigaction action;
    std::memset(&action, 0, sizeof(action));
    action.sa_handler = OnSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    g_previous[signo] = current;
    sigaction(signo, &action, nullptr);
  }
  return env.Undefined();
}

}  // namespace sctp_native
