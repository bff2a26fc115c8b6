#include "messages.h"

#include <arpa/inet.h>
#include <usrsctp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "env_state.h"
#include "notifications.h"
#include "socket_table.h"
#include "util.h"

namespace sctp_native {

namespace {

constexpr size_t kScratchSize = 256 * 1024;

// One scratch buffer per thread (main thread, each worker), reused by every recvBatch call on that thread.
uint8_t* Scratch() {
  static thread_local std::unique_ptr<uint8_t[]> buffer;
  if (!buffer) buffer.reset(new uint8_t[kScratchSize]);
  return buffer.get();
}

// A numeric field of a message object: undefined -> `present` false (0), non-number -> TypeError.
uint32_t Field(napi_env env, napi_value object, napi_value key, const char* name, bool* present = nullptr) {
  napi_value v;
  napi_get_property(env, object, key, &v);
  uint32_t out = 0;
  napi_status s = napi_get_value_uint32(env, v, &out);
  if (present) *present = s == napi_ok;
  if (s == napi_ok) return out;
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_undefined) return 0;
  throw Napi::TypeError::New(env, std::string("message.") + name + " must be a number");
}

// One of the association's defaults (SCTP_DEFAULT_SNDINFO, SCTP_DEFAULT_PRINFO), read once per association per
// batch: a message that leaves a field out takes it from there, as a C send() without SCTP_SNDINFO or SCTP_PRINFO
// would.
template <typename T, int Option, sctp_assoc_t T::*AssocField>
class AssocDefaults {
 public:
  explicit AssocDefaults(struct socket* so) : so_(so) {}
  const T& For(sctp_assoc_t assoc) {
    for (const auto& e : cache_) {
      if (e.*AssocField == assoc) return e;
    }
    T d;
    std::memset(&d, 0, sizeof(d));
    d.*AssocField = assoc;
    socklen_t len = sizeof(d);
    // A failure (an association that is not there yet) leaves zeros: the send then reports the real error.
    if (usrsctp_getsockopt(so_, IPPROTO_SCTP, Option, &d, &len) != 0) std::memset(&d, 0, sizeof(d));
    d.*AssocField = assoc;
    cache_.push_back(d);
    return cache_.back();
  }

 private:
  struct socket* so_;
  std::vector<T> cache_;
};

using SndInfoDefaults = AssocDefaults<struct sctp_sndinfo, SCTP_DEFAULT_SNDINFO, &sctp_sndinfo::snd_assoc_id>;
using PrInfoDefaults =
    AssocDefaults<struct sctp_default_prinfo, SCTP_DEFAULT_PRINFO, &sctp_default_prinfo::pr_assoc_id>;

// usrsctp hands out a notification longer than the read buffer in pieces, every piece flagged MSG_NOTIFICATION and
// only the last MSG_EOR: a send-failed event carries the whole unsent message, which may be far larger than the
// scratch buffer. The pieces after the first are bytes of that message, not notifications of their own, so they are
// appended to `whole` until the end. The rest of a notification stays first in the socket's read queue; a peek
// checks that all the same, so that nothing else is ever read here (a cut-short notification is parsed as far as
// it goes).
void ReadRestOfNotification(struct socket* so, uint8_t* buf, std::vector<uint8_t>* whole) {
  for (;;) {
    int flags = MSG_PEEK;
    uint8_t probe;
    struct sctp_recvv_rn rn;
    socklen_t infolen = sizeof(rn);
    unsigned int infotype = SCTP_RECVV_NOINFO;
    if (usrsctp_recvv(so, &probe, 1, nullptr, nullptr, &rn, &infolen, &infotype, &flags) <= 0 ||
        (flags & MSG_NOTIFICATION) == 0) {
      return;
    }
    flags = 0;
    infolen = sizeof(rn);
    ssize_t n = usrsctp_recvv(so, buf, kScratchSize, nullptr, nullptr, &rn, &infolen, &infotype, &flags);
    if (n <= 0) return;
    whole->insert(whole->end(), buf, buf + n);
    if ((flags & MSG_EOR) != 0) return;
  }
}

// The record of a batch that ended a message (MSG_EOR), while it is the last one read. An association that ends in
// the middle of a partial delivery (an ABORT, a FORWARD-TSN past the message) makes usrsctp end the message where it
// was cut, with MSG_EOR and, on a non-blocking socket, without MSG_TRUNC. The only sign is the partial-delivery event
// ("aborted", naming the message's stream and sequence number) that the stack queues right behind it, when the socket
// subscribed to it: that event marks the record truncated.
struct EndedMessage {
  int32_t index = -1;  // in the batch; -1: the last record read ended no message
  sctp_assoc_t assoc = 0;
  uint16_t sid = 0;
  uint16_t ssn = 0;

