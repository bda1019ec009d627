import { checkAudience, checkTimes, refuseSenderConstrained } from './claim-checks';
import { invalidToken, unavailable } from './errors';
import { fetchJsonObject } from './http';
import { identityOf, type TokenIdentity } from './identity';

export interface IntrospectionRules {
  endpoint: string;
  clientId: string;
  clientSecret: string;
  audiences: readonly string[];
  clockToleranceSeconds: number;
  now: () => Date;
}

/** RFC 6749 2.3.1: client id and secret are form-urlencoded before they are joined and base64-encoded. */
function basicAuth(clientId: string, clientSecret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64')}`;
}

/**
 * RFC 7662 token introspection for opaque tokens: only the authorization server can say what
 * they mean. Its answer is trusted for activity and claims, but the audience must still be
 * ours when it names one: an active token issued for another service is not a token for us.
 */
export class Introspector {
  constructor(private readonly rules: IntrospectionRules) {}

  async verify(token: string): Promise<TokenIdentity> {
    const { endpoint } = this.rules;
    const { status, body } = await fetchJsonObject(endpoint, {
      method: 'POST',
      headers: {
        authorization: basicAuth(this.rules.clientId, this.rules.clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      // Never replay our client credentials to wherever a redirect points.
      redirect: 'error',
    });
    // 400: the request holds nothing but the token and our credentials (refused ones are 401,
    // invalid_client), so the server is refusing to vouch for this token - e.g. oidc-provider
    // answers unsupported_token_type for JWTs. 401/403 = our own credentials are refused;
    // 5xx = server trouble: neither says anything about the caller's token.
    if (status === 400) throw invalidToken(`introspection refused the token: ${String(body.error ?? 400)} ${String(body.error_description ?? '')}`.trim());
    if (status !== 200) throw unavailable(`introspection at ${endpoint} answered ${status}`);
    if (body.active !== true) throw invalidToken('introspection: token not active');
    // token_type DPoP (RFC 9449 6.2) is as bound as a cnf claim.
    if (typeof body.token_type === 'string' && body.token_type.toLowerCase() === 'dpop') throw invalidToken('introspection: DPoP-bound token presented as a bearer token');
    refuseSenderConstrained(body);
    if (body.aud !== undefined) checkAudience(body.aud, this.rules.audiences);
    checkTimes(body, this.rules.now(), this.rules.clockToleranceSeconds);
    // The response may omit iss; the endpoint we asked is then the authority that vouched.
    return identityOf(body, typeof body.iss === 'string' && body.iss ? body.iss : endpoint);
  }
}
