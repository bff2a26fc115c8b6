export { sctp, sctpCreateSocket } from './imports.js';
export { hostConfig, type HostOptions } from './config.js';
export {
  checkNetworkAccess, networkPolicy, NetworkPolicy, DEFAULT_POLICY, parseRule,
  type Direction, type PolicyRules, type PolicySetting,
} from './policy.js';
export { transpileComponent, type TranspiledComponent } from './transpile.js';
export { runComponent } from './run.js';
