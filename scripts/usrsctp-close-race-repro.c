// usrsctp frees a socket in usrsctp_close while its own threads may still be at work on the socket's
// associations: they test whether the endpoint is gone without the locks close takes, and go on with the
// freed socket. Under AddressSanitizer this shows in two ways: the receive thread
// (sctp_common_input_processing) takes a reference to the socket after sofree() has decided to free it
// and frees it a second time when it lets go (double free); the timer thread's sctp_free_assoc reads the
// freed socket (use after free). Found by this project's test suites under AddressSanitizer (host processes
// closing connected sockets while their peers, in other processes, still sent); this program shows it
// without this project's code, to report upstream. The host avoids it by closing a socket only once it
// has no association left (src/native/closer.h).
//
//   gcc -O1 -g -o /tmp/usrsctp-close-race scripts/usrsctp-close-race-repro.c -lusrsctp -lpthread
//   /tmp/usrsctp-close-race [cycles=3000] [udp-port=9979]
//
// Two processes, each with its own stack: a server that queues messages on every association it accepts and
// closes it at once, and a client that connects and closes at once, while those messages arrive. With Debian's
// libusrsctp 0.9.5.0, 2 of 3 runs of 3,000 cycles ended with the server's heap corrupted ("malloc(): unsorted
// double linked list corrupted"; "malloc(): unaligned tcache chunk detected" and SIGSEGV are other forms) and the
// third hung; against a usrsctp built with -fsanitize=address (add it here too) the first report comes within a
// few hundred cycles.
#include <usrsctp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static struct sockaddr_in loopback(uint16_t port) {
  struct sockaddr_in sin;
  memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
  return sin;
}

static struct socket* make(void) {
  struct socket* s = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
  if (s == NULL) {
    perror("usrsctp_socket");
    exit(1);
  }
  return s;
}

// Accepts associations for ever; sends each one messages until its buffer is full, then closes it.
static void serve(uint16_t udp, int pipe_out) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // dies with the client
  usrsctp_init(udp, NULL, NULL);
  struct sockaddr_in any = loopback(0);
  struct socket* listener = make();
  if (usrsctp_bind(listener, (struct sockaddr*)&any, sizeof any) < 0 || usrsctp_listen(listener, 128) < 0) {
    perror("listener");
    exit(1);
  }
  struct sockaddr* addrs;
  if (usrsctp_getladdrs(listener, 0, &addrs) < 1) exit(1);
  uint16_t port = ((struct sockaddr_in*)addrs)->sin_port;
  usrsctp_freeladdrs(addrs);
  if (write(pipe_out, &port, sizeof port) != sizeof port) exit(1);
  char data[1024];
  memset(data, 'x', sizeof data);
  for (;;) {
    struct socket* conn = usrsctp_accept(listener, NULL, NULL);
    if (conn == NULL) continue;
    usrsctp_set_non_blocking(conn, 1);
    for (int i = 0; i < 64; i++) {
      if (usrsctp_sendv(conn, data, sizeof data, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0) < 0) break;
    }
    usrsctp_close(conn);
  }
}

int main(int argc, char** argv) {
  int cycles = argc > 1 ? atoi(argv[1]) : 3000;
  int udp = argc > 2 ? atoi(argv[2]) : 9979;
  int fds[2];
  if (pipe(fds) < 0) return 1;
  pid_t server = fork();
  if (server == 0) serve((uint16_t)(udp + 1), fds[1]);
  uint16_t port;
  if (read(fds[0], &port, sizeof port) != sizeof port) return 1;

  usrsctp_init((uint16_t)udp, NULL, NULL);
  struct sockaddr_in lo = loopback(0);
  struct sockaddr_in to = loopback(0);
  to.sin_port = port;
  int status = 0;
  for (int i = 0; i < cycles; i++) {
    struct socket* client = make();
    struct sctp_udpencaps encaps;
    memset(&encaps, 0, sizeof encaps);
    encaps.sue_address.ss_family = AF_INET;
    encaps.sue_port = htons((uint16_t)(udp + 1));
    usrsctp_setsockopt(client, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &encaps, sizeof encaps);
    struct sctp_initmsg init = { .sinit_max_attempts = 2, .sinit_max_init_timeo = 500 };
    usrsctp_setsockopt(client, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof init);
    int how;
    if (waitpid(server, &how, WNOHANG) == server) {
      if (WIFSIGNALED(how)) fprintf(stderr, "the server died of signal %d\n", WTERMSIG(how));
      return 1;
    }
    if (usrsctp_bind(client, (struct sockaddr*)&lo, sizeof lo) < 0 ||
        usrsctp_connect(client, (struct sockaddr*)&to, sizeof to) < 0) {
      perror("client");  // a server that crashed answers no more
      status = 1;
      break;
    }
    usrsctp_close(client);  // the server's messages are on their way
    if (i % 500 == 0) {
      printf("%d\n", i);
      fflush(stdout);
    }
  }
  int how;
  if (waitpid(server, &how, WNOHANG) == server && WIFSIGNALED(how)) {
    fprintf(stderr, "the server died of signal %d\n", WTERMSIG(how));
    status = 1;
  }
  kill(server, SIGKILL);
  waitpid(server, NULL, 0);
  if (status == 0) printf("%d cycles, no crash\n", cycles);
  return status;
}
