// The socket options and the remaining functions of sctp:sockets, called from a C guest: a port of
// the options test guest (test/guests/options/options.ts), and a live association between two
// sockets of its own for what needs one. One JSON line per observation, keys as in the TypeScript
// guest, for test/c-guests.test.ts.
//   calls local   set and read back every option, and the errors of wrong values (local.c)
//   calls live    addresses, status, paths, scheduler, reconfiguration and AUTH on a live association (live.c)
#include "calls.h"

bool exports_wasi_cli_run_run(void) {
  static const scenario_t scenarios[] = { { "local", local_scenario }, { "live", live_scenario } };
  run_scenario(scenarios, sizeof scenarios / sizeof scenarios[0]);
  return true;
}
