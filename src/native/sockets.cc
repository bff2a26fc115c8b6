#include "sockets.h"

#include <netinet/in.h>
#include <usrsctp.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "closer.h"
#include "socket_table.h"
#include "stack.h"
#include "util.h"
#include "readiness.h"

namespace sctp_native {

namespace {

// Every socket, created or accepted, is non-blocking and reports SCTP_RCVINFO with each message.
int Configure(struct socket* so) {
  if (usrsctp_set_non_blocking(so, 1) < 0) return errno;
  const int on = 1;
  if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on)) < 0) return errno;
  return 0;
}

// Looks the socket up; on failure `result` holds -EBADF for the caller to return.
RecordPtr Lookup(const Napi::CallbackInfo& info, Napi::Value* result) {
  RecordPtr rec = TableGet(ArgId(info, 0));
  if (!rec) *result = Errno(info.Env(), EBADF);
  return rec;
}

Napi::Value ZeroOrErrno(Napi::Env env, int rc) {
  return rc < 0 ? Errno(env, errno) : Napi::Number::New(env, 0);
}

Napi::Value AddressList(const Napi::CallbackInfo& info, bool local) {
  Napi::Env env = info.Env();
  Napi::Value err;
  RecordPtr rec = Lookup(info, &err);
  if (!rec) return err;
  uint32_t assoc = ArgUint(info, 1, "assocId");
  struct sockaddr* addrs = nullptr;
  int n = local ? usrsctp_getladdrs(rec->so, assoc, &addrs) : usrsctp_getpaddrs(rec->so, assoc, &addrs);
  if (n < 0) return Errno(env, errno);
  Napi::Array out = Napi::Array::New(env);
  const char* p = reinterpret_cast<const char*>(addrs);
  uint32_t j = 0;
  for (int i = 0; i < n; ++i) {
    const auto* sa = reinterpret_cast<const struct sockaddr*>(p);
    size_t len = SockaddrLength(sa);
    if (len == 0) break;
    Napi::Value v = SockaddrBytes(env, sa);
    if (!v.IsUndefined()) out.Set(j++, v);
    p += len;
  }
  if (addrs != nullptr) {
    if (local) usrsctp_freeladdrs(addrs); else usrsctp_freepaddrs(addrs);
  }
  return out;
}

// The packed sockaddr array usrsctp_bindx / usrsctp_connectx take, from argument 1: an array of addresses in the
// byte form. False when an element is not an address.
bool PackedAddresses(const Napi::CallbackInfo& info, std::vector<char>* out, int* count) {
  if (info.Length() < 2 || !info[1].IsArray()) throw Napi::TypeError::New(info.Env(), "addresses must be an array");
  Napi::Array list = info[1].As<Napi::Array>();
  *count = static_cast<int>(list.Length());
  for (uint32_t i = 0; i < list.Length(); ++i) {
    struct sockaddr_storage ss;
    socklen_t len;
    if (!SockaddrArg(list.Get(i), &ss, &len)) return false;
    const char* bytes = reinterpret_cast<const char*>(&ss);
    out->insert(out->end(), bytes, bytes + len);
  }
  return true;
}

}  // namespace

Napi::Value Socket(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t family = ArgInt(info, 0, "family");
  int32_t style = ArgInt(info, 1, "style");
  if (family != 4 && family != 6) throw Napi::RangeError::New(env, "family must be 4 or 6");
  if (style != 1 && style != 2) throw Napi::RangeError::New(env, "style must be 1 (one-to-one) or 2 (one-to-many)");
  if (StackPort() < 0) throw Napi::Error::New(env, "usrsctp is not initialised: call init() first");
  int domain = family == 4 ? AF_INET : AF_INET6;
  int type = style == 1 ? SOCK_STREAM : SOCK_SEQPACKET;
  struct socket* so = usrsctp_socket(domain, type, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr);
  if (so == nullptr) return Errno(env, errno ? errno : ENOMEM);
  if (int err = Configure(so)) {
    usrsctp_close(so);
    return Errno(env, err);
  }
  return Napi::Number::New(env, static_cast<double>(TableInsert(so, domain, type)));
}

