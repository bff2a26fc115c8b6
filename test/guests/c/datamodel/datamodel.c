// A C port of the data-model test guest (test/guests/datamodel/datamodel.ts): SCTP's data model
// seen from a C guest, between sockets of its own; one JSON line per observation, with the keys of
// the TypeScript guest, for test/c-guests.test.ts.
//   datamodel events        every notification kind, each field
//   datamodel associations  three associations on one one-to-many socket: sendall, peeloff, abort, eof, autoclose
//   datamodel large         4 MiB whole, pieces on request, NXTINFO, RCVINFO, default-sndinfo, explicit EOR, per-message INIT
//   datamodel errors        the error codes of wrong use
// Each scenario is in the file of its topic: events.c, associations.c, messages.c, errors.c.
#include "datamodel.h"

bool exports_wasi_cli_run_run(void) {
  static const scenario_t scenarios[] = {
    { "events", events }, { "associations", associations }, { "large", large }, { "errors", errors },
  };
  run_scenario(scenarios, sizeof scenarios / sizeof scenarios[0]);
  return true;
}
