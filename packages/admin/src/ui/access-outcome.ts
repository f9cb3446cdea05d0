import type { Access } from '@shlkit/api';

/** How an access ended, in words (the access log and the dashboard). */
export const ACCESS_OUTCOMES: Readonly<Record<Access['outcome'], string>> = {
  ok: 'served',
  'wrong-passcode': 'wrong passcode',
  'passcode-required': 'no passcode given',
  inactive: 'refused (link not active)',
  'rate-limited': 'refused (too many requests)',
  'wrong-method': 'refused (wrong method)',
};
