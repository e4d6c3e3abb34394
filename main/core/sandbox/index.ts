/**
 * The local Itaú sandbox: a real HTTPS/mTLS server that behaves like Itaú production (STS + Pix API), its
 * persistent state (shared between processes), a simulated payer and the token sheet writer. No electron import.
 */
export { startSandbox, type RunningSandbox, type SandboxOptions } from './server';
export { openSandboxState, sandboxDir, SandboxState, type SandboxStateOptions, type SandboxStats } from './state';
export { writeTokenSheet, type TokenSheetData } from './token-sheet';
export { FaultInjector, type FaultEffect, type FaultSpec } from './faults';
export type { IssuedToken, CertificateRecord, ClientInfo } from './sts-store';
export { ACCESS_TOKEN_TTL_S, SANDBOX_SCOPES } from './sts-store';
export type { PayOptions, PaymentResult, SeedPixOptions } from './payer';
export { sandboxMigrations } from './migrations';
export {
  controlRequest,
  controlResult,
  findLiveInstance,
  instanceFile,
  pidAlive,
  readInstanceFile,
  removeInstanceFile,
  writeInstanceFile,
  type SandboxInstance,
} from './instance';
export * as sandboxSchemas from './response-schemas';
