// Links every function of the generated glue (the build exports them all), so that the core module
// imports everything the glue declares: test/c-guests.test.ts compares those imports, name and core
// signature, with the dummy module jco makes for the same world. It is never run.
#include "command.h"

bool exports_wasi_cli_run_run(void) {
  return true;
}