  bool AbortedBy(const uint8_t* data, size_t length) const {
    sctp_assoc_t a;
    uint16_t stream, seq;
    return index >= 0 && PartialDeliveryAborted(data, length, &a, &stream, &seq) && a == assoc && stream == sid &&
           seq == ssn;
  }
};

// Whether the record waiting next is the partial-delivery event that aborts `ended` (peeked: it stays queued).
bool NextAborts(struct socket* so, const EndedMessage& ended) {
  uint8_t head[sizeof(struct sctp_pdapi_event)];
  struct sctp_recvv_rn rn;
  socklen_t infolen = sizeof(rn);
  unsigned int infotype = SCTP_RECVV_NOINFO;
  int flags = MSG_PEEK;
  ssize_t n = usrsctp_recvv(so, head, sizeof(head), nullptr, nullptr, &rn, &infolen, &infotype, &flags);
  return n > 0 && (flags & MSG_NOTIFICATION) != 0 && ended.AbortedBy(head, static_cast<size_t>(n));
}

void MarkTruncated(napi_env env, napi_value records, uint32_t index) {
  napi_value record, yes;
  napi_get_element(env, records, index, &record);
  napi_get_boolean(env, true, &yes);
  napi_set_named_property(env, record, "truncated", yes);
}

napi_value U32(napi_env env, uint32_t v) {
  napi_value out;
  napi_create_uint32(env, v, &out);
  return out;
}

napi_value Bool(napi_env env, bool v) {
  napi_value out;
  napi_get_boolean(env, v, &out);
  return out;
}

}  // namespace

// sendBatch(id, messages) -> number accepted (>= 0) | -errno when the first one failed.
Napi::Value SendBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t generation = 0;
  RecordPtr rec = TableGet(ArgId(info, 0), &generation);
  if (!rec) return Errno(env, EBADF);
  if (info.Length() < 2 || !info[1].IsArray()) throw Napi::TypeError::New(env, "messages must be an array");
  Napi::Array messages = info[1].As<Napi::Array>();
  const uint32_t count = messages.Length();

  EnvState* state = EnvState::Get(env);
  napi_value keys[kKeyCount];
  state->LoadKeys(env, keys);
  const napi_value dataKey = keys[kData], sidKey = keys[kSid], ppidKey = keys[kPpid], flagsKey = keys[kFlags],
                   contextKey = keys[kContext], assocKey = keys[kAssocId], policyKey = keys[kPrPolicy],
                   prValueKey = keys[kPrValue], toKey = keys[kTo];

  uint32_t sent = 0;
  SndInfoDefaults defaults(rec->so);
  PrInfoDefaults prDefaults(rec->so);
  for (uint32_t i = 0; i < count; ++i) {
    Napi::HandleScope scope(env);
    napi_value m;
    napi_get_element(env, messages, i, &m);
    napi_value dataValue;
    napi_get_property(env, m, dataKey, &dataValue);
    bool isTyped = false;
    napi_is_typedarray(env, dataValue, &isTyped);
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    if (isTyped) napi_get_typedarray_info(env, dataValue, &type, &length, &data, nullptr, nullptr);
    if (!isTyped || type != napi_uint8_array) throw Napi::TypeError::New(env, "message.data must be a Uint8Array");
    static uint8_t empty;
    if (data == nullptr) data = &empty;  // an empty message (eof, abort, a closing eor): usrsctp wants a pointer

    struct sctp_sendv_spa spa;
    std::memset(&spa, 0, sizeof(spa));
    bool hasSid, hasPpid, hasFlags, hasContext;
    struct sctp_sndinfo& snd = spa.sendv_sndinfo;
    snd.snd_sid = static_cast<uint16_t>(Field(env, m, sidKey, "sid", &hasSid));
    snd.snd_ppid = htonl(Field(env, m, ppidKey, "ppid", &hasPpid));
    snd.snd_flags = static_cast<uint16_t>(Field(env, m, flagsKey, "flags", &hasFlags));
    snd.snd_context = Field(env, m, contextKey, "context", &hasContext);
    snd.snd_assoc_id = Field(env, m, assocKey, "assocId");
    bool hasPolicy;
    uint32_t policy = Field(env, m, policyKey, "prPolicy", &hasPolicy);
    uint32_t prValue = Field(env, m, prValueKey, "prValue");

    // An optional destination `to` (an address in the byte form): sets up an association implicitly on a
    // one-to-many socket, or picks the path with SCTP_ADDR_OVER.
    struct sockaddr_storage toAddr;
    socklen_t toLen = 0;
    struct sockaddr* to = nullptr;
    napi_value toValue;
    napi_valuetype toType = napi_undefined;
    if (napi_get_property(env, m, toKey, &toValue) == napi_ok) napi_typeof(env, toValue, &toType);
    if (toType != napi_undefined) {
      if (!SockaddrArg(Napi::Value(env, toValue), &toAddr, &toLen)) {
        if (sent == 0) return Errno(env, EINVAL);
        break;
      }
      to = reinterpret_cast<struct sockaddr*>(&toAddr);
    }
    const int toCount = to ? 1 : 0;

    // A new association (a destination, no id) starts from the socket's defaults, SCTP_FUTURE_ASSOC.
    const sctp_assoc_t defaultsOf = rec->style == SOCK_STREAM || to ? 0 : snd.snd_assoc_id;
    if (!hasSid || !hasPpid || !hasFlags || !hasContext) {
      const struct sctp_sndinfo& d = defaults.For(defaultsOf);
      if (!hasSid) snd.snd_sid = d.snd_sid;
      if (!hasPpid) snd.snd_ppid = d.snd_ppid;
      if (!hasFlags) snd.snd_flags = d.snd_flags;
      if (!hasContext) snd.snd_context = d.snd_context;
    }
    // usrsctp applies SCTP_DEFAULT_PRINFO only to a send with no information at all: with SCTP_SNDINFO alone the
    // message would be fully reliable whatever the default says.
    if (!hasPolicy) {
      const struct sctp_default_prinfo& d = prDefaults.For(defaultsOf);
      policy = d.pr_policy;
      prValue = d.pr_value;
    }

    ssize_t n;
    if (policy == SCTP_PR_SCTP_NONE) {
      n = usrsctp_sendv(rec->so, data, length, to, toCount, &spa.sendv_sndinfo, sizeof(spa.sendv_sndinfo),
                        SCTP_SENDV_SNDINFO, 0);
    } else {
      spa.sendv_flags = SCTP_SEND_SNDINFO_VALID | SCTP_SEND_PRINFO_VALID;
      spa.sendv_prinfo.pr_policy = static_cast<uint16_t>(policy);
      spa.sendv_prinfo.pr_value = prValue;
      n = usrsctp_sendv(rec->so, data, length, to, toCount, &spa, sizeof(spa), SCTP_SENDV_SPA, 0);
    }
    if (n < 0) {
      int err = errno;
      if (sent == 0) {
        if (err == EAGAIN || err == EWOULDBLOCK) TableSetAnySince(rec, generation);
        return Errno(env, err);
      }
      break;  // the caller retries the rest and then sees the error
    }
    ++sent;
  }
  return Napi::Number::New(env, sent);
}

