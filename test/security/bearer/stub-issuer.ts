// A hand-made issuer for cases the real provider will not produce: tokens with odd headers
// or claims signed by a trusted key, and discovery/JWKS endpoints that fail on demand.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type JWTHeaderParameters, type KeyLike } from 'jose';

export interface StubIssuer {
  issuer: string;
  jwksUri: string;
  counts: { discovery: number; jwks: number };
  /** Status the next discovery requests answer with, consumed one per request (then 200). */
  failDiscovery: number[];
  /** Issuer the discovery document names (default: the real one). */
  discoveryIssuer?: string;
  /** Status of /jwks (default 200). */
  jwksStatus: number;
  sign(claims: JWTPayload, header?: Partial<JWTHeaderParameters>): Promise<string>;
  close(): Promise<void>;
}

export async function startStubIssuer(): Promise<StubIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'stub-1', alg: 'ES256', use: 'sig' };
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stub: StubIssuer = {
    issuer,
    jwksUri: `${issuer}/jwks`,
    counts: { discovery: 0, jwks: 0 },
    failDiscovery: [],
    jwksStatus: 200,
    sign: (claims, header) => signWith(privateKey, { alg: 'ES256', kid: 'stub-1', typ: 'at+jwt', ...header }, { iss: issuer, ...claims }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  server.on('request', (req, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/openid-configuration') {
      stub.counts.discovery += 1;
      const status = stub.failDiscovery.shift() ?? 200;
      if (status !== 200) return json(status, { error: 'down' });
      return json(200, { issuer: stub.discoveryIssuer ?? issuer, jwks_uri: stub.jwksUri });
    }
    if (req.url === '/jwks') {
      stub.counts.jwks += 1;
      return json(stub.jwksStatus, stub.jwksStatus === 200 ? { keys: [jwk] } : { error: 'down' });
    }
    return json(404, {});
  });
  return stub;
}

export function signWith(key: KeyLike | Uint8Array, header: JWTHeaderParameters, claims: JWTPayload): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iat: now, exp: now + 300, ...claims }).setProtectedHeader(header).sign(key);
}

/** A 127.0.0.1 port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
