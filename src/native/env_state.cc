#include "env_state.h"

namespace sctp_native {

static const char* const kKeyNames[kKeyCount] = {
    "data", "sid", "ppid", "flags", "context", "assocId", "prPolicy", "prValue", "to",
};

EnvState* EnvState::Get(Napi::Env env) {
  EnvState* state = env.GetInstanceData<EnvState>();
  if (state == nullptr) {
    state = new EnvState(env);
    env.SetInstanceData<EnvState>(state);  // deleted when the env goes away (after its TSFN, which refs the env)
  }
  return state;
}

EnvState::EnvState(Napi::Env e) : env(e) {
  Napi::Array keys = Napi::Array::New(e, kKeyCount);
  for (uint32_t i = 0; i < kKeyCount; ++i) keys.Set(i, Napi::String::New(e, kKeyNames[i]));
  keys_ = Napi::Persistent(keys.As<Napi::Object>());
  napi_value script, fn;
  napi_create_string_utf8(e,
      "(function (data, eor, notification, sid, ssn, flags, ppid, tsn, cumtsn, context, assocId, next, truncated) {"
      " return { data, eor, notification, sid, ssn, flags, ppid, tsn, cumtsn, context, assocId, next, truncated }; })",
      NAPI_AUTO_LENGTH, &script);
  if (napi_run_script(e, script, &fn) != napi_ok) throw Napi::Error::New(e, "sctp_native: record factory");
  factory_ = Napi::Persistent(Napi::Function(e, fn));
}

EnvState::~EnvState() = default;

void EnvState::LoadKeys(Napi::Env env, napi_value* keys) const {
  napi_value array = keys_.Value();
  for (uint32_t i = 0; i < kKeyCount; ++i) napi_get_element(env, array, i, &keys[i]);
}

}  // namespace sctp_native
