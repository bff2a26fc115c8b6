export { sctp, sctpCreateSocket } from './imports.js';
export { hostConfig, type HostOptions } from './config.js';
export {
  checkNetworkAccess, networkPolicy, NetworkPolicy, DEFAULT_POLICY, parseRule,
  type Direction, type PolicyRules, type PolicySetting,
} from './policy.js';
export {
  transpileComponent, hostMappings, cacheDir, checkShimVersion, RunError, type TranspiledComponent,
} from './transpile.js';
export { runComponent, type RunOptions, type RunResult } from './run.js';
export { policyDenials, connectRefusals, type PolicyDenial, type ConnectRefusal } from './diagnostics.js';
