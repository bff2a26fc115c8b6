// A lossy link in user space: forwards Ethernet frames between two interfaces (AF_PACKET sockets),
// dropping and delaying some of them on the way. It stands in for `tc qdisc ... netem`, which the
// kernels these tests run on may lack (CONFIG_NET_SCH_NETEM off).
//
//   relay <interface-a> <interface-b> [seed]
//
// Both directions get the same impairment, set and changed with lines on stdin:
//   loss <percent>      drop this share of frames (100: the link is cut)
//   delay <ms>          hold frames this long ...
//   reorder <percent>   ... except this share, sent at once, so they overtake the held ones
//   stats               print {"forwarded":N,"dropped":N,"delayed":N,"reordered":N}
// Each command is answered with one JSON line. netem's "delay D reorder R%" means the same: R % of
// frames go at once, the others after D (netem's correlation parameter has no counterpart here).
// Frames are forwarded whole, ARP included, so the two ends see one Ethernet segment. It prints
// {"ready":true} once both sockets are open, and exits when stdin closes.
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_FRAME 65536
#define MAX_HELD 65536

struct held {
  uint64_t due_ns;
  int out;  // index of the socket to send on
  size_t len;
  unsigned char *data;
};

static struct held queue[MAX_HELD];
static size_t head, count;
static double loss_pct, reorder_pct;
static uint64_t delay_ns;
static unsigned long long forwarded, dropped, delayed, reordered, overflow;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

// xorshift64*: a seeded generator, so that a failing run can be repeated.
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static double uniform_pct(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (double)((rng_state * 2685821657736338717ull) >> 11) / (double)(1ull << 53) * 100.0;
}

static int open_packet_socket(const char *name) {
  int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
  if (fd < 0) { perror("socket(AF_PACKET)"); exit(1); }
  unsigned index = if_nametoindex(name);
  if (index == 0) { fprintf(stderr, "relay: no interface %s\n", name); exit(1); }
  struct sockaddr_ll sll;
  memset(&sll, 0, sizeof(sll));
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ALL);
  sll.sll_ifindex = (int)index;
  if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) { perror("bind(AF_PACKET)"); exit(1); }
  // Frames addressed to the other end's MAC must reach us too.
  struct packet_mreq mreq;
  memset(&mreq, 0, sizeof(mreq));
  mreq.mr_ifindex = (int)index;
  mreq.mr_type = PACKET_MR_PROMISC;
  if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) < 0) { perror("PACKET_MR_PROMISC"); exit(1); }
  int size = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
  return fd;
}

static void send_frame(int fd, const unsigned char *data, size_t len) {
  // A cut or congested interface loses the frame, as a wire would.
  if (send(fd, data, len, MSG_DONTWAIT) >= 0) forwarded++;
  else dropped++;
}

static void hold(int out, const unsigned char *data, size_t len, uint64_t due) {
  if (count == MAX_HELD) { overflow++; dropped++; return; }
  struct held *h = &queue[(head + count) % MAX_HELD];
  h->data = malloc(len);
  if (h->data == NULL) { dropped++; return; }
  memcpy(h->data, data, len);
  h->len = len;
  h->out = out;
  h->due_ns = due;
  count++;
  delayed++;
}

static void release_due(int fds[2]) {
  uint64_t now = now_ns();
  // Every held frame waits the same delay, so the queue is in due order.
  while (count > 0 && queue[head].due_ns <= now) {
    struct held *h = &queue[head];
    send_frame(fds[h->out], h->data, h->len);
    free(h->data);
    head = (head + 1) % MAX_HELD;
    count--;
  }
}

static void command(char *line) {
  char name[32];
  double value = 0;
  int n = sscanf(line, "%31s %lf", name, &value);
  if (n < 1) return;
  if (strcmp(name, "stats") == 0) {
    printf("{\"forwarded\":%llu,\"dropped\":%llu,\"delayed\":%llu,\"reordered\":%llu,\"overflow\":%llu}\n", forwarded,
           dropped, delayed, reordered, overflow);
  } else if (n == 2 && strcmp(name, "loss") == 0 && value >= 0 && value <= 100) {
    loss_pct = value;
    printf("{\"loss\":%g}\n", value);
  } else if (n == 2 && strcmp(name, "delay") == 0 && value >= 0 && value <= 10000) {
    delay_ns = (uint64_t)(value * 1e6);
    printf("{\"delay\":%g}\n", value);
  } else if (n == 2 && strcmp(name, "reorder") == 0 && value >= 0 && value <= 100) {
    reorder_pct = value;
    printf("{\"reorder\":%g}\n", value);
  } else {
    printf("{\"error\":\"unknown command\"}\n");
  }
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: relay <interface-a> <interface-b> [seed]\n");
    return 2;
  }
  if (argc > 3) rng_state = strtoull(argv[3], NULL, 10) | 1;
  int fds[2] = {open_packet_socket(argv[1]), open_packet_socket(argv[2])};
  printf("{\"ready\":true}\n");
  fflush(stdout);

  static unsigned char frame[MAX_FRAME];
  char input[256];
  size_t input_len = 0;
  for (;;) {
    int timeout = -1;
    if (count > 0) {
      uint64_t now = now_ns();
      uint64_t due = queue[head].due_ns;
      timeout = due <= now ? 0 : (int)((due - now + 999999) / 1000000);
    }
    struct pollfd p[3] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    if (poll(p, 3, timeout) < 0 && errno != EINTR) { perror("poll"); return 1; }
    for (int i = 0; i < 2; i++) {
      if (!(p[i].revents & POLLIN)) continue;
      for (;;) {
        struct sockaddr_ll from;
        socklen_t fromlen = sizeof(from);
        ssize_t len = recvfrom(fds[i], frame, sizeof(frame), MSG_DONTWAIT, (struct sockaddr *)&from, &fromlen);
        if (len < 0) break;
        // A packet socket also sees what it sent itself.
        if (from.sll_pkttype == PACKET_OUTGOING) continue;
        int out = 1 - i;
        if (loss_pct > 0 && uniform_pct() < loss_pct) { dropped++; continue; }
        if (delay_ns > 0 && !(reorder_pct > 0 && uniform_pct() < reorder_pct)) {
          hold(out, frame, (size_t)len, now_ns() + delay_ns);
          continue;
        }
        if (delay_ns > 0) reordered++;
        send_frame(fds[out], frame, (size_t)len);
      }
    }
    if (p[2].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(STDIN_FILENO, input + input_len, sizeof(input) - 1 - input_len);
      if (n <= 0) return 0;
      input_len += (size_t)n;
      input[input_len] = '\0';
      char *nl;
      while ((nl = strchr(input, '\n')) != NULL) {
        *nl = '\0';
        command(input);
        size_t used = (size_t)(nl - input) + 1;
        memmove(input, nl + 1, input_len - used + 1);
        input_len -= used;
      }
      if (input_len == sizeof(input) - 1) input_len = 0;  // a line too long to be a command
    }
    release_due(fds);
  }
}
