// The server's configuration: every setting is declared once, in `config/config.schema.ts` (variable, type,
// default, limits, description, secret); parsing, the `Config` type and the README table come from it.
export { type Config, CONFIG_SCHEMA, MEMORY_DATA_DIR } from './config/config.schema.js';
export { type Environment, loadConfig, type ParsedConfig, parseConfig } from './config/load-config.js';
export { checkPublicBaseUrl, LINK_PATH_LENGTH, withPublicBaseUrl } from './config/public-base-url.js';
export type { ConfigWarning } from './config/unknown-variables.js';
