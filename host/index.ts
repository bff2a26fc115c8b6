export { sctp, sctpCreateSocket } from './imports.js';
export { hostConfig, type HostOptions } from './config.js';
export { transpileComponent, type TranspiledComponent } from './transpile.js';
export { runComponent } from './run.js';
