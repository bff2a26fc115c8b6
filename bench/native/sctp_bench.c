/*
 * Native usrsctp peer and baseline sender for `npm run bench` (compiled at bench time into .cache/bench/).
 *
 *   sctp_bench server [--sink-port P] [--echo-port Q] [--udp-port U]
 *       One process, one usrsctp stack, two one-to-one listeners on 127.0.0.1:
 *       - sink: counts every association's messages and bytes and prints one JSON line when it ends;
 *       - echo: sends every message back on its stream with its PPID (NODELAY on).
 *       Prints {"event":"listening",...} first. Exits when stdin reaches EOF (the harness died or closed it).
 *   sctp_bench send --port P --udp-remote U --size S --seconds T [--udp-port U2] [--pmtu N] [--nonblocking 1]
 *       Baseline sender: blocking one-to-one socket, one usrsctp_sendv per message (SNDINFO, stream 0),
 *       for T seconds, then a graceful shutdown. Prints {"event":"connected","localPort":..} and
 *       {"event":"sent",...}. With --nonblocking 1 the socket is non-blocking, as the TS API's are, and waits
 *       for usrsctp's upcall after EWOULDBLOCK (a blocking sendv copies a large message in as space frees;
 *       a non-blocking one needs room for the whole message at once).
 *   sctp_bench pingpong --port Q --udp-remote U --size S --count N [--warmup W] [--seconds T]
 *       S-byte round trips against the echo listener, one outstanding; prints percentiles in microseconds.
 *
 * Every socket keeps usrsctp's defaults (PMTU discovery on: 1460 with UDP encapsulation, 256 KiB send and 128 KiB
 * receive buffer), as the TS API and the host do, unless --pmtu is given.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <usrsctp.h>

#define RECV_BUFFER (256 * 1024)
#define WARMUP_NS 500000000LL

static pthread_mutex_t out_mutex = PTHREAD_MUTEX_INITIALIZER;

static void emit(const char *fmt, ...) {
	va_list ap;
	pthread_mutex_lock(&out_mutex);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	pthread_mutex_unlock(&out_mutex);
}

static void die(const char *what) {
	emit("{\"event\":\"error\",\"what\":\"%s\",\"errno\":%d,\"message\":\"%s\"}", what, errno, strerror(errno));
	_exit(1);
}

static int64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A UDP port free on 0.0.0.0 (usrsctp binds the wildcard), or 0. Racy, as any probe is. */
static uint16_t free_udp_port(void) {
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	uint16_t port = 0;
	if (fd < 0) return 0;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 && getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

static struct sockaddr_in loopback(uint16_t port) {
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sin;
}

/* The port of the socket's first local (or peer) IPv4 address; 0 when there is none. */
static uint16_t first_port(struct socket *so, int local) {
	struct sockaddr *addrs = NULL;
	uint16_t port = 0;
	int n = local ? usrsctp_getladdrs(so, 0, &addrs) : usrsctp_getpaddrs(so, 0, &addrs);
	if (n > 0 && addrs->sa_family == AF_INET) port = ntohs(((struct sockaddr_in *)addrs)->sin_port);
	if (addrs) {
		if (local) usrsctp_freeladdrs(addrs); else usrsctp_freepaddrs(addrs);
	}
	return port;
}

static uint16_t local_port(struct socket *so) { return first_port(so, 1); }
static uint16_t peer_port(struct socket *so) { return first_port(so, 0); }

static void set_int(struct socket *so, int option, int value, const char *what) {
	if (usrsctp_setsockopt(so, IPPROTO_SCTP, option, &value, sizeof(value)) < 0) die(what);
}

static struct socket *new_socket(void) {
	struct socket *so = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (so == NULL) die("usrsctp_socket");
	set_int(so, SCTP_RECVRCVINFO, 1, "SCTP_RECVRCVINFO");
	return so;
}

static void start_stack(uint16_t udp_port) {
	usrsctp_init(udp_port, NULL, NULL);
}

/* ---- server ---- */

struct conn {
	struct socket *so;
	int echo;
};

static void *sink_thread(void *arg) {
	struct conn *c = arg;
	char *buf = malloc(RECV_BUFFER);
	uint64_t messages = 0, bytes = 0, warm_messages = 0, warm_bytes = 0;
	int64_t first = 0, last = 0, warm_at = 0;
	int error = 0;
	uint16_t peer = peer_port(c->so);
	for (;;) {
		struct sctp_rcvinfo info;
		socklen_t infolen = sizeof(info);
		unsigned int infotype = 0;
		int flags = 0;
		ssize_t n = usrsctp_recvv(c->so, buf, RECV_BUFFER, NULL, NULL, &info, &infolen, &infotype, &flags);
		if (n <= 0) {
			if (n < 0) error = errno;
			break;
		}
		if (flags & MSG_NOTIFICATION) continue;
		int64_t t = now_ns();
		if (first == 0) first = t;
		bytes += (uint64_t)n;
		if (flags & MSG_EOR) messages++;
		last = t;
		if (warm_at == 0 && t - first >= WARMUP_NS) {
			warm_at = t;
			warm_messages = messages;
			warm_bytes = bytes;
		}
	}
	emit("{\"event\":\"sink\",\"peerPort\":%u,\"messages\":%llu,\"bytes\":%llu,\"firstNs\":%lld,\"lastNs\":%lld,"
	     "\"warmAtNs\":%lld,\"warmMessages\":%llu,\"warmBytes\":%llu,\"error\":%d}",
	     peer, (unsigned long long)messages, (unsigned long long)bytes, (long long)first, (long long)last,
	     (long long)warm_at, (unsigned long long)warm_messages, (unsigned long long)warm_bytes, error);
	usrsctp_close(c->so);
	free(buf);
	free(c);
	return NULL;
}

static void *echo_thread(void *arg) {
	struct conn *c = arg;
	char *buf = malloc(RECV_BUFFER);
	size_t have = 0;
	for (;;) {
		struct sctp_rcvinfo info;
		socklen_t infolen = sizeof(info);
		unsigned int infotype = 0;
		int flags = 0;
		ssize_t n = usrsctp_recvv(c->so, buf + have, RECV_BUFFER - have, NULL, NULL, &info, &infolen, &infotype, &flags);
		if (n <= 0) break;
		if (flags & MSG_NOTIFICATION) continue;
		have += (size_t)n;
		if (!(flags & MSG_EOR) && have < RECV_BUFFER) continue;
		struct sctp_sndinfo snd;
		memset(&snd, 0, sizeof(snd));
		snd.snd_sid = info.rcv_sid;
		snd.snd_ppid = info.rcv_ppid;
		if (usrsctp_sendv(c->so, buf, have, NULL, 0, &snd, sizeof(snd), SCTP_SENDV_SNDINFO, 0) < 0) break;
		have = 0;
	}
	usrsctp_close(c->so);
	free(buf);
	free(c);
	return NULL;
}

static struct socket *listener(uint16_t port, int nodelay) {
	struct socket *so = new_socket();
	struct sockaddr_in sin = loopback(port);
	if (nodelay) set_int(so, SCTP_NODELAY, 1, "SCTP_NODELAY");
	if (usrsctp_bind(so, (struct sockaddr *)&sin, sizeof(sin)) < 0) die("usrsctp_bind");
	if (usrsctp_listen(so, 16) < 0) die("usrsctp_listen");
	return so;
}

static void *accept_loop(void *arg) {
	struct conn *proto = arg;
	for (;;) {
		struct socket *so = usrsctp_accept(proto->so, NULL, NULL);
		if (so == NULL) {
			if (errno == EINTR || errno == ECONNABORTED) continue;
			die("usrsctp_accept");
		}
		struct conn *c = malloc(sizeof(*c));
		pthread_t tid;
		c->so = so;
		c->echo = proto->echo;
		if (proto->echo) set_int(so, SCTP_NODELAY, 1, "SCTP_NODELAY");
		if (pthread_create(&tid, NULL, proto->echo ? echo_thread : sink_thread, c) != 0) die("pthread_create");
		pthread_detach(tid);
	}
	return NULL;
}

static void *stdin_watch(void *arg) {
	char b[64];
	(void)arg;
	while (read(0, b, sizeof(b)) > 0) {}
	_exit(0);
	return NULL;
}

static int run_server(uint16_t sink_port, uint16_t echo_port, uint16_t udp_port) {
	pthread_t tid;
	if (udp_port == 0) udp_port = free_udp_port();
	if (udp_port == 0) die("no free UDP port");
	start_stack(udp_port);
	struct conn sink = { listener(sink_port, 0), 0 };
	struct conn echo = { listener(echo_port, 1), 1 };
	emit("{\"event\":\"listening\",\"sinkPort\":%u,\"echoPort\":%u,\"udpPort\":%u}",
	     local_port(sink.so), local_port(echo.so), udp_port);
	pthread_create(&tid, NULL, stdin_watch, NULL);
	pthread_create(&tid, NULL, accept_loop, &echo);
	accept_loop(&sink);
	return 0;
}

/* ---- clients ---- */

/* usrsctp_recvv dereferences every out-parameter: always pass them all. */
static ssize_t recv_one(struct socket *so, char *buf, size_t len, int *flags) {
	struct sctp_rcvinfo info;
	socklen_t infolen = sizeof(info);
	unsigned int infotype = 0;
	*flags = 0;
	return usrsctp_recvv(so, buf, len, NULL, NULL, &info, &infolen, &infotype, flags);
}

static struct socket *connect_to(uint16_t port, uint16_t udp_remote, int pmtu, int nodelay) {
	struct socket *so = new_socket();
	struct sockaddr_in local = loopback(0), remote = loopback(port);
	struct sctp_udpencaps encaps;
	memset(&encaps, 0, sizeof(encaps));
	encaps.sue_address.ss_family = AF_INET;
	encaps.sue_port = htons(udp_remote);
	if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &encaps, sizeof(encaps)) < 0)
		die("SCTP_REMOTE_UDP_ENCAPS_PORT");
	if (nodelay) set_int(so, SCTP_NODELAY, 1, "SCTP_NODELAY");
	if (usrsctp_bind(so, (struct sockaddr *)&local, sizeof(local)) < 0) die("usrsctp_bind");
	if (pmtu > 0) {
		struct sctp_paddrparams pp;
		memset(&pp, 0, sizeof(pp));
		pp.spp_address.ss_family = AF_INET;
		pp.spp_assoc_id = SCTP_FUTURE_ASSOC;
		pp.spp_flags = SPP_PMTUD_DISABLE;
		pp.spp_pathmtu = (uint32_t)pmtu;
		if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)) < 0) die("SCTP_PEER_ADDR_PARAMS");
	}
	if (usrsctp_connect(so, (struct sockaddr *)&remote, sizeof(remote)) < 0) die("usrsctp_connect");
	emit("{\"event\":\"connected\",\"localPort\":%u}", local_port(so));
	return so;
}

