#include "options.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <usrsctp.h>

#include <cerrno>
#include <cstddef>

#include "socket_table.h"
#include "util.h"

namespace sctp_native {

namespace {

// Layouts usrsctp 0.9.5.0 implements but its public header lacks (SCTP_PEER_ADDR_THLDS) or declares differently
// (struct sctp_authchunks: the stack writes a chunk count before the chunk list, the header has no such field).
// Declared here so that their sizes and offsets come from the compiler (the struct must match the stack's exactly,
// spt_pathcpthld included: usrsctp checks the length).
struct sctp_paddrthlds {
  struct sockaddr_storage spt_address;
  sctp_assoc_t spt_assoc_id;
  uint16_t spt_pathmaxrxt;
  uint16_t spt_pathpfthld;
  uint16_t spt_pathcpthld;
};

struct sctp_authchunks_impl {
  sctp_assoc_t gauth_assoc_id;
  uint32_t gauth_number_of_chunks;
  uint8_t gauth_chunks[];
};

// (id, level, name, buf), the arguments of both calls, checked in that order.
struct SockoptArgs {
  RecordPtr rec;
  int32_t level;
  int32_t name;
  Napi::Uint8Array buf;
};

SockoptArgs ReadSockoptArgs(const Napi::CallbackInfo& info) {
  return {TableGet(ArgId(info, 0)), ArgInt(info, 1, "level"), ArgInt(info, 2, "name"), ArgBytes(info, 3, "buf")};
}

}  // namespace

// getsockopt(id, level, name, buf) -> returned length | -errno. buf is in/out: callers pre-fill e.g. an assoc id.
Napi::Value GetSockopt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SockoptArgs a = ReadSockoptArgs(info);
  if (!a.rec) return Errno(env, EBADF);
  socklen_t len = static_cast<socklen_t>(a.buf.ByteLength());
  if (usrsctp_getsockopt(a.rec->so, a.level, a.name, a.buf.Data(), &len) < 0) return Errno(env, errno);
  return Napi::Number::New(env, len);
}

// setsockopt(id, level, name, buf) -> 0 | -errno.
Napi::Value SetSockopt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SockoptArgs a = ReadSockoptArgs(info);
  if (!a.rec) return Errno(env, EBADF);
  if (usrsctp_setsockopt(a.rec->so, a.level, a.name, a.buf.Data(), static_cast<socklen_t>(a.buf.ByteLength())) < 0) {
    return Errno(env, errno);
  }
  return Napi::Number::New(env, 0);
}

#define C(name) o.Set(#name, static_cast<double>(name))

