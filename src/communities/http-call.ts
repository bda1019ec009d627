/**
 * One HTTP(S) request to another community with its TLS settings (client certificate, CA),
 * a keep-alive agent per community, and the caller's abort signal as the call's deadline.
 * Failures become CommunityCallError, transient for what a retry can fix: a refused or reset
 * connection, an unreachable host, a timeout. A certificate the peer or we refuse is not.
 */
import http from 'node:http';
import https from 'node:https';
import type { Community } from './community';
import { CommunityCallError } from './ports';

const TRANSIENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/** One agent per community entry: a directory reload (new entries) gets new agents with the new TLS files. */
const agents = new WeakMap<Community, http.Agent>();

function agentFor(community: Community, url: URL): http.Agent {
  let agent = agents.get(community);
  if (!agent) {
    agent = url.protocol === 'https:' ? new https.Agent({ keepAlive: true, ...community.tlsOptions }) : new http.Agent({ keepAlive: true });
    agents.set(community, agent);
  }
  return agent;
}

export function callError(err: unknown, what: string, signal?: AbortSignal): CommunityCallError {
  if (err instanceof CommunityCallError) return err;
  if (signal?.aborted) return new CommunityCallError(`${what}: no answer in time (${(signal.reason as Error | undefined)?.message ?? 'aborted'})`, true, { cause: err });
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return new CommunityCallError(`${what}: ${(err as Error).message}`, TRANSIENT_CODES.has(code), { cause: err });
}

export interface HttpCall {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string | Buffer;
  signal: AbortSignal;
}

/**
 * Sends the request and resolves with the response once its headers arrive; the body is the
 * caller's to read (or destroy). HTTP 503 is a transient CommunityCallError.
 */
export function httpCall(community: Community, target: string, call: HttpCall): Promise<http.IncomingMessage> {
  const url = new URL(target);
  const client = url.protocol === 'https:' ? https : http;
  const what = `${community.homeCommunityId} ${call.method} ${url.origin}${url.pathname}`;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: call.method, headers: call.headers, agent: agentFor(community, url), signal: call.signal }, (res) => {
      if (res.statusCode === 503) {
        res.resume();
        reject(new CommunityCallError(`${what}: HTTP 503 (the community is busy or down)`, true));
        return;
      }
      resolve(res);
    });
    req.on('error', (err) => reject(callError(err, what, call.signal)));
    req.end(call.body);
  });
}
