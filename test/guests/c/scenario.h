// What the C test guests' scenarios share besides their reports: the scenario the first argument
// names, the error code of the last call that failed, and the port sockets of one guest reach each
// other through.
#ifndef SCENARIO_H
#define SCENARIO_H

#include "report.h"

typedef struct scenario {
  const char *name;
  void (*run)(void);
} scenario_t;

/** Runs the scenario the first argument names; ends the guest with exit code 1 for any other name. */
void run_scenario(const scenario_t *scenarios, size_t count);

/** Where the calls of the scenarios write their error code. */
extern sctp_error_t err;

/** `key`: "ok", or the name of the error code `call` (which writes `err`) failed with. */
#define CODE(j, key, call) do { bool ok_ = (call); put_str(j, key, code_of(ok_, err)); } while (0)

/** This host's UDP encapsulation port (0: none), the remote port of a peer inside the same guest. */
uint16_t encaps(void);

#endif
