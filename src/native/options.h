// Generic socket options (the encoding of each option lives in TypeScript, src/options/) and the table of
// constants, struct sizes and field offsets that TypeScript uses instead of guessing layouts.
#pragma once

#include <napi.h>

namespace sctp_native {

Napi::Value GetSockopt(const Napi::CallbackInfo& info);
Napi::Value SetSockopt(const Napi::CallbackInfo& info);
Napi::Object Constants(Napi::Env env);
Napi::Object Sizes(Napi::Env env);
Napi::Object Offsets(Napi::Env env);

}  // namespace sctp_native