Napi::Object Constants(Napi::Env env) {
  Napi::Object o = Napi::Object::New(env);
  // Sockets
  C(AF_INET); C(AF_INET6); C(AF_CONN); C(SOCK_STREAM); C(SOCK_SEQPACKET); C(IPPROTO_SCTP);
  C(SOL_SOCKET); C(SO_RCVBUF); C(SO_SNDBUF); C(SO_LINGER); C(SO_ERROR); C(SO_REUSEADDR);
  C(SHUT_RD); C(SHUT_WR); C(SHUT_RDWR);
  C(MSG_NOTIFICATION); C(MSG_EOR); C(MSG_DONTWAIT); C(MSG_PEEK);
  // Association ids
  C(SCTP_FUTURE_ASSOC); C(SCTP_CURRENT_ASSOC); C(SCTP_ALL_ASSOC);
  // Read-write options
  C(SCTP_RTOINFO); C(SCTP_ASSOCINFO); C(SCTP_INITMSG); C(SCTP_NODELAY); C(SCTP_AUTOCLOSE); C(SCTP_PRIMARY_ADDR);
  C(SCTP_ADAPTATION_LAYER); C(SCTP_DISABLE_FRAGMENTS); C(SCTP_PEER_ADDR_PARAMS); C(SCTP_I_WANT_MAPPED_V4_ADDR);
  C(SCTP_MAXSEG); C(SCTP_DELAYED_SACK); C(SCTP_FRAGMENT_INTERLEAVE); C(SCTP_PARTIAL_DELIVERY_POINT);
  C(SCTP_HMAC_IDENT); C(SCTP_AUTH_ACTIVE_KEY); C(SCTP_AUTO_ASCONF); C(SCTP_MAX_BURST); C(SCTP_CONTEXT);
  C(SCTP_EXPLICIT_EOR); C(SCTP_REUSE_PORT); C(SCTP_EVENT); C(SCTP_RECVRCVINFO); C(SCTP_RECVNXTINFO);
  C(SCTP_DEFAULT_SNDINFO); C(SCTP_DEFAULT_PRINFO); C(SCTP_REMOTE_UDP_ENCAPS_PORT); C(SCTP_ECN_SUPPORTED);
  C(SCTP_PR_SUPPORTED); C(SCTP_AUTH_SUPPORTED); C(SCTP_ASCONF_SUPPORTED); C(SCTP_RECONFIG_SUPPORTED);
  C(SCTP_NRSACK_SUPPORTED); C(SCTP_PKTDROP_SUPPORTED); C(SCTP_MAX_CWND); C(SCTP_ENABLE_STREAM_RESET);
  C(SCTP_PLUGGABLE_SS); C(SCTP_SS_VALUE);
  // Read-only options
  C(SCTP_STATUS); C(SCTP_GET_PEER_ADDR_INFO); C(SCTP_PEER_AUTH_CHUNKS); C(SCTP_LOCAL_AUTH_CHUNKS);
  C(SCTP_GET_ASSOC_NUMBER); C(SCTP_GET_ASSOC_ID_LIST); C(SCTP_TIMEOUTS); C(SCTP_PR_STREAM_STATUS);
  C(SCTP_PR_ASSOC_STATUS);
  // Write-only options
  C(SCTP_SET_PEER_PRIMARY_ADDR); C(SCTP_AUTH_CHUNK); C(SCTP_AUTH_KEY); C(SCTP_AUTH_DEACTIVATE_KEY);
  C(SCTP_AUTH_DELETE_KEY); C(SCTP_RESET_STREAMS); C(SCTP_RESET_ASSOC); C(SCTP_ADD_STREAMS);
  // Implemented by usrsctp 0.9.5.0 but missing from its header (POSIX-COMPAT.md's usrsctp column says so).
  o.Set("SCTP_PEER_ADDR_THLDS", 0x23);
  o.Set("SCTP_INTERLEAVING_SUPPORTED", 0x1206);
  // Values the stack checks for but the header does not name: SCTP_FRAGMENT_INTERLEAVE levels, and the policy
  // value of SCTP_PR_*_STATUS that asks for the counters of every policy together.
  o.Set("SCTP_FRAG_LEVEL_0", 0);
  o.Set("SCTP_FRAG_LEVEL_1", 1);
  o.Set("SCTP_FRAG_LEVEL_2", 2);
  o.Set("SCTP_PR_SCTP_ALL", 0x000f);
  // Option values
  C(SCTP_ENABLE_RESET_STREAM_REQ); C(SCTP_ENABLE_RESET_ASSOC_REQ); C(SCTP_ENABLE_CHANGE_ASSOC_REQ);
  C(SCTP_ENABLE_VALUE_MASK); C(SCTP_STREAM_RESET_INCOMING); C(SCTP_STREAM_RESET_OUTGOING);
  C(SPP_HB_ENABLE); C(SPP_HB_DISABLE); C(SPP_HB_DEMAND); C(SPP_PMTUD_ENABLE); C(SPP_PMTUD_DISABLE);
  C(SPP_HB_TIME_IS_ZERO); C(SPP_IPV6_FLOWLABEL); C(SPP_DSCP);
  C(SCTP_AUTH_HMAC_ID_SHA1); C(SCTP_AUTH_HMAC_ID_SHA256);
  C(SCTP_SS_DEFAULT); C(SCTP_SS_ROUND_ROBIN); C(SCTP_SS_ROUND_ROBIN_PACKET); C(SCTP_SS_PRIORITY);
  C(SCTP_SS_FAIR_BANDWITH); C(SCTP_SS_FIRST_COME);
  C(SCTP_CC_RFC2581); C(SCTP_CC_HSTCP); C(SCTP_CC_HTCP); C(SCTP_CC_RTCC);
  C(SCTP_BINDX_ADD_ADDR); C(SCTP_BINDX_REM_ADDR);
  // Send flags (sndinfo.snd_flags) and receive flags (rcvinfo.rcv_flags)
  C(SCTP_UNORDERED); C(SCTP_ADDR_OVER); C(SCTP_ABORT); C(SCTP_EOF); C(SCTP_SENDALL); C(SCTP_SACK_IMMEDIATELY);
  C(SCTP_EOR); C(SCTP_NOTIFICATION); C(SCTP_COMPLETE); C(SCTP_DATA_LAST_FRAG); C(SCTP_DATA_NOT_FRAG);
  // PR-SCTP policies ("PRIO" is SCTP_PR_SCTP_BUF in usrsctp)
  C(SCTP_PR_SCTP_NONE); C(SCTP_PR_SCTP_TTL); C(SCTP_PR_SCTP_BUF); C(SCTP_PR_SCTP_RTX);
  // sendv / recvv info types
  C(SCTP_SENDV_NOINFO); C(SCTP_SENDV_SNDINFO); C(SCTP_SENDV_PRINFO); C(SCTP_SENDV_AUTHINFO); C(SCTP_SENDV_SPA);
  C(SCTP_RECVV_NOINFO); C(SCTP_RECVV_RCVINFO); C(SCTP_RECVV_NXTINFO); C(SCTP_RECVV_RN);
  // Notification types
  C(SCTP_ASSOC_CHANGE); C(SCTP_PEER_ADDR_CHANGE); C(SCTP_REMOTE_ERROR); C(SCTP_SEND_FAILED);
  C(SCTP_SHUTDOWN_EVENT); C(SCTP_ADAPTATION_INDICATION); C(SCTP_PARTIAL_DELIVERY_EVENT);
  C(SCTP_AUTHENTICATION_EVENT); C(SCTP_STREAM_RESET_EVENT); C(SCTP_SENDER_DRY_EVENT);
  C(SCTP_NOTIFICATIONS_STOPPED_EVENT); C(SCTP_ASSOC_RESET_EVENT); C(SCTP_STREAM_CHANGE_EVENT);
  C(SCTP_SEND_FAILED_EVENT);
  // assoc-change states and peer-addr-change states
  C(SCTP_COMM_UP); C(SCTP_COMM_LOST); C(SCTP_RESTART); C(SCTP_SHUTDOWN_COMP); C(SCTP_CANT_STR_ASSOC);
  C(SCTP_ADDR_AVAILABLE); C(SCTP_ADDR_UNREACHABLE); C(SCTP_ADDR_REMOVED); C(SCTP_ADDR_ADDED);
  C(SCTP_ADDR_MADE_PRIM); C(SCTP_ADDR_CONFIRMED);
  // Association states (sctp_status.sstat_state) and path states (sctp_paddrinfo.spinfo_state)
  C(SCTP_CLOSED); C(SCTP_BOUND); C(SCTP_LISTEN); C(SCTP_COOKIE_WAIT); C(SCTP_COOKIE_ECHOED); C(SCTP_ESTABLISHED);
  C(SCTP_SHUTDOWN_SENT); C(SCTP_SHUTDOWN_RECEIVED); C(SCTP_SHUTDOWN_ACK_SENT); C(SCTP_SHUTDOWN_PENDING);
  C(SCTP_ACTIVE); C(SCTP_INACTIVE); C(SCTP_UNCONFIRMED);
  // errno values usrsctp returns are the platform's: TypeScript uses os.constants.errno for those.
  return o;
}

