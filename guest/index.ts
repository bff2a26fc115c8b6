/// <reference path="./types/command.d.ts" preserve="true" />
// wasm-sctp/guest: helpers for guests written in JavaScript or TypeScript and built with
// componentize-js, bundled into the component with the guest's own code. They import the
// `sctp:sockets` and `wasi:*` interfaces of the `command` world (wit/world.wit), whose
// declarations (made by `jco guest-types`) come with this module.
export { errorCode, codeOf, runMain } from './errors.js';
export { getNetwork, ipv4, formatAddress } from './network.js';
export { wait, waitWithTimeout, blocking, pollableOf, close } from './wait.js';
export { socket, bind, listen, connect, sendAll, receiveSome, text, bytes } from './socket.js';
