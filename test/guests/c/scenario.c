#include "scenario.h"
#include <string.h>

sctp_error_t err;

void run_scenario(const scenario_t *scenarios, size_t count) {
  const char **positional;
  const char *name = guest_positional(&positional) > 0 ? positional[0] : "";
  for (size_t i = 0; i < count; i++) {
    if (strcmp(name, scenarios[i].name) == 0) {
      scenarios[i].run();
      return;
    }
  }
  guest_fail("unknown scenario %s\n", name);
}

uint16_t encaps(void) {
  uint16_t port;
  return sctp_sockets_sctp_udp_encapsulation_port(&port) ? port : 0;
}
