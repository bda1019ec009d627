/**
 * Outbound MHD Document Consumer: ITI-67 / ITI-66 searches on another community's MHD server
 * (its directory entry's mhd.baseUrl) and ITI-68 reads of its documents, streamed. Calls
 * present the community's client certificate and trust only its CA (the entry's tlsOptions),
 * carry its bearer token, and are bounded by its timeoutMs. Links the remote answers with
 * (next pages, attachment URLs) are followed only on the community's own origin: the
 * gateway's certificate and token never go to a server the directory does not name.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { Community } from '../communities/community';
import { httpGet, readText, type GetTarget } from './http-get';
import { RemoteCallError } from './remote-call-error';

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
  /** The bearer token to send this community (its client-credentials grant), if any. */
  bearerToken?: (community: Community) => Promise<string | undefined>;
  /** Largest search answer page read (default 16 MiB). */
  maxSearchBytes?: number;
  /** Pages of one search followed at most (default 20). */
  maxPages?: number;
}

const FHIR_JSON = 'application/fhir+json';
const DEFAULT_MAX_SEARCH_BYTES = 16 * 1024 * 1024;
const DEFAULT_MAX_PAGES = 20;

interface AgentEntry {
  community: Community;
  agent: http.Agent;
}

export class MhdClient {
  /** One kept-alive agent per community, replaced when a directory reload gives it a new entry. */
  private readonly agents = new Map<string, AgentEntry>();

  constructor(private readonly options: MhdClientOptions = {}) {}

  /** ITI-67 (DocumentReference) or ITI-66 (List): every page's entries in one searchset. */
  async search(community: Community, resourceType: 'DocumentReference' | 'List', params: ReadonlyArray<readonly [string, string]>, signal?: AbortSignal): Promise<SearchBundle> {
    const base = mhdBase(community);
    let url: URL | undefined = new URL(`${base.href.replace(/\/+$/, '')}/${resourceType}`);
    for (const [name, value] of params) url.searchParams.append(name, value);
    const entries: NonNullable<SearchBundle['entry']> = [];
    let total: number | undefined;
    for (let page = 0; url; page++) {
      if (page >= (this.options.maxPages ?? DEFAULT_MAX_PAGES)) throw new RemoteCallError(community.homeCommunityId, 'invalid', `search has more than ${page} pages`);
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
   * origin), streamed as it arrives. The caller consumes or destroys `body`.
   */
  async readBinary(community: Community, url: string, signal?: AbortSignal): Promise<RemoteBinary> {
    const target = onOrigin(community, mhdBase(community), url);
    const res = await httpGet(this.target(community), target, await this.headers(community, '*/*'), signal);
    if (res.status !== 200) {
      const text = await readText(this.target(community), target, res, 64 * 1024).catch(() => '');
      throw new RemoteCallError(community.homeCommunityId, 'status', `ITI-68 at ${target.origin} answered ${res.status}: ${text.slice(0, 300)}`, res.status);
    }
    const length = Number(res.headers['content-length']);
    const etag = /^"([^"]+)"$/.exec(String(res.headers.etag ?? ''))?.[1];
    return {
      mimeType: String(res.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim(),
      ...(Number.isSafeInteger(length) && length >= 0 ? { size: length } : {}),
      ...(etag ? { etag } : {}),
      body: res.body,
    };
  }

  close(): void {
    for (const { agent } of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private async getSearchset(community: Community, url: URL, signal?: AbortSignal): Promise<SearchBundle> {
    const target = this.target(community);
    const res = await httpGet(target, url, await this.headers(community, FHIR_JSON), signal);
    const text = await readText(target, url, res, this.options.maxSearchBytes ?? DEFAULT_MAX_SEARCH_BYTES);
    if (res.status !== 200) throw new RemoteCallError(community.homeCommunityId, 'status', `search at ${url.origin} answered ${res.status}: ${text.slice(0, 300)}`, res.status);
    let bundle: SearchBundle;
    try {
      bundle = JSON.parse(text) as SearchBundle;
    } catch {
      throw new RemoteCallError(community.homeCommunityId, 'invalid', `search at ${url.origin} answered something other than JSON`);
    }
    if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'searchset') {
      throw new RemoteCallError(community.homeCommunityId, 'invalid', `search at ${url.origin} answered no searchset Bundle`);
    }
    return bundle;
  }

  private async headers(community: Community, accept: string): Promise<http.OutgoingHttpHeaders> {
    const token = await this.options.bearerToken?.(community);
    return { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  }

  private target(community: Community): GetTarget {
    let entry = this.agents.get(community.homeCommunityId);
    if (entry?.community !== community) {
      entry?.agent.destroy();
      const secure = mhdBase(community).protocol === 'https:';
      entry = { community, agent: secure ? new https.Agent({ ...community.tlsOptions, keepAlive: true }) : new http.Agent({ keepAlive: true }) };
      this.agents.set(community.homeCommunityId, entry);
    }
    return { homeCommunityId: community.homeCommunityId, timeoutMs: community.timeoutMs, agent: entry.agent };
  }
}

function mhdBase(community: Community): URL {
  if (!community.mhd) throw new RemoteCallError(community.homeCommunityId, 'invalid', `community ${community.homeCommunityId} has no MHD endpoint`);
  return new URL(community.mhd.baseUrl);
}

/** `link` resolved against the community's base, refused unless it is on the same origin. */
function onOrigin(community: Community, base: URL, link: string): URL {
  let url: URL;
  try {
    // Relative links are relative to the FHIR base, which URL resolution takes as a directory only with its slash.
    url = new URL(link, base.href.endsWith('/') ? base : `${base.href}/`);
  } catch {
    throw new RemoteCallError(community.homeCommunityId, 'invalid', `"${link.slice(0, 200)}" is not a URL`);
  }
  if (url.origin !== base.origin) throw new RemoteCallError(community.homeCommunityId, 'invalid', `${url.origin} is not the community's MHD server (${base.origin})`);
  return url;
}