/* Non-blocking mode: the upcall (usrsctp's receive thread, after nearly every packet, e.g. each SACK) bumps a
 * generation; a sender that got EWOULDBLOCK sleeps until the generation moves, then retries. */
static pthread_mutex_t upcall_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t upcall_cond = PTHREAD_COND_INITIALIZER;
static unsigned long upcall_generation;

static void on_upcall(struct socket *so, void *arg, int flags) {
	(void)so, (void)arg, (void)flags;
	pthread_mutex_lock(&upcall_mutex);
	upcall_generation++;
	pthread_cond_broadcast(&upcall_cond);
	pthread_mutex_unlock(&upcall_mutex);
}

static unsigned long generation(void) {
	pthread_mutex_lock(&upcall_mutex);
	unsigned long g = upcall_generation;
	pthread_mutex_unlock(&upcall_mutex);
	return g;
}

static void wait_generation(unsigned long seen) {
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 10 * 1000000;
	if (until.tv_nsec >= 1000000000) { until.tv_sec++; until.tv_nsec -= 1000000000; }
	pthread_mutex_lock(&upcall_mutex);
	while (upcall_generation == seen) {
		if (pthread_cond_timedwait(&upcall_cond, &upcall_mutex, &until) != 0) break;
	}
	pthread_mutex_unlock(&upcall_mutex);
}