Napi::Value Close(const Napi::CallbackInfo& info) {
  uint64_t id = ArgId(info, 0);
  RecordPtr rec;
  {
    std::lock_guard<std::mutex> lock(TableMutex());
    rec = TableRemoveLocked(id);
    if (rec) FireClosedLocked(rec.get());
  }
  if (!rec) return Errno(info.Env(), EBADF);
  rec.reset();  // usrsctp_close now, or when a call still running on another thread returns
  return Napi::Number::New(info.Env(), 0);
}

Napi::Value Bind(const Napi::CallbackInfo& info) {
  Napi::Value err;
  RecordPtr rec = Lookup(info, &err);
  if (!rec) return err;
  struct sockaddr_storage ss;
  socklen_t len;
  if (!SockaddrArg(info[1], &ss, &len)) return Errno(info.Env(), EINVAL);
  return ZeroOrErrno(info.Env(), usrsctp_bind(rec->so, reinterpret_cast<struct sockaddr*>(&ss), len));
}

Napi::Value Listen(const Napi::CallbackInfo& info) {
  Napi::Value err;
  RecordPtr rec = Lookup(info, &err);
  if (!rec) return err;
  int32_t backlog = ArgInt(info, 1, "backlog");
  if (usrsctp_listen(rec->so, backlog) < 0) return Errno(info.Env(), errno);
  rec->listening = true;
  return Napi::Number::New(info.Env(), 0);
}

namespace {

// A socket that usrsctp made for us (accept, peeloff) gets the same treatment as one from socket().
Napi::Value Adopt(Napi::Env env, struct socket* so, int family, int style) {
  if (so == nullptr) return Errno(env, errno);
  if (int e = Configure(so)) {
    Retire(so, style, false);  // it has an association
    return Errno(env, e);
  }
  return Napi::Number::New(env, static_cast<double>(TableInsert(so, family, style)));
}

}  // namespace

Napi::Value Accept(const Napi::CallbackInfo& info) {
  Napi::Value err;
  RecordPtr rec = Lookup(info, &err);
  if (!rec) return err;
  struct sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  struct socket* so = usrsctp_accept(rec->so, reinterpret_cast<struct sockaddr*>(&ss), &len);
  return Adopt(info.Env(), so, rec->family, rec->style);
}

Napi::Value Peeloff(const Napi::CallbackInfo& info) {
  Napi::Value err;
  RecordPtr rec = Lookup(info, &err);
  if (!rec) return err;
  sctp_assoc_t assoc = static_cast<sctp_assoc_t>(ArgUint(info, 1, "assocId"));
  struct socket* so = usrsctp_peeloff(rec->so, assoc);
  return Adopt(info.Env(), so, rec->family, SOCK_STREAM);
}

// usrsctp_connectx: unlike usrsctp_connect it hands back the association id at once, which a one-to-many socket
// needs to follow the handshake. Non-blocking, it returns 0 while the handshake runs (one-to-one: the socket is then
// "connecting", see getEvents/soError).
Napi::Value Connectx(const Napi::CallbackInfo& info) {
  uint64_t generation = 0;
  RecordPtr rec = TableGet(ArgId(info, 0), &generation);
  if (!rec) return Errno(info.Env(), EBADF);
  std::vector<char> packed;
  int count = 0;
  if (!PackedAddresses(info, &packed, &count) || count == 0) return Errno(info.Env(), EINVAL);
  sctp_assoc_t assoc = 0;
  if (usrsctp_connectx(rec->so, reinterpret_cast<const struct sockaddr*>(packed.data()), count, &assoc) < 0) {
    return Errno(info.Env(), errno);
  }
  TableSetAnySince(rec, generation);
  return Napi::Number::New(info.Env(), assoc);
}

