/**
 * Security settings from the environment (documented in src/security/README.md). Parsed with
 * the rest of the configuration, so that a gateway that would run unprotected, or with a
 * half-configured mechanism, stops at start rather than at the first request.
 */
import fs from 'node:fs';

export interface SecurityConfig {
  auth: 'on' | 'off';
  /** Bearer tokens (IUA/SMART): trusted issuers and the audiences this gateway answers to. */
  oauth?: {
    issuers: { issuer: string; jwksUri?: string }[];
    audiences: string[];
    introspection?: { endpoint: string; clientId: string; clientSecret: string };
  };
  /** XUA: PEM certificates of trusted SAML identity providers, and accepted audiences. */
  xua?: { trustedCertificates: string[]; audiences: string[] };
  /** eHDSI (NCPeH): PEM certificates foreign NCPs sign HCP and TRC assertions with (the trust list), and accepted audiences. */
  ehdsi?: { trustedCertificates: string[]; audiences: string[] };
  /** HTTPS listener; with clientCaFile, clients must present certificates it signed (and not revoked in crlFile). */
  tls?: { certFile: string; keyFile: string; clientCaFile?: string; crlFile?: string };
  /** Requests per second (and burst) per client; undefined = unlimited. */
  rateLimit?: { perSecond: number; burst: number };
  /** Whether a caller may state an emergency purpose of use (break the glass); flagged in the audit record either way. */
  emergencyAccess: boolean;
}

type Env = Record<string, string | undefined>;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function httpUrl(value: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${variable}: "${value}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${variable}: ${value} is not an http(s) URL`);
  return value;
}

function readableFile(file: string, variable: string): string {
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new Error(`${variable}: cannot read ${file}`);
  }
  return file;
}

/** OAUTH_ISSUERS entries are `issuer` (JWKS found by OpenID discovery) or `issuer|jwksUri`. */
function parseOauth(env: Env): SecurityConfig['oauth'] {
  const issuers = list(env.OAUTH_ISSUERS).map((entry) => {
    const [issuer, jwksUri] = entry.split('|').map((s) => s.trim());
    return { issuer: httpUrl(issuer!, 'OAUTH_ISSUERS'), ...(jwksUri ? { jwksUri: httpUrl(jwksUri, 'OAUTH_ISSUERS') } : {}) };
  });
  const endpoint = env.OAUTH_INTROSPECTION_URL;
  if (issuers.length === 0 && !endpoint) return undefined;
  const audiences = list(env.OAUTH_AUDIENCE);
  // Without an audience check a token issued for any other service would be accepted here.
  if (audiences.length === 0) throw new Error('OAUTH_AUDIENCE is required with OAUTH_ISSUERS or OAUTH_INTROSPECTION_URL');
  const oauth: NonNullable<SecurityConfig['oauth']> = { issuers, audiences };
  if (endpoint) {
    const clientId = env.OAUTH_INTROSPECTION_CLIENT_ID;
    const clientSecret = env.OAUTH_INTROSPECTION_CLIENT_SECRET;
    if (!clientId || !clientSecret) throw new Error('OAUTH_INTROSPECTION_URL needs OAUTH_INTROSPECTION_CLIENT_ID and OAUTH_INTROSPECTION_CLIENT_SECRET');
    oauth.introspection = { endpoint: httpUrl(endpoint, 'OAUTH_INTROSPECTION_URL'), clientId, clientSecret };
  }
  return oauth;
}

/** The PEM certificates of a comma-separated list of files; each file must hold one at least. */
function certificateFiles(files: readonly string[], variable: string): string[] {
  return files.flatMap((f) => {
    const pem = fs.readFileSync(readableFile(f, variable), 'utf8');
    const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (certs.length === 0) throw new Error(`${variable}: ${f} holds no PEM certificate`);
    return certs;
  });
}

function parseXua(env: Env): SecurityConfig['xua'] {
  const files = list(env.XUA_TRUSTED_CERTS);
  if (files.length === 0) return undefined;
  return { trustedCertificates: certificateFiles(files, 'XUA_TRUSTED_CERTS'), audiences: list(env.XUA_AUDIENCE) };
}

/** NCPEH_TRUSTED_CERTS: the eHDSI trust list; NCPEH_AUDIENCE defaults to eHDSI's cross-border audience. */
function parseEhdsi(env: Env): SecurityConfig['ehdsi'] {
  const files = list(env.NCPEH_TRUSTED_CERTS);
  if (files.length === 0) return undefined;
  const audiences = list(env.NCPEH_AUDIENCE);
  return { trustedCertificates: certificateFiles(files, 'NCPEH_TRUSTED_CERTS'), audiences: audiences.length ? audiences : ['urn:ehdsi:assertions.audience:x-border'] };
}

function parseTls(env: Env): SecurityConfig['tls'] {
  const { TLS_CERT: cert, TLS_KEY: key, TLS_CLIENT_CA: clientCa, TLS_CRL: crl } = env;
  if (!cert && !key && !clientCa && !crl) return undefined;
  if (!cert || !key) throw new Error('TLS_CERT and TLS_KEY are both needed for HTTPS');
  if (crl && !clientCa) throw new Error('TLS_CRL needs TLS_CLIENT_CA (it revokes client certificates)');
  return {
    certFile: readableFile(cert, 'TLS_CERT'),
    keyFile: readableFile(key, 'TLS_KEY'),
    ...(clientCa ? { clientCaFile: readableFile(clientCa, 'TLS_CLIENT_CA') } : {}),
    ...(crl ? { crlFile: readableFile(crl, 'TLS_CRL') } : {}),
  };
}

/** RATE_LIMIT: requests per second per client, or `off`; RATE_LIMIT_BURST defaults to twice that. */
function parseRateLimit(env: Env): SecurityConfig['rateLimit'] {
  const spec = (env.RATE_LIMIT ?? '100').trim();
  if (spec === 'off' || spec === '0') return undefined;
  const perSecond = Number(spec);
  const burst = Number(env.RATE_LIMIT_BURST ?? perSecond * 2);
  if (!(perSecond > 0) || !(burst >= 1)) throw new Error(`RATE_LIMIT must be a positive number or off, RATE_LIMIT_BURST at least 1 (got ${spec}, ${env.RATE_LIMIT_BURST})`);
  return { perSecond, burst };
}

export function parseSecurityConfig(env: Env, host: string): SecurityConfig {
  // On loopback the embedded default runs without authentication unless AUTH=on asks for it.
  const auth = (env.AUTH ?? (isLoopback(host) ? 'off' : 'on')) === 'off' ? 'off' : 'on';
  if (auth === 'off' && !isLoopback(host)) throw new Error(`AUTH=off is only allowed while HOST is loopback (HOST=${host})`);
  const oauth = parseOauth(env);
  const xua = parseXua(env);
  const ehdsi = parseEhdsi(env);
  const tls = parseTls(env);
  if (auth === 'on' && !oauth && !xua && !ehdsi && !tls?.clientCaFile) {
    throw new Error('AUTH=on needs at least one way to authenticate callers: OAUTH_ISSUERS / OAUTH_INTROSPECTION_URL, XUA_TRUSTED_CERTS, NCPEH_TRUSTED_CERTS or TLS_CLIENT_CA');
  }
  const rateLimit = parseRateLimit(env);
  return {
    auth,
    ...(oauth ? { oauth } : {}),
    ...(xua ? { xua } : {}),
    ...(ehdsi ? { ehdsi } : {}),
    ...(tls ? { tls } : {}),
    ...(rateLimit ? { rateLimit } : {}),
    emergencyAccess: env.EMERGENCY_ACCESS === 'allow',
  };
}