static int run_send(uint16_t port, uint16_t udp_remote, uint16_t udp_port, int size, double seconds, int pmtu,
                    int nonblocking) {
	if (udp_port == 0) udp_port = free_udp_port();
	start_stack(udp_port);
	struct socket *so = connect_to(port, udp_remote, pmtu, 0);
	unsigned long would_block = 0;
	if (nonblocking) {
		usrsctp_set_upcall(so, on_upcall, NULL);
		if (usrsctp_set_non_blocking(so, 1) < 0) die("usrsctp_set_non_blocking");
	}
	char *data = calloc(1, (size_t)size);
	struct sctp_sndinfo snd;
	memset(&snd, 0, sizeof(snd));
	snd.snd_ppid = htonl(1);
	uint64_t messages = 0;
	int64_t start = now_ns(), deadline = start + (int64_t)(seconds * 1e9), end;
	for (;;) {
		if ((messages & 15) == 0 && now_ns() >= deadline) break;
		unsigned long seen = nonblocking ? generation() : 0;
		if (usrsctp_sendv(so, data, (size_t)size, NULL, 0, &snd, sizeof(snd), SCTP_SENDV_SNDINFO, 0) < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				would_block++;
				if (nonblocking) wait_generation(seen);
				if (now_ns() >= deadline) break;
				continue;
			}
			if (errno == EINTR) continue;
			die("usrsctp_sendv");
		}
		messages++;
	}
	end = now_ns();
	emit("{\"event\":\"sent\",\"messages\":%llu,\"bytes\":%llu,\"seconds\":%.6f,\"sendCalls\":%llu,"
	     "\"wouldBlock\":%lu}",
	     (unsigned long long)messages, (unsigned long long)messages * (uint64_t)size, (double)(end - start) / 1e9,
	     (unsigned long long)(messages + would_block), would_block);
	if (nonblocking) usrsctp_set_non_blocking(so, 0);
	usrsctp_shutdown(so, SHUT_WR);
	/* Stay until the association is shut down, so that every queued message reaches the sink before we exit. */
	char b[64];
	int flags = 0;
	while (recv_one(so, b, sizeof(b), &flags) > 0) {}
	emit("{\"event\":\"closed\"}");
	_exit(0);
}

