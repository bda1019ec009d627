// A real OpenID provider (panva/oidc-provider v9) on 127.0.0.1 for tests: client_credentials
// tokens as RFC 9068 JWT access tokens (or opaque ones, for RFC 7662 introspection) with
// SMART scopes and the claims the gateway reads (patient, purpose of use, IUA extension).
// Tests get tokens from the real thing instead of hand-signed JWTs, so the verifier is
// checked against what a standards-following authorization server actually emits.
//
// Why it is built the way it is:
// - oidc-provider is ESM-only; this file compiles to CommonJS, so it is loaded with a dynamic
//   import() (module node16 keeps it) and its types with `resolution-mode: import`.
// - The issuer must contain the port, and the provider needs the issuer at construction: the
//   http server listens first (port 0) and the provider's callback is attached afterwards.
// - The token endpoint drops form parameters it does not know for the grant type
//   (`extraParams` only applies to the authorization endpoints), but the raw form stays in
//   `ctx.oidc.body`: `extraTokenClaims`, the TTL and `getResourceServerInfo` read the test's
//   wishes (patient, purpose_of_use, claims, ttl, token_format) from there.
// - Resource indicators decide the token format: every absolute-URI resource is a resource
//   server whose audience is the resource itself, JWT unless the request asks for opaque.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClientMetadata, Configuration, JWK, KoaContextWithOIDC } from 'oidc-provider' with { 'resolution-mode': 'import' };

/** The audience tokens get when a test does not ask for another resource. */
export const DEFAULT_AUDIENCE = 'urn:hie-gateway:test';

const RESOURCE_TYPES = ['*', 'DocumentReference', 'List', 'Binary', 'Patient', 'AuditEvent', 'Bundle', 'MedicationRequest', 'MedicationDispense'];
const PERMISSIONS = ['c', 'r', 's', 'u', 'd', 'rs', 'cu', 'cud', 'crus', 'cruds', 'read', 'write', '*'];

/** SMART v1/v2 scopes for the MHD resources (system/, user/, patient/), plus launch context. */
export const SMART_SCOPES: readonly string[] = [
  ...['system', 'user', 'patient'].flatMap((who) => RESOURCE_TYPES.flatMap((type) => PERMISSIONS.map((p) => `${who}/${type}.${p}`))),
  'launch',
  'launch/patient',
  'fhirUser',
];

export interface TestClient {
  clientId: string;
  clientSecret: string;
  /** Scopes the client may be granted; undefined = any scope the provider knows. */
  scope?: string;
}

export interface TokenRequest {
  /** Default: `clients.system` (may ask for any scope). */
  clientId?: string;
  /** Space-separated; every scope must be granted or token() throws (catches typos early). */
  scope: string;
  /** Resource indicator (RFC 8707) = the token's audience. Default: the provider's audience. */
  resource?: string;
  /** SMART `patient` claim. */
  patient?: string;
  /** Top-level `purpose_of_use` claim: a code, or a Coding. */
  purposeOfUse?: string | { system?: string; code: string; display?: string };
  /** More claims, e.g. `{ extensions: { ihe_iua: {...} } }`; registered claims (iss, sub, aud, exp...) cannot be overridden. */
  claims?: Record<string, unknown>;
  /** Opaque access token (for introspection) instead of a JWT. */
  opaque?: boolean;
  /** Token lifetime; default the provider's `ttlSeconds`. */
  ttlSeconds?: number;
  /** JWS algorithm of a JWT token; default RS256 (the provider has an RSA and a P-256 key). */
  alg?: 'RS256' | 'PS256' | 'ES256';
}

export interface RequestCounts {
  discovery: number;
  jwks: number;
  token: number;
  introspection: number;
  revocation: number;
}

export interface TestOidcProvider {
  /** http://127.0.0.1:<port> */
  issuer: string;
  discoveryUri: string;
  jwksUri: string;
  tokenEndpoint: string;
  introspectionEndpoint: string;
  revocationEndpoint: string;
  /** Default audience of tokens (resource indicator used when a request names none). */
  audience: string;
  /** Registered clients: `system` may ask for any scope, `patientApp` only patient/ and launch scopes. */
  clients: { system: TestClient; patientApp: TestClient };
  /** The web client's secret (when `webClient` was given). */
  webClientSecret?: string;
  /** Credentials a resource server (the gateway) uses at the introspection endpoint. */
  introspectionClient: { clientId: string; clientSecret: string };
  /** client_credentials grant; returns the access token. */
  token(request: TokenRequest): Promise<string>;
  /** RFC 7009 revocation, authenticated as the client the token was issued to. Opaque tokens only: oidc-provider refuses to revoke (or introspect) JWT access tokens. */
  revoke(token: string): Promise<void>;
  /** Requests served so far, by endpoint (tests observe caching with these). */
  requestCounts(): RequestCounts;
  close(): Promise<void>;
}