#undef C

#define S(type) o.Set(#type, static_cast<double>(sizeof(struct type)))

Napi::Object Sizes(Napi::Env env) {
  Napi::Object o = Napi::Object::New(env);
  S(sockaddr_in); S(sockaddr_in6); S(sockaddr_storage); S(linger);
  S(sctp_initmsg); S(sctp_rtoinfo); S(sctp_assocparams); S(sctp_setprim); S(sctp_setadaptation);
  S(sctp_paddrparams); S(sctp_assoc_value); S(sctp_reset_streams); S(sctp_add_streams); S(sctp_hmacalgo);
  S(sctp_sack_info); S(sctp_default_prinfo); S(sctp_paddrinfo); S(sctp_status); S(sctp_paddrthlds);
  S(sctp_assoc_ids); S(sctp_setpeerprim); S(sctp_authchunk); S(sctp_authkey); S(sctp_authkeyid);
  S(sctp_stream_value); S(sctp_timeouts); S(sctp_prstatus); S(sctp_udpencaps); S(sctp_event);
  S(sctp_event_subscribe); S(sctp_sndinfo); S(sctp_prinfo); S(sctp_rcvinfo); S(sctp_nxtinfo); S(sctp_sendv_spa);
  o.Set("sctp_authchunks", static_cast<double>(sizeof(struct sctp_authchunks_impl)));  // the stack's layout
  o.Set("int", static_cast<double>(sizeof(int)));
  o.Set("sctp_assoc_t", static_cast<double>(sizeof(sctp_assoc_t)));
  return o;
}

