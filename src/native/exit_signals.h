// Ending the process on SIGINT / SIGTERM with its associations ended first (stack.h's EndAllAssociations), from a
// thread of its own: JavaScript cannot do it, as its thread is busy running a guest or frozen in preview2-shim's
// Atomics.wait while the guest blocks in poll.
#pragma once

#include <napi.h>

namespace sctp_native {

// endOnSignals(signals: number[], lingerMs): from now on each of these signals ends every association (SHUTDOWN,
// ABORT after lingerMs) and then the process, as the signal would have (the handler installed before, Node's, which
// restores the terminal and re-raises it; the default action otherwise). A second signal meanwhile ends the process
// at once. A signal the process ignores stays ignored. Calling it again only changes lingerMs.
Napi::Value EndOnSignals(const Napi::CallbackInfo& info);

}  // namespace sctp_native