// recvBatch(id, max[, sources]) -> records | -errno. Empty array when nothing is pending. With `sources` (an array),
// also appends {assocId, address} (the byte form) for the first record of each association in this batch: the peer
// address usrsctp gives with the read (the path the data came from; the primary path for notifications), which
// stays known after the association itself is gone.
Napi::Value RecvBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RecordPtr rec = TableGet(ArgId(info, 0));
  if (!rec) return Errno(env, EBADF);
  int32_t max = ArgInt(info, 1, "max");
  // An error met after some records were returned: it is reported once what is still queued (notifications the
  // stack queued with it, such as the partial-delivery and assoc-change of an abort) has been read.
  const int pending = rec->pendingRecvError.exchange(0);
  Napi::Array sources;
  if (info.Length() > 2 && info[2].IsArray()) sources = info[2].As<Napi::Array>();
  const bool wantSources = !sources.IsEmpty();
  std::vector<sctp_assoc_t> sourced;  // associations already in `sources`: batches name few

  napi_value out = nullptr;  // created on first use: an empty receive stays cheap
  napi_value undefined = nullptr;
  napi_value factory = nullptr;
  uint8_t* buf = Scratch();
  EndedMessage ended;

  int32_t count = 0;
  while (count < max) {
    // Room for RCVINFO and NXTINFO: with SCTP_RECVNXTINFO on, usrsctp says what comes next (when it knows).
    struct sctp_recvv_rn rn;
    std::memset(&rn, 0, sizeof(rn));
    struct sctp_rcvinfo& rcv = rn.recvv_rcvinfo;
    socklen_t infolen = sizeof(rn);
    unsigned int infotype = SCTP_RECVV_NOINFO;
    int flags = 0;
    errno = 0;
    struct sockaddr_storage from;
    socklen_t fromlen = sizeof(from);
    std::memset(&from, 0, sizeof(from));
    ssize_t n = usrsctp_recvv(rec->so, buf, kScratchSize, wantSources ? reinterpret_cast<struct sockaddr*>(&from) : nullptr,
                              wantSources ? &fromlen : nullptr, &rn, &infolen, &infotype, &flags);
    if (n < 0) {
      int err = errno;
      if (err == EAGAIN || err == EWOULDBLOCK) break;
      if (count > 0) {
        rec->pendingRecvError.store(pending != 0 ? pending : err);
        break;
      }
      return Errno(env, pending != 0 ? pending : err);
    }
    if (out == nullptr) {  // in the caller's handle scope: these live across iterations
      napi_create_array(env, &out);
      napi_get_undefined(env, &undefined);
      factory = EnvState::Get(env)->RecordFactory(env);
    }
    Napi::HandleScope scope(env);  // per record: its temporaries die here, the record lives on in `out`
    if (n == 0 && (flags & (MSG_NOTIFICATION | MSG_TRUNC)) == 0) {
      // One-to-one: the peer shut down and everything was read. (A one-to-many socket never gets here.)
      if (rec->style == SOCK_STREAM) {
        Napi::Object eof = Napi::Object::New(env);
        eof.Set("eof", true);
        napi_set_element(env, out, static_cast<uint32_t>(count++), eof);
      }
      break;
    }
    const uint8_t* data = buf;
    size_t length = static_cast<size_t>(n);
    std::vector<uint8_t> whole;  // a notification read in pieces
    if ((flags & (MSG_NOTIFICATION | MSG_EOR)) == MSG_NOTIFICATION) {
      whole.assign(buf, buf + n);
      ReadRestOfNotification(rec->so, buf, &whole);
      flags |= MSG_EOR;
      data = whole.data();
      length = whole.size();
    }
    napi_value argv[13];
    argv[0] = Napi::Buffer<uint8_t>::Copy(env, data, length);
    argv[1] = Bool(env, (flags & MSG_EOR) != 0);
    if (flags & MSG_NOTIFICATION) {
      Napi::Value notification = ParseNotification(env, data, length);
      if (ended.AbortedBy(data, length)) MarkTruncated(env, out, static_cast<uint32_t>(ended.index));
      argv[2] = notification;
      rcv.rcv_assoc_id = notification.As<Napi::Object>().Get("assocId").As<Napi::Number>().Uint32Value();
    } else {
      argv[2] = undefined;
    }
    argv[3] = U32(env, rcv.rcv_sid);
    argv[4] = U32(env, rcv.rcv_ssn);
    argv[5] = U32(env, rcv.rcv_flags);
    argv[6] = U32(env, ntohl(rcv.rcv_ppid));
    argv[7] = U32(env, rcv.rcv_tsn);
    argv[8] = U32(env, rcv.rcv_cumtsn);
    argv[9] = U32(env, rcv.rcv_context);
    argv[10] = U32(env, rcv.rcv_assoc_id);
    argv[11] = undefined;
    if (infotype == SCTP_RECVV_RN) {
      const struct sctp_nxtinfo& nxt = rn.recvv_nxtinfo;
      Napi::Object next = Napi::Object::New(env);
      next.Set("sid", nxt.nxt_sid);
      next.Set("flags", nxt.nxt_flags);
      next.Set("ppid", ntohl(nxt.nxt_ppid));
      next.Set("length", nxt.nxt_length);
      next.Set("assocId", static_cast<uint32_t>(nxt.nxt_assoc_id));
      argv[11] = next;
    }
    // MSG_TRUNC with MSG_EOR: the association ended in the middle of a partial delivery; the message stops here.
    argv[12] = Bool(env, (flags & MSG_TRUNC) != 0 && (flags & MSG_NOTIFICATION) == 0);
    if (wantSources && fromlen > 0 &&
        std::find(sourced.begin(), sourced.end(), rcv.rcv_assoc_id) == sourced.end()) {
      Napi::Value address = SockaddrBytes(env, reinterpret_cast<struct sockaddr*>(&from));
      if (!address.IsUndefined()) {
        sourced.push_back(rcv.rcv_assoc_id);
        Napi::Object source = Napi::Object::New(env);
        source.Set("assocId", U32(env, rcv.rcv_assoc_id));
        source.Set("address", address);
        sources.Set(sources.Length(), source);
      }
    }
    napi_value record;
    if (napi_call_function(env, undefined, factory, 13, argv, &record) != napi_ok) {
      throw Napi::Error::New(env, "sctp_native: building a received record failed");
    }
    napi_set_element(env, out, static_cast<uint32_t>(count), record);
    ended = EndedMessage();
    if ((flags & (MSG_NOTIFICATION | MSG_EOR)) == MSG_EOR) ended = {count, rcv.rcv_assoc_id, rcv.rcv_sid, rcv.rcv_ssn};
    ++count;
  }
  // A batch that ends with a message leaves the event that may follow it for the next call: look at it now.
  if (count == max && ended.index == count - 1 && NextAborts(rec->so, ended)) {
    MarkTruncated(env, out, static_cast<uint32_t>(ended.index));
  }
  if (pending != 0) {
    if (count == 0) return Errno(env, pending);
    int expected = 0;
    rec->pendingRecvError.compare_exchange_strong(expected, pending);
  }
  if (out == nullptr) napi_create_array(env, &out);
  return Napi::Value(env, out);
}

}  // namespace sctp_native