// usrsctp_bindx(SCTP_BINDX_ADD_ADDR | SCTP_BINDX_REM_ADDR). usrsctp applies the addresses one at a time and stops
// at the first failure, so the caller passes one address per call when it needs to know which one failed.
Napi::Value Bindx(const Napi::CallbackInfo& info) {
  Napi::Value err;
  RecordPtr rec = Lookup(info, &err);
  if (!rec) return err;
  int32_t flags = ArgInt(info, 2, "flags");
  if (flags != SCTP_BINDX_ADD_ADDR && flags != SCTP_BINDX_REM_ADDR) {
    throw Napi::RangeError::New(info.Env(), "flags must be SCTP_BINDX_ADD_ADDR or SCTP_BINDX_REM_ADDR");
  }
  std::vector<char> packed;
  int count = 0;
  if (!PackedAddresses(info, &packed, &count) || count == 0) return Errno(info.Env(), EINVAL);
  return ZeroOrErrno(info.Env(), usrsctp_bindx(rec->so, reinterpret_cast<struct sockaddr*>(packed.data()), count, flags));
}

Napi::Value Shutdown(const Napi::CallbackInfo& info) {
  Napi::Value err;
  RecordPtr rec = Lookup(info, &err);
  if (!rec) return err;
  int32_t how = ArgInt(info, 1, "how");
  return ZeroOrErrno(info.Env(), usrsctp_shutdown(rec->so, how));
}

Napi::Value GetEvents(const Napi::CallbackInfo& info) {
  Napi::Value err;
  RecordPtr rec = Lookup(info, &err);
  if (!rec) return err;
  int events = usrsctp_get_events(rec->so);
  return events < 0 ? Errno(info.Env(), errno) : Napi::Number::New(info.Env(), events);
}

// Reading SO_ERROR through usrsctp_getsockopt does NOT clear it (usrsctp copies so->so_error); usrsctp_recvv does
// clear it when it reports it.
Napi::Value SoError(const Napi::CallbackInfo& info) {
  Napi::Value err;
  RecordPtr rec = Lookup(info, &err);
  if (!rec) return err;
  int value = 0;
  socklen_t len = sizeof(value);
  if (usrsctp_getsockopt(rec->so, SOL_SOCKET, SO_ERROR, &value, &len) < 0) return Errno(info.Env(), errno);
  return Napi::Number::New(info.Env(), value);
}

// The id of the association with that peer address, 0 when there is none.
Napi::Value AssocId(const Napi::CallbackInfo& info) {
  Napi::Value err;
  RecordPtr rec = Lookup(info, &err);
  if (!rec) return err;
  struct sockaddr_storage ss;
  socklen_t len;
  if (!SockaddrArg(info[1], &ss, &len)) return Errno(info.Env(), EINVAL);
  return Napi::Number::New(info.Env(), usrsctp_getassocid(rec->so, reinterpret_cast<struct sockaddr*>(&ss)));
}

Napi::Value LocalAddresses(const Napi::CallbackInfo& info) { return AddressList(info, true); }
Napi::Value PeerAddresses(const Napi::CallbackInfo& info) { return AddressList(info, false); }

Napi::Value Stats(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("sockets", static_cast<double>(TableSize()));
  o.Set("watchers", static_cast<double>(LiveWatchers()));
  o.Set("records", static_cast<double>(LiveRecords()));
  return o;
}

Napi::Value StackCounters(const Napi::CallbackInfo& info) {
  struct sctpstat stat;
  std::memset(&stat, 0, sizeof(stat));
  if (StackPort() >= 0) usrsctp_get_stat(&stat);
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("established", static_cast<double>(stat.sctps_currestab));
  o.Set("checksumErrors", static_cast<double>(stat.sctps_checksumerrors));
  o.Set("badVtags", static_cast<double>(stat.sctps_badvtag));
  o.Set("outOfTheBlue", static_cast<double>(stat.sctps_outoftheblue));
  o.Set("datagrams", static_cast<double>(stat.sctps_recvdatagrams));
  o.Set("retiring", static_cast<double>(Retiring()));
  o.Set("aborted", static_cast<double>(stat.sctps_aborted));
  o.Set("shutdowns", static_cast<double>(stat.sctps_shutdown));
  return o;
}

}  // namespace sctp_native
