// Builds the native addon when the package is installed (npm runs this as its `install` script).
// It needs what a C++ N-API addon over usrsctp needs: usrsctp's header and library (Debian:
// libusrsctp-dev), a C++ compiler and make, and Node's headers. Debian's nodejs package puts
// those in /usr/include/node; node-gyp would otherwise download them, so they are used when npm
// names no other `nodedir` and they belong to the running Node.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const onPath = (command) => (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));

const missing = [];
if (!['/usr/include', '/usr/local/include'].some((dir) => existsSync(join(dir, 'usrsctp.h')))) missing.push('libusrsctp-dev');
if (!onPath('c++') && !onPath('g++')) missing.push('g++');
if (!onPath('make')) missing.push('make');
if (missing.length) {
  console.error(`wasm-sctp: cannot build the native addon: ${missing.join(', ')} missing. On Debian: apt-get install ${missing.join(' ')}; then npm rebuild wasm-sctp`);
  process.exit(1);
}

/** Whether /usr/include/node holds the headers of the Node that runs this script. */
function systemHeadersMatch() {
  try {
    const header = readFileSync('/usr/include/node/node_version.h', 'utf8');
    const part = (name) => header.match(new RegExp(`#define NODE_${name}_VERSION (\\d+)`))?.[1];
    return `${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}` === process.versions.node;
  } catch {
    return false;
  }
}

const args = ['rebuild'];
if (!process.env.npm_config_nodedir && systemHeadersMatch()) args.push('--nodedir=/usr');
// npm hands its own node-gyp to install scripts; outside npm, the one on PATH.
const nodeGyp = process.env.npm_config_node_gyp;
const result = nodeGyp
  ? spawnSync(process.execPath, [nodeGyp, ...args], { stdio: 'inherit' })
  : spawnSync('node-gyp', args, { stdio: 'inherit' });
if (result.status !== 0) {
  console.error('wasm-sctp: building the native addon failed (see above)');
  process.exit(1);
}
