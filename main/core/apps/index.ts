/**
 * API apps: the partner systems (ERP, plugin, POS) that use the local OpenPix-compatible API with an AppID.
 * No electron import.
 */
export { ApiAppService, API_APP_TYPES, API_SCOPES, DEFAULT_RATE_LIMIT_PER_MIN, ipAllowed, normaliseIpEntry } from './app-service';
export type { AuthenticatedApp, CreateAppInput, UpdateAppInput } from './app-service';
export { decodeAppId, encodeAppId } from './app-id';
