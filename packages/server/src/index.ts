// @shlkit/server: the SMART Health Links sharing server. Public surface for the CLI and other packages' tests.

export { type AppDeps, createApp, type ShlApp } from './app.js';
export { createAdminUser } from './auth/admin-users.js';
export { type ApiKeyView, createApiKey, listApiKeys, revokeApiKey } from './auth/api-keys.js';
export { type Clock, systemClock } from './clock.js';
export {
  type Config,
  type ConfigWarning,
  loadConfig,
  MEMORY_DATA_DIR,
  type ParsedConfig,
  parseConfig,
} from './config.js';
export { migrateToLatest } from './db/migrations.js';
export { isEmbedded, openDatabase } from './db/open-database.js';
export type { Database } from './db/schema.js';
export { type ErrorBody, HTTP_STATUS, isServerError, ServerError, type ServerErrorCode } from './errors.js';
export type { LinkStatus } from './access-rule/access-rule.js';
export { generatedKekWarning } from './key-wrapping/kek-warning.js';
export { createKeyWrapper, kekId, type KeyRing, type KeyWrapper } from './key-wrapping/key-wrapper.js';
export { type KekSource, type LoadedKeyRing, loadKeyRing } from './key-wrapping/load-kek.js';
export { type RewrapReport, rewrapLinkKeys } from './key-wrapping/rewrap-link-keys.js';
export type { LinkView } from './links/link-view.js';
export { type RunningServer, type StartServerOptions, startServer } from './server.js';
export { VIEWER_CSP } from './viewer-hosting/viewer-hosting.js';
