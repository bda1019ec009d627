/**
 * COMMUNITIES_FILE's JSON, checked entry by entry: every problem names the entry and the field
 * (`"urn:oid:1.2.3".xca.queryUrl must be an http(s) URL`), so a bad file stops the start or a
 * reload with a message an operator can act on.
 *
 *   {
 *     "urn:oid:1.2.203.99.1": {
 *       "name": "Nemocnice Sever",
 *       "xca": { "queryUrl": "https://…/xca/responding-gateway", "retrieveUrl": "https://…/xca/responding-gateway" },
 *       "mhd": { "baseUrl": "https://…/fhir" },
 *       "ehdsi": { "country": "AT", "xcpdUrl": "https://…/xcpd" },   (a foreign NCP: needs xca, no auth)
 *       "tls": { "certFile": "…", "keyFile": "…", "caFile": "…" },
 *       "auth": { "type": "client-credentials", "tokenUrl": "…", "clientId": "…", "clientSecretFile": "…", "scope": "…" },
 *       "timeoutMs": 10000
 *     }
 *   }
 */
import { isOidSyntax } from '../domain/hl7v2';
import { outboundTlsOptions } from '../security/tls/outbound';
import type { Community, CommunityAuth } from './community';

export const DEFAULT_COMMUNITY_TIMEOUT_MS = 10_000;

export class DirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryError';
  }
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

class Fields {
  constructor(readonly path: string, readonly value: Json) {}

  fail(field: string, what: string): never {
    throw new DirectoryError(`${this.path}.${field} ${what}`);
  }

  only(allowed: readonly string[]): void {
    const unknown = Object.keys(this.value).filter((k) => !allowed.includes(k) && k !== '$comment');
    if (unknown.length > 0) this.fail(unknown[0]!, `is not a known field (expected ${allowed.join(', ')})`);
  }

  string(field: string, required: true): string;
  string(field: string, required: false): string | undefined;
  string(field: string, required: boolean): string | undefined {
    const v = this.value[field];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.trim() === '') this.fail(field, 'must be a non-empty string');
    return v.trim();
  }

  url(field: string): string {
    const text = this.string(field, true);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      this.fail(field, `must be an http(s) URL, got "${text.slice(0, 100)}"`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') this.fail(field, `must be an http(s) URL, got "${text.slice(0, 100)}"`);
    return url.toString();
  }

  object(field: string): Fields | undefined {
    const v = this.value[field];
    if (v === undefined) return undefined;
    if (!isObject(v)) this.fail(field, 'must be an object');
    return new Fields(`${this.path}.${field}`, v);
  }
}

function parseAuth(f: Fields | undefined): CommunityAuth {
  if (!f) return { type: 'none' };
  const type = f.string('type', true);
  switch (type) {
    case 'none':
    case 'saml-forward':
      f.only(['type']);
      return { type };
    case 'client-credentials': {
      f.only(['type', 'tokenUrl', 'clientId', 'clientSecretFile', 'scope']);
      const scope = f.string('scope', false);
      return { type, tokenUrl: f.url('tokenUrl'), clientId: f.string('clientId', true), clientSecretFile: f.string('clientSecretFile', true), ...(scope ? { scope } : {}) };
    }
    default:
      return f.fail('type', `must be none, client-credentials or saml-forward, got "${type}"`);
  }
}

/** A foreign NCP: reached over XCA with eHDSI assertions, which are its only authentication. */
function parseEhdsi(f: Fields): Community['ehdsi'] {
  const e = f.object('ehdsi');
  if (!e) return undefined;
  e.only(['country', 'xcpdUrl']);
  const country = e.string('country', true);
  if (!/^[A-Z]{2}$/.test(country)) e.fail('country', `must be an ISO 3166 alpha-2 code (AT, DK, ...), got "${country.slice(0, 20)}"`);
  if (!f.object('xca')) f.fail('xca', 'must be given for an eHDSI NCP (its ITI-38/39 endpoints)');
  if (f.object('mhd')) f.fail('mhd', 'cannot be given for an eHDSI NCP (NCPs speak XCA only)');
  const auth = f.object('auth');
  if (auth && auth.value.type !== 'none') auth.fail('type', 'must be none for an eHDSI NCP (the HCP and TRC assertions are its authentication)');
  return { country, xcpdUrl: e.url('xcpdUrl') };
}

function parseCommunity(homeCommunityId: string, entry: unknown): Community {
  const path = JSON.stringify(homeCommunityId);
  if (!/^urn:oid:/.test(homeCommunityId) || !isOidSyntax(homeCommunityId.slice('urn:oid:'.length))) {
    throw new DirectoryError(`${path} is not a homeCommunityId (urn:oid: followed by an OID)`);
  }
  if (!isObject(entry)) throw new DirectoryError(`${path} must be an object`);
  const f = new Fields(path, entry);
  f.only(['name', 'xca', 'mhd', 'ehdsi', 'tls', 'auth', 'timeoutMs']);
  // First: an NCP entry's own rules name what it lacks more precisely than the generic check.
  const ehdsi = parseEhdsi(f);
  const xcaFields = f.object('xca');
  const mhdFields = f.object('mhd');
  if (!xcaFields && !mhdFields) f.fail('xca', 'or .mhd must be given: the community has no endpoint');
  xcaFields?.only(['queryUrl', 'retrieveUrl']);
  mhdFields?.only(['baseUrl']);
  const tlsFields = f.object('tls');
  tlsFields?.only(['certFile', 'keyFile', 'caFile']);
  const tls = tlsFields && {
    ...(tlsFields.string('certFile', false) ? { certFile: tlsFields.string('certFile', true) } : {}),
    ...(tlsFields.string('keyFile', false) ? { keyFile: tlsFields.string('keyFile', true) } : {}),
    ...(tlsFields.string('caFile', false) ? { caFile: tlsFields.string('caFile', true) } : {}),
  };
  const tlsOptions = (() => {
    try {
      return outboundTlsOptions(tls ?? {});
    } catch (err) {
      return f.fail('tls', `is unusable: ${(err as Error).message}`);
    }
  })();
  const timeout = entry.timeoutMs ?? DEFAULT_COMMUNITY_TIMEOUT_MS;
  if (!Number.isSafeInteger(timeout) || (timeout as number) < 1) f.fail('timeoutMs', `must be a positive integer (ms), got ${JSON.stringify(timeout)}`);
  return {
    homeCommunityId,
    name: f.string('name', true),
    ...(xcaFields ? { xca: { queryUrl: xcaFields.url('queryUrl'), retrieveUrl: xcaFields.url('retrieveUrl') } } : {}),
    ...(mhdFields ? { mhd: { baseUrl: mhdFields.url('baseUrl') } } : {}),
    ...(ehdsi ? { ehdsi } : {}),
    ...(tls ? { tls } : {}),
    tlsOptions,
    auth: parseAuth(f.object('auth')),
    timeoutMs: timeout as number,
  };
}

/** The directory's entries from the file's text. @throws DirectoryError naming the entry and field */
export function parseDirectory(text: string): Map<string, Community> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DirectoryError(`is not JSON: ${(err as Error).message}`);
  }
  if (!isObject(json)) throw new DirectoryError('must be a JSON object of homeCommunityId -> community');
  const out = new Map<string, Community>();
  for (const [id, entry] of Object.entries(json)) {
    if (id === '$comment') continue;
    out.set(id, parseCommunity(id, entry));
  }
  return out;
}
