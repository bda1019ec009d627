/**
 * Outbound MHD Document Consumer: ITI-67 / ITI-66 searches on another community's MHD server
 * (its directory entry's mhd.baseUrl) and ITI-68 reads of its documents, streamed, over the
 * communities' HTTP call (its client certificate and CA, kept-alive agents, failures as
 * CommunityCallError) with the community's bearer token where its entry asks for one.
 * Links the remote answers with (next pages, attachment URLs) are followed only on the
 * community's own origin: the gateway's certificate and token never go to a server the
 * directory does not name.
 */
import type http from 'node:http';
import type { Readable } from 'node:stream';
import { ClientCredentialsTokens } from '../communities/client-credentials';
import type { Community } from '../communities/community';
import { callError, httpCall } from '../communities/http-call';
import { CommunityCallError } from '../communities/ports';

/** The parts of a FHIR Bundle the client reads. */
export interface SearchBundle {
  resourceType: 'Bundle';
  type: string;
  total?: number;
  link?: Array<{ relation: string; url: string }>;
  entry?: Array<{ fullUrl?: string; resource?: { resourceType: string; [k: string]: unknown }; search?: { mode?: string } }>;
}

export interface RemoteBinary {
  mimeType: string;
  /** From Content-Length, when the remote sent one. */
  size?: number;
  /** Strong ETag without quotes (this gateway's is the document's SHA-1). */
  etag?: string;
  body: Readable;
}

export interface MhdClientOptions {
  /** Largest search answer page read (default 16 MiB). */
  maxSearchBytes?: number;
  /** Pages of one search followed at most (default 20). */
  maxPages?: number;
}

const FHIR_JSON = 'application/fhir+json';
const DEFAULT_MAX_SEARCH_BYTES = 16 * 1024 * 1024;
const DEFAULT_MAX_PAGES = 20;

/** Worth retrying: the community may answer next time. */
const transientStatus = (status: number) => status === 408 || status === 429 || status >= 500;

async function readText(res: http.IncomingMessage, maxBytes: number, what: string, signal?: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > maxBytes) throw new CommunityCallError(`${what}: answered more than ${maxBytes} bytes`, false);
      chunks.push(chunk);
    }
  } catch (err) {
    res.destroy();
    throw callError(err, what, signal);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class MhdClient {
  private readonly tokens = new ClientCredentialsTokens();

  constructor(private readonly options: MhdClientOptions = {}) {}

  /** ITI-67 (DocumentReference) or ITI-66 (List): every page's entries in one searchset; `signal` bounds the whole search. */
  async search(community: Community, resourceType: 'DocumentReference' | 'List', params: ReadonlyArray<readonly [string, string]>, signal: AbortSignal): Promise<SearchBundle> {
    const base = mhdBase(community);
    let url: URL | undefined = new URL(`${base.href.replace(/\/+$/, '')}/${resourceType}`);
    for (const [name, value] of params) url.searchParams.append(name, value);
    const entries: NonNullable<SearchBundle['entry']> = [];
    let total: number | undefined;
    for (let page = 0; url; page++) {
      if (page >= (this.options.maxPages ?? DEFAULT_MAX_PAGES)) throw new CommunityCallError(`${community.homeCommunityId}: search has more than ${page} pages`, false);
      const bundle = await this.getSearchset(community, url, signal);
      if (page === 0) total = bundle.total;
      entries.push(...(bundle.entry ?? []));
      const next = bundle.link?.find((l) => l.relation === 'next')?.url;
      url = next === undefined ? undefined : onOrigin(community, base, next);
    }
    return { resourceType: 'Bundle', type: 'searchset', ...(total !== undefined ? { total } : {}), entry: entries };
  }

  /**
   * ITI-68: the document at `url` (a DocumentReference's attachment URL, on the community's
   * origin), streamed as it arrives. `signal` bounds the wait for the answer to start; the body
   * then streams for as long as it takes, but is cut off when it stalls for the community's
   * timeoutMs. The caller consumes or destroys `body`.
   */
  async readBinary(community: Community, url: string, signal: AbortSignal): Promise<RemoteBinary> {
    const target = onOrigin(community, mhdBase(community), url);
    const what = `ITI-68 at ${target.origin}`;
    const untilStart = new AbortController();
    const abort = () => untilStart.abort(signal.reason);
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    let res: http.IncomingMessage;
    try {
      res = await httpCall(community, target.href, { method: 'GET', headers: await this.headers(community, '*/*', signal), signal: untilStart.signal });
    } finally {
      signal.removeEventListener('abort', abort);
    }
    res.setTimeout(community.timeoutMs, () => res.destroy(new CommunityCallError(`${what}: the document stalled for ${community.timeoutMs} ms`, true)));
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      const text = await readText(res, 64 * 1024, what).catch(() => '');
      throw new CommunityCallError(`${what} answered ${status}: ${text.slice(0, 300)}`, transientStatus(status));
    }
    const length = Number(res.headers['content-length']);
    const etag = /^"([^"]+)"$/.exec(String(res.headers.etag ?? ''))?.[1];
    return {
      mimeType: String(res.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim(),
      ...(Number.isSafeInteger(length) && length >= 0 ? { size: length } : {}),
      ...(etag ? { etag } : {}),
      body: res,
    };
  }

  private async getSearchset(community: Community, url: URL, signal: AbortSignal): Promise<SearchBundle> {
    const what = `search at ${url.origin}`;
    const res = await httpCall(community, url.href, { method: 'GET', headers: await this.headers(community, FHIR_JSON, signal), signal });
    const text = await readText(res, this.options.maxSearchBytes ?? DEFAULT_MAX_SEARCH_BYTES, what, signal);
    const status = res.statusCode ?? 0;
    if (status !== 200) throw new CommunityCallError(`${what} answered ${status}: ${text.slice(0, 300)}`, transientStatus(status));
    let bundle: SearchBundle;
    try {
      bundle = JSON.parse(text) as SearchBundle;
    } catch {
      throw new CommunityCallError(`${what} answered something other than JSON`, false);
    }
    if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'searchset') throw new CommunityCallError(`${what} answered no searchset Bundle`, false);
    return bundle;
  }

  private async headers(community: Community, accept: string, signal: AbortSignal): Promise<Record<string, string>> {
    const token = await this.tokens.tokenFor(community, signal);
    return { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  }
}

function mhdBase(community: Community): URL {
  if (!community.mhd) throw new CommunityCallError(`community ${community.homeCommunityId} has no MHD endpoint`, false);
  return new URL(community.mhd.baseUrl);
}

/** `link` resolved against the community's base, refused unless it is on the same origin. */
function onOrigin(community: Community, base: URL, link: string): URL {
  let url: URL;
  try {
    // Relative links are relative to the FHIR base, which URL resolution takes as a directory only with its slash.
    url = new URL(link, base.href.endsWith('/') ? base : `${base.href}/`);
  } catch {
    throw new CommunityCallError(`${community.homeCommunityId}: "${link.slice(0, 200)}" is not a URL`, false);
  }
  if (url.origin !== base.origin) throw new CommunityCallError(`${url.origin} is not the MHD server of ${community.homeCommunityId} (${base.origin})`, false);
  return url;
}
