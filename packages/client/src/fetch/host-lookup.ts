/**
 * Resolves a host name to every address it has, so that the SSRF guard can judge what the request would
 * reach rather than the name. Pluggable: callers may pass their own (a custom resolver, or a fixed answer
 * in tests).
 *
 * Why `process.getBuiltinModule` and not an import of node:dns: this package is isomorphic and one entry point
 * serves Node and browsers. A static or dynamic import of node:dns would make browser bundlers try to
 * resolve or stub a Node built-in; `process.getBuiltinModule` (Node >= 20.16) is a plain runtime call a
 * bundler never follows, and it does not exist in browsers, where there is no DNS API and no need for one
 * (the browser's own Private Network Access and mixed-content rules apply there).
 */
export type HostLookup = (hostname: string) => Promise<string[]>;

interface NodeDnsPromises {
  lookup(hostname: string, options: { all: true; verbatim: boolean }): Promise<{ address: string }[]>;
}

interface NodeProcessLike {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

const nodeProcess = (): NodeProcessLike | undefined => (globalThis as { process?: NodeProcessLike }).process;

/** True in Node (and runtimes that mimic it): where a receiver may be a server inside a network. */
export const isServerRuntime = (): boolean => typeof nodeProcess()?.versions?.node === 'string';

/** The runtime's DNS lookup (`node:dns` `lookup` with `all: true`), or undefined where there is none. */
export const defaultHostLookup = (): HostLookup | undefined => {
  const dns = nodeProcess()?.getBuiltinModule?.('node:dns') as { promises?: NodeDnsPromises } | undefined;
  const promises = dns?.promises;
  if (!promises) return undefined;
  return async (hostname) => {
    const answers = await promises.lookup(hostname, { all: true, verbatim: true });
    return answers.map((answer) => answer.address);
  };
};
