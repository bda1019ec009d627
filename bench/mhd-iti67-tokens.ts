// The price of bearer tokens on ITI-67: the same searches as mhd-iti67.ts against one gateway
// process, first without credentials, then with a JWT (RS256, from a local issuer serving its
// JWKS over HTTP) on every request: a fresh token each time (every signature verified), and
// one token reused (the verified-token cache). Target: tokens cost at most 10 % throughput.
// Env: as mhd-iti67.ts (BENCH_STORE, BENCH_DOCS, BENCH_PATIENTS, BENCH_SECONDS, BENCH_SCHEMA).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { documentsLoader } from './document-loader';
import { startBenchGateway } from './http-support';
import { benchDocs, benchPatients, iti67Load } from './iti67-load';
import { benchStore, report, runBench } from './support';

const AUDIENCE = 'https://gw.bench/fhir';

interface Issuer {
  url: string;
  token(): Promise<string>;
  close(): void;
}

/** An issuer as the gateway sees one: a JWKS URL, and tokens signed with its key. */
async function startIssuer(): Promise<Issuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' };
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(req.url === '/jwks' ? { keys: [jwk] } : {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let n = 0;
  const sign = (key: KeyLike) =>
    new SignJWT({ scope: 'system/DocumentReference.rs', client_id: 'bench-client' })
      .setProtectedHeader({ alg: 'RS256', kid: 'bench', typ: 'at+jwt' })
      .setIssuer(url)
      .setAudience(AUDIENCE)
      .setSubject(`bench-client-${n++}`)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);
  return { url, token: () => sign(privateKey), close: () => server.close() };
}

async function main(): Promise<void> {
  const issuer = await startIssuer();
  // AUTH stays off (loopback) so the same process answers anonymous searches; a token that is
  // present is verified all the same.
  const gw = await startBenchGateway({ OAUTH_ISSUERS: `${issuer.url}|${issuer.url}/jwks`, OAUTH_AUDIENCE: AUDIENCE }, documentsLoader(benchDocs, benchPatients));
  try {
    const seconds = Number(process.env.BENCH_SECONDS ?? 15);
    // Enough distinct tokens that none is used twice at the rates reached here.
    const fresh = await Promise.all(Array.from({ length: Math.max(1000, seconds * 3000) }, () => issuer.token()));
    const reused = `Bearer ${await issuer.token()}`;
    let i = 0;
    // A first pass warms the store's caches and the JIT; then the runs alternate, and the
    // baseline is the mean of the anonymous runs before and after the token runs.
    await iti67Load(gw, undefined, 5);
    const anonymousBefore = await iti67Load(gw);
    const freshTokens = await iti67Load(gw, () => `Bearer ${fresh[i++ % fresh.length]}`);
    const reusedToken = await iti67Load(gw, () => reused);
    const anonymousAfter = await iti67Load(gw);
    const baseline = (anonymousBefore.perSecond + anonymousAfter.perSecond) / 2;
    const cost = (r: { perSecond: number }) => Math.round((1 - r.perSecond / baseline) * 1000) / 10;
    const result = {
      scenario: 'mhd-iti67-tokens',
      store: benchStore(),
      documents: benchDocs,
      anonymous: { before: anonymousBefore, after: anonymousAfter, meanPerSecond: Math.round(baseline) },
      freshTokenPerRequest: { ...freshTokens, throughputLossPercent: cost(freshTokens) },
      reusedToken: { ...reusedToken, throughputLossPercent: cost(reusedToken) },
      gatewayPeakRssMb: gw.peakRssMb(), gatewayPeakPssMb: gw.peakPssMb(),
      target: 'tokens verified on every request cost at most 10 % of ITI-67 throughput',
    };
    await report(`mhd-iti67-tokens-${benchStore()}`, result);
  } finally {
    await gw.stop();
    issuer.close();
  }
}

runBench(main);
