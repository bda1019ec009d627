/**
 * Bearer tokens of an OAuth2 client-credentials grant (RFC 6749 4.4), one per community whose
 * directory entry asks for them, kept until shortly before they expire. The client secret is
 * read from its file at each grant, so a rotated secret is used without a restart.
 */
import fs from 'node:fs/promises';
import type { Community } from './community';
import { callError, httpCall } from './http-call';
import { CommunityCallError } from './ports';

/** Refresh this long before the token's expiry, so it is not refused on the way. */
const EXPIRY_MARGIN_MS = 30_000;
const DEFAULT_LIFETIME_S = 300;

interface Cached {
  token: string;
  expiresAt: number;
}

export class ClientCredentialsTokens {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The bearer token for `community`, or undefined when its auth is not client-credentials. */
  async tokenFor(community: Community, signal: AbortSignal): Promise<string | undefined> {
    const auth = community.auth;
    if (auth.type !== 'client-credentials') return undefined;
    const key = `${auth.tokenUrl} ${auth.clientId} ${auth.scope ?? ''}`;
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > this.now()) return cached.token;
    const secret = (await fs.readFile(auth.clientSecretFile, 'utf8')).trim();
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...(auth.scope ? { scope: auth.scope } : {}) });
    const basic = Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(secret)}`).toString('base64');
    const res = await httpCall(community, auth.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}` },
      body: form.toString(),
      signal,
    });
    let text = '';
    try {
      for await (const chunk of res) text += String(chunk);
    } catch (err) {
      throw callError(err, `token endpoint of ${community.homeCommunityId}`, signal);
    }
    const json = (() => {
      try {
        return JSON.parse(text) as { access_token?: unknown; expires_in?: unknown };
      } catch {
        return {};
      }
    })();
    if (res.statusCode !== 200 || typeof json.access_token !== 'string') {
      throw new CommunityCallError(`token endpoint of ${community.homeCommunityId} answered HTTP ${res.statusCode} without an access_token`, (res.statusCode ?? 0) >= 500);
    }
    const lifetime = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : DEFAULT_LIFETIME_S;
    this.cache.set(key, { token: json.access_token, expiresAt: this.now() + lifetime * 1000 });
    return json.access_token;
  }
}
