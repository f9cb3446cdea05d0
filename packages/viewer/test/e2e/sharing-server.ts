import { loadConfig, startServer } from '@shlkit/server';

export interface SharingServer {
  url: string;
  close(): Promise<void>;
  /** POST /api/links with the test API key; answers the 201 body. */
  createLink(body: Record<string, unknown>): Promise<CreatedLink>;
  /** Any other management call, answered as is. */
  api(path: string, method: string, body?: unknown): Promise<Response>;
}

export interface CreatedLink {
  id: string;
  shlink: string;
  viewerUrl: string;
  payload: { url: string; key?: string; flag?: string; exp?: number };
}

// The server wants at least 16 characters for a key with full rights.
const API_KEY = 'viewer-e2e-test-key-0123456789';

/** The real SHL server, in process, in-memory database, serving the built viewer. */
export const startSharingServer = async (viewerDir: string): Promise<SharingServer> => {
  const started = await startServer({
    config: loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: 'memory://',
      SHL_API_KEY: API_KEY,
      SHL_DEMO: 'false',
      VIEWER_DIR: viewerDir,
    }),
  });
  const api = (path: string, method: string, body?: unknown) =>
    fetch(`${started.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${API_KEY}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    url: started.url,
    close: () => started.close(),
    createLink: async (body) => {
      const response = await api('/api/links', 'POST', body);
      if (response.status !== 201)
        throw new Error(`POST /api/links answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as CreatedLink;
    },
    api,
  };
};
