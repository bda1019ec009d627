import { unavailable } from './errors';
import { fetchJsonObject } from './http';

/** OpenID Connect Discovery 4: the issuer without its trailing slash + the well-known path. */
function discoveryUrlOf(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/**
 * The issuer's jwks_uri from its discovery document. The document must name the same issuer
 * (Discovery 4.3): otherwise a proxy or a mix-up could hand us another server's keys.
 */
export async function discoverJwksUri(issuer: string): Promise<string> {
  const url = discoveryUrlOf(issuer);
  const { status, body } = await fetchJsonObject(url, { headers: { accept: 'application/json' } });
  if (status !== 200) throw unavailable(`${url} answered ${status}`);
  if (body.issuer !== issuer) throw unavailable(`${url} names issuer ${JSON.stringify(body.issuer)}, not ${issuer}`);
  if (typeof body.jwks_uri !== 'string' || !URL.canParse(body.jwks_uri)) throw unavailable(`${url} has no jwks_uri`);
  return body.jwks_uri;
}
