// usrsctp corrupts its heap when one stack holds both ends of associations that are set up and
// closed in a loop: within a few thousand cycles a receive thread and the timer thread (freeing a
// closed socket's inpcb) free the same memory ("double free or corruption", SIGSEGV). Found by
// test/leaks.test.ts; this program shows it without this project's code, to report upstream.
//
//   gcc -O1 -g -o /tmp/usrsctp-churn scripts/usrsctp-churn-repro.c -lusrsctp -lpthread
//   /tmp/usrsctp-churn [cycles=8000] [udp-port=9977] [upcall=0|1]
//
// Seen on 2 CPUs with Debian's libusrsctp 0.9.5.0 (3 of 4 runs of 8,000 cycles crash) and with
// usrsctp master fd070e05 built from source (crashes too, with or without an upcall; there a
// blocking connect also fails now and then with EINPROGRESS or EALREADY, which ends a run early).
// Backtraces: the UDP receive thread in sctp_common_input_processing (freeing mbufs, or the
// sorele of its upcall_socket reference) against the timer thread in sctp_inpcb_free (the INPKILL
// timer of a closed socket). With the two ends in two processes, 4 runs of 3,000 cycles through
// this project's addon showed nothing.
#include <usrsctp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int with_upcall;

static void upcall(struct socket* so, void* arg, int flags) {
  (void)so;
  (void)arg;
  (void)flags;
}

static struct socket* make(void) {
  struct socket* s = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
  if (s == NULL) {
    perror("usrsctp_socket");
    exit(1);
  }
  if (with_upcall) usrsctp_set_upcall(s, upcall, NULL);
  return s;
}

int main(int argc, char** argv) {
  int cycles = argc > 1 ? atoi(argv[1]) : 8000;
  int udp = argc > 2 ? atoi(argv[2]) : 9977;
  with_upcall = argc > 3 ? atoi(argv[3]) : 0;
  usrsctp_init((uint16_t)udp, NULL, NULL);

  struct sockaddr_in lo;
  memset(&lo, 0, sizeof lo);
  lo.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &lo.sin_addr);
  struct socket* listener = make();
  if (usrsctp_bind(listener, (struct sockaddr*)&lo, sizeof lo) < 0 || usrsctp_listen(listener, 128) < 0) {
    perror("listener");
    return 1;
  }
  struct sockaddr* addrs;
  if (usrsctp_getladdrs(listener, 0, &addrs) < 1) return 1;
  struct sockaddr_in server;
  memcpy(&server, addrs, sizeof server);
  usrsctp_freeladdrs(addrs);

  for (int i = 0; i < cycles; i++) {
    struct socket* client = make();
    struct sctp_udpencaps encaps;
    memset(&encaps, 0, sizeof encaps);
    encaps.sue_address.ss_family = AF_INET;
    encaps.sue_port = htons((uint16_t)udp);  // the peer is this same stack
    usrsctp_setsockopt(client, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &encaps, sizeof encaps);
    struct sctp_rtoinfo rto = { .srto_initial = 100, .srto_max = 400, .srto_min = 50 };
    usrsctp_setsockopt(client, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof rto);
    if (usrsctp_bind(client, (struct sockaddr*)&lo, sizeof lo) < 0 ||
        usrsctp_connect(client, (struct sockaddr*)&server, sizeof server) < 0) {
      perror("client");  // master sometimes fails a blocking connect with EINPROGRESS/EALREADY
      return 1;
    }
    struct socket* accepted = usrsctp_accept(listener, NULL, NULL);
    if (accepted == NULL) {
      perror("accept");
      return 1;
    }
    if (with_upcall) usrsctp_set_upcall(accepted, upcall, NULL);
    usrsctp_close(accepted);
    usrsctp_close(client);
    if (i % 1000 == 0) {
      printf("%d\n", i);
      fflush(stdout);
    }
  }
  printf("%d cycles, no crash\n", cycles);
  return 0;
}
