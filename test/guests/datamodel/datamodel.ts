// A test guest for SCTP's data model, seen from inside a component: it runs one scenario, mostly
// between sockets of its own, and prints one JSON line per observation for test/ to check.
//   datamodel events        every notification kind, each field
//   datamodel associations  three associations on one one-to-many socket: peeloff, abort, eof, autoclose
//   datamodel ordering      unordered messages overtake ordered ones held back by loss; ordered streams stay in order
//   datamodel large         4 MiB whole, pieces on request, explicit EOR, NXTINFO, default-sndinfo, per-message INIT
//   datamodel backpressure  a receiver that stops reading blocks the sender; nothing is lost
//   datamodel interleaving  I-DATA (RFC 8260): small messages pass a large one only when both ends enable it
//   datamodel auth-mismatch two ends whose shared keys differ: the association fails, visibly
//   datamodel wire-server   a one-to-many server reporting every notification until its association is lost
//   datamodel ext-client <address> <port>   AUTH, reconfiguration, PR-SCTP, I-DATA against `peer.js server --extensions`
// Each scenario is in the file of its topic: events.ts, associations.ts, messages.ts, extensions.ts.
import { exit } from 'wasi:cli/exit@0.2.12';
import { parseArgs } from '../../../guest-examples/lib/args.js';
import { runMain } from 'wasm-sctp/guest';
import { associations, ordering } from './associations.js';
import { events, wireServer } from './events.js';
import { authMismatch, extClient, interleaving } from './extensions.js';
import { backpressure, large } from './messages.js';

export const run = {
  run() {
    runMain(() => {
      const [scenario, address, port] = parseArgs().positional;
      const scenarios: Record<string, () => void> = {
        events, associations, ordering, large, backpressure, interleaving, 'auth-mismatch': authMismatch, 'wire-server': wireServer,
        'ext-client': () => extClient(address, Number(port)),
      };
      const f = scenarios[scenario];
      if (!f) {
        console.error(`unknown scenario ${scenario}`);
        exit({ tag: 'err', val: undefined });
      }
      f();
    });
    exit({ tag: 'ok', val: undefined });
  },
};