/** A person a browser can sign in as (authorization-code grant, oidc-provider's devInteractions login: any password). */
export interface TestAccount {
  /** SMART `patient` claim of the access tokens issued to this account. */
  patient?: string;
  /** The ID token's `name`. */
  name?: string;
  /** RFC 8693 `act` of the ID token: who acts for the account's subject (a representative). */
  act?: { sub: string; name?: string };
  /** Access-token lifetime for this account; default the provider's `ttlSeconds`. */
  accessTokenTtlSeconds?: number;
}

/** A confidential web client using the authorization-code grant (with PKCE), e.g. the patient portal. */
export interface TestWebClient {
  clientId: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}

export interface StartOidcProviderOptions {
  /** Registers this web client and enables browser sign-in for `accounts`. */
  webClient?: TestWebClient;
  accounts?: Record<string, TestAccount>;
  /** Default audience, see TestOidcProvider.audience. Default DEFAULT_AUDIENCE. */
  audience?: string;
  /** Default token lifetime in seconds. Default 300. */
  ttlSeconds?: number;
  /** Scopes besides SMART_SCOPES the provider should grant. */
  extraScopes?: string[];
}

const secret = () => randomBytes(24).toString('base64url');

/**
 * Storage for the provider's tokens and grants: a Map per model with expiry. oidc-provider's
 * default adapter does the same but warns on every instance that it is for development only.
 */
function memoryAdapter() {
  const store = new Map<string, { payload: Record<string, unknown>; expiresAt: number }>();
  return class MemoryAdapter {
    constructor(private readonly model: string) {}
    private key(id: string) {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: Record<string, unknown>, expiresIn: number) {
      store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
    }
    async find(id: string) {
      const entry = store.get(this.key(id));
      if (entry && entry.expiresAt <= Date.now()) store.delete(this.key(id));
      return entry && entry.expiresAt > Date.now() ? entry.payload : undefined;
    }
    async findByUserCode() {
      return undefined;
    }
    /** Sessions are found by their uid during a browser sign-in (the authorization-code grant). */
    async findByUid(uid: string) {
      for (const [key, entry] of store) {
        if (key.startsWith(`${this.model}:`) && entry.payload.uid === uid && entry.expiresAt > Date.now()) return entry.payload;
      }
      return undefined;
    }
    async consume(id: string) {
      const entry = store.get(this.key(id));
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, entry] of store) if (entry.payload.grantId === grantId) store.delete(key);
    }
  };
}

function basic(clientId: string, clientSecret: string): string {
  // RFC 6749 2.3.1: id and secret are form-urlencoded before base64.
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64')}`;
}

/** The raw token-request form; oidc-provider keeps it even for parameters it does not know. */
function formOf(ctx: KoaContextWithOIDC | undefined): Record<string, unknown> {
  return (ctx?.oidc?.body as Record<string, unknown> | undefined) ?? {};
}

const signingAlgOf = (asked: unknown) => (asked === 'PS256' || asked === 'ES256' ? asked : 'RS256');

