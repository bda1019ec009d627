/**
 * The portal as an OpenID Connect client (backend-for-frontend): authorization code with
 * PKCE against the gateway's issuer, done here so that no token ever reaches the browser.
 * openid-client is ESM-only; this file compiles to CommonJS, so it is loaded with import().
 */
import type * as Oidc from 'openid-client' with { 'resolution-mode': 'import' };
import type { PendingSignIn } from './sessions';
import type { PortalConfig } from './portal-config';

type OidcModule = typeof Oidc;

export interface SignInResult {
  accessToken: string;
  idToken?: string;
  /** The ID token's claims (validated by openid-client: issuer, audience, nonce, signature). */
  claims: Record<string, unknown>;
}

function isLoopbackHttp(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '::1' || u.hostname === '[::1]' || u.hostname.startsWith('127.'));
}

export class PortalSignIn {
  private configuration: Promise<{ oidc: OidcModule; config: Oidc.Configuration }> | undefined;

  constructor(private readonly settings: PortalConfig) {}

  /** Discovery on first use (the issuer may start after the gateway); a failed discovery is retried next time. */
  private client(): Promise<{ oidc: OidcModule; config: Oidc.Configuration }> {
    this.configuration ??= (async () => {
      const oidc = await import('openid-client');
      // Plain http only for an issuer on this machine (development and tests).
      const execute = isLoopbackHttp(this.settings.issuer) ? [oidc.allowInsecureRequests] : [];
      const config = await oidc.discovery(new URL(this.settings.issuer), this.settings.clientId, this.settings.clientSecret, undefined, { execute, timeout: 10 });
      return { oidc, config };
    })();
    this.configuration.catch(() => (this.configuration = undefined));
    return this.configuration;
  }

  /** Where to send the browser, and what the callback must find in the session. */
  async start(): Promise<{ url: string; pending: PendingSignIn }> {
    const { oidc, config } = await this.client();
    const pending = { state: oidc.randomState(), codeVerifier: oidc.randomPKCECodeVerifier(), nonce: oidc.randomNonce() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: this.settings.scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      resource: this.settings.resource,
    });
    return { url: url.href, pending };
  }

  /** The callback: exchanges the code (checking state, PKCE and the ID token's nonce). */
  async finish(callbackQuery: string, pending: PendingSignIn): Promise<SignInResult> {
    const { oidc, config } = await this.client();
    const current = new URL(this.settings.redirectUrl);
    current.search = callbackQuery;
    const tokens = await oidc.authorizationCodeGrant(
      config,
      current,
      { pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true },
      { resource: this.settings.resource },
    );
    return { accessToken: tokens.access_token, ...(tokens.id_token ? { idToken: tokens.id_token } : {}), claims: { ...(tokens.claims() ?? {}) } };
  }

  /** The issuer's end-session URL (RP-initiated logout), or undefined when it has none. */
  async endSessionUrl(idToken: string | undefined, returnTo: string): Promise<string | undefined> {
    const { oidc, config } = await this.client();
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    return oidc.buildEndSessionUrl(config, { post_logout_redirect_uri: returnTo, ...(idToken ? { id_token_hint: idToken } : {}) }).href;
  }
}
