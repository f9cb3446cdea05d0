// @shlkit/client: receive SMART Health Links, isomorphic (Node >= 20.19 and browsers). Depends on @shlkit/core.

export { isShlClientError, ShlClientError, type ShlClientErrorCode } from './errors.js';
export { isBlockedAddress } from './fetch/blocked-address.js';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  type FetchGuardOptions,
} from './fetch/guarded-fetch.js';
export type { HostLookup } from './fetch/host-lookup.js';
export { DEFAULT_POLL_INTERVAL_MS, type PollOptions, poll } from './poll/poll.js';
export { resolve } from './resolve/resolve.js';
export type { ResolvedFile, ResolvedLink, ResolveOptions } from './resolve/types.js';
export { isWithdrawn } from './resolve/withdrawn.js';
export { jwksUrl } from './shc/issuer-keys.js';
export {
  type SmartHealthCardFailure,
  type SmartHealthCardVerification,
  type VerifySmartHealthCardOptions,
  verifySmartHealthCard,
  verifySmartHealthCards,
} from './shc/verify-smart-health-card.js';