export async function startOidcProvider(options: StartOidcProviderOptions = {}): Promise<TestOidcProvider> {
  const { Provider } = await import('oidc-provider');
  const audience = options.audience ?? DEFAULT_AUDIENCE;
  const defaultTtl = options.ttlSeconds ?? 300;
  const scopes = [...SMART_SCOPES, ...(options.extraScopes ?? [])];

  const clients = {
    system: { clientId: 'hie-system', clientSecret: secret() },
    patientApp: {
      clientId: 'hie-patient-app',
      clientSecret: secret(),
      scope: scopes.filter((s) => s.startsWith('patient/') || s.startsWith('launch')).join(' '),
    },
  };
  const introspectionClient = { clientId: 'hie-gateway-rs', clientSecret: secret() };
  const accounts = options.accounts ?? {};
  const web = options.webClient;
  const webClientSecret = web ? secret() : undefined;
  const webMetadata: ClientMetadata[] = web
    ? [{
        client_id: web.clientId,
        client_secret: webClientSecret!,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [web.redirectUri],
        post_logout_redirect_uris: [web.postLogoutRedirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
      }]
    : [];
  const metadataOf = (c: TestClient): ClientMetadata => ({
    client_id: c.clientId,
    client_secret: c.clientSecret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    ...(c.scope ? { scope: c.scope } : {}),
  });

  // Fresh keys per instance: a second provider must not be able to sign for the first.
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });

  const counts: RequestCounts = { discovery: 0, jwks: 0, token: 0, introspection: 0, revocation: 0 };
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    adapter: memoryAdapter(),
    clients: [metadataOf(clients.system), metadataOf(clients.patientApp), metadataOf(introspectionClient), ...webMetadata],
    findAccount: (_ctx, id) => {
      const account = accounts[id];
      if (!account) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...(account.name ? { name: account.name } : {}), ...(account.act ? { act: account.act } : {}) }) };
    },
    claims: { openid: ['sub'], profile: ['name', 'act'] },
    // The web client reads name and act from the ID token itself (no userinfo call).
    conformIdTokenClaims: false,
    // The test's web client needs no consent screen: its grant covers what it asks for.
    loadExistingGrant: async (ctx) => {
      const oidc = ctx.oidc;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client!.clientId);
      if (grantId) return oidc.provider.Grant.find(grantId);
      if (!web || oidc.client?.clientId !== web.clientId || !oidc.session?.accountId) return undefined;
      const grant = new oidc.provider.Grant({ clientId: web.clientId, accountId: oidc.session.accountId });
      grant.addOIDCScope('openid profile launch/patient');
      grant.addOIDCClaims(['name', 'act']);
      grant.addResourceScope(audience, 'launch/patient');
      await grant.save();
      return grant;
    },
    jwks: { keys: [rsa as JWK, ec as JWK] },
    // Statics are what client `scope` allow-lists are checked against.
    scopes: ['openid', 'profile', ...scopes],
    cookies: { keys: [secret()] },
    features: {
      devInteractions: { enabled: !!web },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // Only the resource server learns about tokens (and a client about its own).
        allowedPolicy: (_ctx, client, token) => client.clientId === introspectionClient.clientId || token.clientId === client.clientId,
      },
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resource) => ({
          audience: resource,
          scope: scopes.join(' '),
          accessTokenFormat: formOf(ctx).token_format === 'opaque' ? 'opaque' : 'jwt',
          jwt: { sign: { alg: signingAlgOf(formOf(ctx).alg) } },
        }),
      },
    },
    ttl: {
      AccessToken: (_ctx, token) => accounts[(token as { accountId?: string }).accountId ?? '']?.accessTokenTtlSeconds ?? defaultTtl,
      ClientCredentials: (ctx) => {
        const asked = Number(formOf(ctx).ttl);
        return Number.isSafeInteger(asked) && asked > 0 ? asked : defaultTtl;
      },
    },
    extraTokenClaims: (ctx, token) => {
      const form = formOf(ctx);
      const claims: Record<string, unknown> = {};
      const account = accounts[(token as { accountId?: string }).accountId ?? ''];
      if (account?.patient) claims.patient = account.patient;
      if (typeof form.extra_claims === 'string') Object.assign(claims, JSON.parse(form.extra_claims));
      if (typeof form.patient === 'string') claims.patient = form.patient;
      if (typeof form.purpose_of_use === 'string') claims.purpose_of_use = JSON.parse(form.purpose_of_use);
      return Object.keys(claims).length ? claims : undefined;
    },
    clientBasedCORS: () => false,
    // Tests run offline: the provider has no business fetching anything (no request_uri, jwks_uri clients).
    fetch: () => Promise.reject(new Error('the test OpenID provider does not reach the network')),
  };

  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  const routes: Record<string, keyof RequestCounts> = {
    '/.well-known/openid-configuration': 'discovery',
    '/jwks': 'jwks',
    '/token': 'token',
    '/token/introspection': 'introspection',
    '/token/revocation': 'revocation',
  };
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const route = routes[new URL(req.url ?? '/', issuer).pathname];
    if (route) counts[route] += 1;
    void callback(req, res);
  });

  const tokenEndpoint = `${issuer}/token`;
  const introspectionEndpoint = `${issuer}/token/introspection`;
  const revocationEndpoint = `${issuer}/token/revocation`;
  const all: TestClient[] = [clients.system, clients.patientApp, introspectionClient];
  const issuedTo = new Map<string, TestClient>();

  const post = async (url: string, client: TestClient, form: Record<string, string>) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: basic(client.clientId, client.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${url} answered ${res.status}: ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };

  return {
    issuer,
    discoveryUri: `${issuer}/.well-known/openid-configuration`,
    jwksUri: `${issuer}/jwks`,
    tokenEndpoint,
    introspectionEndpoint,
    revocationEndpoint,
    audience,
    clients,
    introspectionClient,
    ...(webClientSecret ? { webClientSecret } : {}),
    async token(request) {
      const client = all.find((c) => c.clientId === (request.clientId ?? clients.system.clientId));
      if (!client) throw new Error(`unknown test client ${request.clientId}`);
      const form: Record<string, string> = { grant_type: 'client_credentials', scope: request.scope, resource: request.resource ?? audience };
      if (request.patient !== undefined) form.patient = request.patient;
      if (request.purposeOfUse !== undefined) form.purpose_of_use = JSON.stringify(request.purposeOfUse);
      if (request.claims !== undefined) form.extra_claims = JSON.stringify(request.claims);
      if (request.opaque) form.token_format = 'opaque';
      if (request.ttlSeconds !== undefined) form.ttl = String(request.ttlSeconds);
      if (request.alg !== undefined) form.alg = request.alg;
      const body = await post(tokenEndpoint, client, form);
      // The provider silently drops scopes it does not know; a test asking for one is a typo.
      const granted = new Set(String(body.scope ?? '').split(' '));
      const missing = request.scope.split(' ').filter((s) => s && !granted.has(s));
      if (missing.length) throw new Error(`scope not granted to ${client.clientId}: ${missing.join(' ')} (extraScopes?)`);
      const token = String(body.access_token);
      issuedTo.set(token, client);
      return token;
    },
    async revoke(token) {
      await post(revocationEndpoint, issuedTo.get(token) ?? clients.system, { token, token_type_hint: 'access_token' });
    },
    requestCounts: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive connections (fetch, jose's JWKS agent) would hold close() open.
        server.closeAllConnections();
      }),
  };
}
