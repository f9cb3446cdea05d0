import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

interface IssuerKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: SigningKey;
  jwk: JWK;
}

export interface SignOptions {
  /** The instant the token is made, epoch ms (the test app's clock). */
  now: number;
  /** Lifetime in seconds (default 600); negative makes a token that expired already. */
  ttlSeconds?: number;
  audience?: string;
  issuer?: string;
  /** Which of the issuer's current keys signs (default the first, RS256). */
  alg?: 'RS256' | 'ES256';
}

/**
 * A test identity provider on a loopback port: `/.well-known/openid-configuration` names `/jwks`, which
 * serves the public keys it signs with. Keys are made in the test with jose; `rotate()` replaces them with
 * new ones under new `kid`s, as an issuer rotating its keys does.
 */
export interface TestIdentityProvider {
  issuer: string;
  audience: string;
  /** A token with these claims, signed with a current key. */
  sign(claims: JWTPayload, options: SignOptions): Promise<string>;
  /** New keys (RS256 and ES256) under new kids; the old ones are no longer published. */
  rotate(): Promise<void>;
  /** The kids currently published. */
  kids(): string[];
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  close(): Promise<void>;
}

let generation = 0;

const makeKeys = async (): Promise<IssuerKey[]> => {
  generation += 1;
  const keys: IssuerKey[] = [];
  for (const alg of ['RS256', 'ES256'] as const) {
    const { privateKey, publicKey } = await generateKeyPair(alg);
    const kid = `${alg.toLowerCase()}-${generation}`;
    keys.push({ kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } });
  }
  return keys;
};

export const startIdentityProvider = async (audience = 'shlkit-tests'): Promise<TestIdentityProvider> => {
  let keys = await makeKeys();
  let fetches = 0;
  let issuer = '';
  const server: Server = createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration') {
      return send({ issuer, jwks_uri: `${issuer}/jwks`, id_token_signing_alg_values_supported: ['RS256'] });
    }
    if (req.url === '/jwks') {
      fetches += 1;
      return send({ keys: keys.map((key) => key.jwk) });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    audience,
    sign: async (claims, options) => {
      const key = keys.find((k) => k.alg === (options.alg ?? 'RS256'));
      if (key === undefined) throw new Error('no such key');
      const seconds = Math.floor(options.now / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? audience)
        .setIssuedAt(seconds)
        .setExpirationTime(seconds + (options.ttlSeconds ?? 600))
        .sign(key.privateKey);
    },
    rotate: async () => {
      keys = await makeKeys();
    },
    kids: () => keys.map((key) => key.kid),
    jwksFetches: () => fetches,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
};
