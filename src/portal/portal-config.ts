/**
 * The patient portal's settings (README, "Patient portal"). The portal is a confidential
 * OpenID Connect client of the gateway's own issuer: it is on only when PORTAL_CLIENT_ID is
 * set, and then refuses to start half-configured.
 */
type Env = Record<string, string | undefined>;

export interface PortalConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The callback registered with the issuer: https://<gateway>/portal/callback. */
  redirectUrl: string;
  /** Resource indicator (RFC 8707) asked for, so the access token is one the gateway accepts: the first OAUTH_AUDIENCE. */
  resource: string;
  /** Idle lifetime of a session; it also ends when the access token expires. */
  sessionSeconds: number;
  /** OpenID scopes asked for besides `openid`. */
  scope: string;
}

export function parsePortalConfig(env: Env, oauth: { issuers: { issuer: string }[]; audiences: string[] } | undefined, workers = 1): PortalConfig | undefined {
  const clientId = env.PORTAL_CLIENT_ID;
  if (!clientId) return undefined;
  // Sessions live in one process's memory (sessions.ts); cluster workers get connections round-robin.
  if (workers > 1) throw new Error('PORTAL_CLIENT_ID needs WORKERS=1: portal sessions are kept in the memory of one gateway process');
  if (!oauth || oauth.issuers.length === 0) throw new Error('PORTAL_CLIENT_ID needs OAUTH_ISSUERS: the portal signs patients in with the gateway\'s configured issuer');
  const issuer = env.PORTAL_ISSUER ?? oauth.issuers[0]!.issuer;
  if (!oauth.issuers.some((i) => i.issuer === issuer)) throw new Error(`PORTAL_ISSUER ${issuer} is not one of OAUTH_ISSUERS`);
  const clientSecret = env.PORTAL_CLIENT_SECRET;
  const redirectUrl = env.PORTAL_REDIRECT_URL;
  if (!clientSecret || !redirectUrl) throw new Error('PORTAL_CLIENT_ID needs PORTAL_CLIENT_SECRET and PORTAL_REDIRECT_URL');
  const url = new URL(redirectUrl);
  if (!url.pathname.endsWith('/portal/callback')) throw new Error(`PORTAL_REDIRECT_URL must end in /portal/callback (got ${redirectUrl})`);
  const sessionSeconds = Number(env.PORTAL_SESSION_SECONDS ?? 1800);
  if (!(sessionSeconds > 0)) throw new Error(`PORTAL_SESSION_SECONDS must be a positive number (got ${env.PORTAL_SESSION_SECONDS})`);
  return { issuer, clientId, clientSecret, redirectUrl, resource: oauth.audiences[0]!, sessionSeconds, scope: env.PORTAL_SCOPE ?? 'openid profile launch/patient' };
}