#undef S

#define F(type, field) o.Set(#type "." #field, static_cast<double>(offsetof(struct type, field)))

Napi::Object Offsets(Napi::Env env) {
  Napi::Object o = Napi::Object::New(env);
  F(sockaddr_storage, ss_family);
  F(sockaddr_in, sin_family); F(sockaddr_in, sin_port); F(sockaddr_in, sin_addr);
  F(sockaddr_in6, sin6_family); F(sockaddr_in6, sin6_port); F(sockaddr_in6, sin6_flowinfo);
  F(sockaddr_in6, sin6_addr); F(sockaddr_in6, sin6_scope_id);
  F(linger, l_onoff); F(linger, l_linger);
  F(sctp_initmsg, sinit_num_ostreams); F(sctp_initmsg, sinit_max_instreams); F(sctp_initmsg, sinit_max_attempts);
  F(sctp_initmsg, sinit_max_init_timeo);
  F(sctp_rtoinfo, srto_assoc_id); F(sctp_rtoinfo, srto_initial); F(sctp_rtoinfo, srto_max); F(sctp_rtoinfo, srto_min);
  F(sctp_assocparams, sasoc_assoc_id); F(sctp_assocparams, sasoc_peer_rwnd); F(sctp_assocparams, sasoc_local_rwnd);
  F(sctp_assocparams, sasoc_cookie_life); F(sctp_assocparams, sasoc_asocmaxrxt);
  F(sctp_assocparams, sasoc_number_peer_destinations);
  F(sctp_setprim, ssp_addr); F(sctp_setprim, ssp_assoc_id);
  F(sctp_setadaptation, ssb_adaptation_ind);
  F(sctp_paddrparams, spp_address); F(sctp_paddrparams, spp_assoc_id); F(sctp_paddrparams, spp_hbinterval);
  F(sctp_paddrparams, spp_pathmtu); F(sctp_paddrparams, spp_flags); F(sctp_paddrparams, spp_ipv6_flowlabel);
  F(sctp_paddrparams, spp_pathmaxrxt); F(sctp_paddrparams, spp_dscp);
  F(sctp_assoc_value, assoc_id); F(sctp_assoc_value, assoc_value);
  F(sctp_reset_streams, srs_assoc_id); F(sctp_reset_streams, srs_flags); F(sctp_reset_streams, srs_number_streams);
  F(sctp_reset_streams, srs_stream_list);
  F(sctp_add_streams, sas_assoc_id); F(sctp_add_streams, sas_instrms); F(sctp_add_streams, sas_outstrms);
  F(sctp_hmacalgo, shmac_number_of_idents); F(sctp_hmacalgo, shmac_idents);
  F(sctp_sack_info, sack_assoc_id); F(sctp_sack_info, sack_delay); F(sctp_sack_info, sack_freq);
  F(sctp_default_prinfo, pr_policy); F(sctp_default_prinfo, pr_value); F(sctp_default_prinfo, pr_assoc_id);
  F(sctp_paddrinfo, spinfo_address); F(sctp_paddrinfo, spinfo_assoc_id); F(sctp_paddrinfo, spinfo_state);
  F(sctp_paddrinfo, spinfo_cwnd); F(sctp_paddrinfo, spinfo_srtt); F(sctp_paddrinfo, spinfo_rto);
  F(sctp_paddrinfo, spinfo_mtu);
  F(sctp_status, sstat_assoc_id); F(sctp_status, sstat_state); F(sctp_status, sstat_rwnd);
  F(sctp_status, sstat_unackdata); F(sctp_status, sstat_penddata); F(sctp_status, sstat_instrms);
  F(sctp_status, sstat_outstrms); F(sctp_status, sstat_fragmentation_point); F(sctp_status, sstat_primary);
  // The stack's layout of struct sctp_authchunks (see sctp_authchunks_impl above).
  o.Set("sctp_authchunks.gauth_assoc_id", static_cast<double>(offsetof(struct sctp_authchunks_impl, gauth_assoc_id)));
  o.Set("sctp_authchunks.gauth_number_of_chunks",
        static_cast<double>(offsetof(struct sctp_authchunks_impl, gauth_number_of_chunks)));
  o.Set("sctp_authchunks.gauth_chunks", static_cast<double>(offsetof(struct sctp_authchunks_impl, gauth_chunks)));
  F(sctp_paddrthlds, spt_address); F(sctp_paddrthlds, spt_assoc_id); F(sctp_paddrthlds, spt_pathmaxrxt);
  F(sctp_paddrthlds, spt_pathpfthld); F(sctp_paddrthlds, spt_pathcpthld);
  F(sctp_authchunk, sauth_chunk);
  F(sctp_assoc_ids, gaids_number_of_ids); F(sctp_assoc_ids, gaids_assoc_id);
  F(sctp_setpeerprim, sspp_addr); F(sctp_setpeerprim, sspp_assoc_id);
  F(sctp_authkey, sca_assoc_id); F(sctp_authkey, sca_keynumber); F(sctp_authkey, sca_keylength);
  F(sctp_authkey, sca_key);
  F(sctp_authkeyid, scact_assoc_id); F(sctp_authkeyid, scact_keynumber);
  F(sctp_stream_value, assoc_id); F(sctp_stream_value, stream_id); F(sctp_stream_value, stream_value);
  F(sctp_timeouts, stimo_assoc_id); F(sctp_timeouts, stimo_init); F(sctp_timeouts, stimo_data);
  F(sctp_timeouts, stimo_sack); F(sctp_timeouts, stimo_shutdown); F(sctp_timeouts, stimo_heartbeat);
  F(sctp_timeouts, stimo_cookie); F(sctp_timeouts, stimo_shutdownack);
  F(sctp_prstatus, sprstat_assoc_id); F(sctp_prstatus, sprstat_sid); F(sctp_prstatus, sprstat_policy);
  F(sctp_prstatus, sprstat_abandoned_unsent); F(sctp_prstatus, sprstat_abandoned_sent);
  F(sctp_udpencaps, sue_address); F(sctp_udpencaps, sue_assoc_id); F(sctp_udpencaps, sue_port);
  F(sctp_event, se_assoc_id); F(sctp_event, se_type); F(sctp_event, se_on);
  F(sctp_sndinfo, snd_sid); F(sctp_sndinfo, snd_flags); F(sctp_sndinfo, snd_ppid); F(sctp_sndinfo, snd_context);
  F(sctp_sndinfo, snd_assoc_id);
  F(sctp_prinfo, pr_policy); F(sctp_prinfo, pr_value);
  return o;
}

#undef F

}  // namespace sctp_native
