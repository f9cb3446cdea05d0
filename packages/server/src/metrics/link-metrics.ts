/** How a manifest request was answered, as `shlkit_manifest_requests_total{outcome}` counts it. */
export type ManifestOutcome = 'ok' | 'not-found' | 'passcode-required' | 'wrong-passcode' | 'rate-limited';

/**
 * What the link features tell the metrics (metrics/metrics.ts). Optional in `LinkDeps`, so that code
 * driving the services without an app (scripts, the demo link's tests) needs none.
 */
export interface LinkMetrics {
  /** A link was created (`shlkit_links_created_total`). */
  linkCreated(): void;
  /** A manifest request was answered (`shlkit_manifest_requests_total{outcome}`). */
  manifestAnswered(outcome: ManifestOutcome): void;
  /**
   * A wrong passcode spent an attempt (`shlkit_passcode_failures_total`); `lockedOut` when it was the
   * last one and the link is now locked (`shlkit_lockouts_total`).
   */
  passcodeFailed(lockedOut: boolean): void;
}