static int cmp_i64(const void *a, const void *b) {
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int run_pingpong(uint16_t port, uint16_t udp_remote, uint16_t udp_port, int size, int count, int warmup,
                        double seconds) {
	if (udp_port == 0) udp_port = free_udp_port();
	start_stack(udp_port);
	struct socket *so = connect_to(port, udp_remote, 0, 1);
	char *data = calloc(1, (size_t)size);
	char *buf = malloc(RECV_BUFFER);
	int64_t *rtt = calloc((size_t)count, sizeof(int64_t));
	struct sctp_sndinfo snd;
	memset(&snd, 0, sizeof(snd));
	snd.snd_ppid = htonl(2);
	int done = 0;
	int64_t deadline = now_ns() + (int64_t)(seconds * 1e9);
	for (int i = 0; i < warmup + count; i++) {
		int64_t t0 = now_ns();
		if (t0 > deadline) break;
		if (usrsctp_sendv(so, data, (size_t)size, NULL, 0, &snd, sizeof(snd), SCTP_SENDV_SNDINFO, 0) < 0) die("usrsctp_sendv");
		for (;;) {
			int flags;
			ssize_t n = recv_one(so, buf, RECV_BUFFER, &flags);
			if (n <= 0) die("usrsctp_recvv");
			if (flags & MSG_NOTIFICATION) continue;
			if (flags & MSG_EOR) break;
		}
		if (i >= warmup) rtt[done++] = now_ns() - t0;
	}
	qsort(rtt, (size_t)done, sizeof(int64_t), cmp_i64);
#define PCT(p) (done ? (double)rtt[(int)((done - 1) * (p))] / 1000.0 : 0.0)
	emit("{\"event\":\"rtt\",\"count\":%d,\"minUs\":%.2f,\"p50Us\":%.2f,\"p90Us\":%.2f,\"p99Us\":%.2f,\"maxUs\":%.2f}",
	     done, PCT(0), PCT(0.5), PCT(0.9), PCT(0.99), PCT(1));
	usrsctp_shutdown(so, SHUT_WR);
	_exit(0);
}

int main(int argc, char **argv) {
	const char *mode = argc > 1 ? argv[1] : "";
	long port = 0, sink_port = 0, echo_port = 0, udp_port = 0, udp_remote = 0, size = 1024, count = 2000, warmup = 200,
	     pmtu = 0, nonblocking = 0;
	double seconds = 3;
	for (int i = 2; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		if (!strcmp(k, "--port")) port = atol(v);
		else if (!strcmp(k, "--sink-port")) sink_port = atol(v);
		else if (!strcmp(k, "--echo-port")) echo_port = atol(v);
		else if (!strcmp(k, "--udp-port")) udp_port = atol(v);
		else if (!strcmp(k, "--udp-remote")) udp_remote = atol(v);
		else if (!strcmp(k, "--size")) size = atol(v);
		else if (!strcmp(k, "--count")) count = atol(v);
		else if (!strcmp(k, "--warmup")) warmup = atol(v);
		else if (!strcmp(k, "--pmtu")) pmtu = atol(v);
		else if (!strcmp(k, "--nonblocking")) nonblocking = atol(v);
		else if (!strcmp(k, "--seconds")) seconds = atof(v);
		else {
			fprintf(stderr, "unknown option %s\n", k);
			return 2;
		}
	}
	if (size <= 0 || size > RECV_BUFFER) {
		fprintf(stderr, "--size must be 1..%d\n", RECV_BUFFER);
		return 2;
	}
	if (!strcmp(mode, "server")) return run_server((uint16_t)sink_port, (uint16_t)echo_port, (uint16_t)udp_port);
	if (!strcmp(mode, "send") && port && udp_remote)
		return run_send((uint16_t)port, (uint16_t)udp_remote, (uint16_t)udp_port, (int)size, seconds, (int)pmtu,
		                (int)nonblocking);
	if (!strcmp(mode, "pingpong") && port && udp_remote)
		return run_pingpong((uint16_t)port, (uint16_t)udp_remote, (uint16_t)udp_port, (int)size, (int)count,
		                    (int)warmup, seconds);
	fprintf(stderr, "usage: sctp_bench server|send|pingpong [options] (see the comment at the top of sctp_bench.c)\n");
	return 2;
}
