import { ShlClientError } from '../errors.js';
import { isBlockedAddress, isIpLiteral, isLocalhostName } from './blocked-address.js';
import { defaultHostLookup, type HostLookup, isServerRuntime } from './host-lookup.js';
import { readBodyCapped } from './read-body.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
/** Enough for a manifest with several embedded IPS files; far below what would hurt a server. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
const MAX_REDIRECTS = 5;

/** How the client talks to the network. Every request of `resolve`, `poll` and SHC verification uses it. */
export interface FetchGuardOptions {
  /** The fetch to use (defaults to the global one). Injected for tests, proxies, or custom agents. */
  fetch?: typeof fetch;
  /** Whole-request time limit (all redirects and the body). Default 30 s. */
  timeoutMs?: number;
  /** Largest response body accepted, counted while streaming. Default 32 MiB. */
  maxResponseBytes?: number;
  /** Aborts every request; the signal's reason is rethrown as is. */
  signal?: AbortSignal;
  /**
   * Allow `http:` URLs. Default: false in Node (a server-side receiver), true in browsers, where the page's
   * mixed-content rules already decide.
   */
  allowHttp?: boolean;
  /**
   * Allow loopback, private, link-local and other internal addresses. Default: false in Node (SSRF: the link
   * maker chooses every URL), true in browsers, where there is no DNS to check and the browser's own
   * Private Network Access rules apply.
   */
  allowPrivateNetwork?: boolean;
  /**
   * Resolves host names for the private-address check. Default: `node:dns` lookup in Node, none in browsers.
   * The check runs before connecting; a DNS answer that changes between the check and the connection
   * (rebinding) is not caught, so a receiver on a sensitive network should also egress-filter.
   */
  lookup?: HostLookup;
}

export interface GuardedRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface GuardedResponse {
  status: number;
  headers: Headers;
  /** The URL that answered, after redirects. */
  url: string;
  body: Uint8Array;
}

interface Policy {
  allowHttp: boolean;
  allowPrivateNetwork: boolean;
  lookup: HostLookup | undefined;
}

const policyOf = (options: FetchGuardOptions): Policy => {
  const server = isServerRuntime();
  return {
    allowHttp: options.allowHttp ?? !server,
    allowPrivateNetwork: options.allowPrivateNetwork ?? !server,
    lookup: options.lookup ?? defaultHostLookup(),
  };
};

const blocked = (message: string) => new ShlClientError('SHL_BLOCKED_ADDRESS', message);

/** Throws `SHL_BLOCKED_ADDRESS` when the policy forbids the URL; resolves the host when it can. */
const checkUrl = async (url: URL, policy: Policy, signal: AbortSignal): Promise<void> => {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw blocked(`only https URLs are fetched, not ${url.protocol}`);
  }
  if (url.protocol === 'http:' && !policy.allowHttp) {
    throw blocked(`refusing a non-HTTPS URL (${url.origin}); set allowHttp to permit it`);
  }
  if (policy.allowPrivateNetwork) return;
  const host = url.hostname;
  const hint = 'set allowPrivateNetwork to permit it';
  if (isLocalhostName(host)) throw blocked(`refusing ${host}: it is this machine; ${hint}`);
  if (isIpLiteral(host)) {
    if (isBlockedAddress(host)) throw blocked(`refusing ${host}: not a public address; ${hint}`);
    return;
  }
  // A server runtime with no resolver (not Node, or an old one) cannot prove a name is public: fail closed.
  // Browsers never get here with the defaults, which allow private networks there.
  if (!policy.lookup) throw blocked(`cannot check where ${host} points (no DNS lookup here); ${hint}`);
  let addresses: string[];
  try {
    addresses = await abortable(policy.lookup(host), signal);
  } catch (cause) {
    if (signal.aborted) throw cause;
    throw new ShlClientError('SHL_NETWORK_ERROR', `cannot resolve ${host}`, { cause });
  }
  // Refuse when ANY answer is internal: the connection may pick any of them.
  const internal = addresses.find((address) => isBlockedAddress(address));
  if (internal !== undefined) throw blocked(`refusing ${host}: it resolves to ${internal}; ${hint}`);
};

const abortable = <T>(promise: Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });

/**
 * One HTTP exchange under the receiver's safety rules: scheme and address checks on every hop (redirects
 * are followed by hand, `redirect: 'manual'`, so a public URL cannot bounce to an internal one), a time
 * limit over the whole exchange, and a size cap while reading. Any status is returned; callers decide what
 * a status means. Network failures become `SHL_NETWORK_ERROR`; the caller's abort reason is rethrown.
 */
export const guardedFetch = async (
  target: string,
  request: GuardedRequest,
  options: FetchGuardOptions = {},
): Promise<GuardedResponse> => {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const policy = policyOf(options);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  // With nothing to check, let the runtime follow redirects (browsers cannot read a manual redirect).
  const checking = !policy.allowHttp || !policy.allowPrivateNetwork;

  let url = parseUrl(target);
  let { method, body } = request;
  try {
    for (let hop = 0; ; hop++) {
      await checkUrl(url, policy, signal);
      const init: RequestInit = {
        method,
        redirect: checking ? 'manual' : 'follow',
        signal,
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      };
      if (request.headers) init.headers = request.headers;
      if (body !== undefined) init.body = body;
      const response = await doFetch(url.href, init);
      const location = response.headers.get('location');
      if (checking && isRedirect(response.status) && location !== null) {
        await response.body?.cancel().catch(() => undefined);
        if (hop >= MAX_REDIRECTS) {
          throw new ShlClientError(
            'SHL_NETWORK_ERROR',
            `more than ${MAX_REDIRECTS} redirects from ${target}`,
          );
        }
        url = parseUrl(location, url);
        // Fetch standard: 303, and 301/302 after POST, continue as GET without a body.
        if (response.status === 303 || (method === 'POST' && response.status <= 302)) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      if (response.type === 'opaqueredirect') {
        throw new ShlClientError(
          'SHL_INVALID_RESPONSE',
          'the server redirected, and this runtime hides where',
        );
      }
      return {
        status: response.status,
        headers: response.headers,
        url: url.href,
        body: await readBodyCapped(response, maxBytes),
      };
    }
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof ShlClientError) throw error;
    if (timeout.aborted) {
      throw new ShlClientError('SHL_NETWORK_ERROR', `no answer from ${url.origin} within ${timeoutMs} ms`, {
        cause: error,
      });
    }
    throw new ShlClientError('SHL_NETWORK_ERROR', `request to ${url.origin} failed: ${describe(error)}`, {
      cause: error,
    });
  }
};

const isRedirect = (status: number) =>
  status === 301 || status === 302 || status === 303 || status === 307 || status === 308;

const parseUrl = (text: string, base?: URL): URL => {
  try {
    return new URL(text, base);
  } catch (cause) {
    throw new ShlClientError('SHL_INVALID_RESPONSE', `not a URL: ${text}`, { cause });
  }
};

const describe = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
};
