/**
 * One GET to another community's server, with its TLS options on a kept-alive agent, bounded
 * by the community's timeout: until the response headers, and then between body chunks (a
 * large document may take longer than the timeout, but never stalls that long).
 */
import http from 'node:http';
import https from 'node:https';
import { RemoteCallError } from './remote-call-error';

export interface GetTarget {
  homeCommunityId: string;
  timeoutMs: number;
  agent: http.Agent;
}

export interface GetResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: http.IncomingMessage;
}

function failureOf(target: GetTarget, url: URL, err: unknown): RemoteCallError {
  if (err instanceof RemoteCallError) return err;
  return new RemoteCallError(target.homeCommunityId, 'unreachable', `${url.origin}: ${(err as Error).message}`, undefined, { cause: err });
}

export function httpGet(target: GetTarget, url: URL, headers: http.OutgoingHttpHeaders, signal?: AbortSignal): Promise<GetResponse> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const timedOut = () => new RemoteCallError(target.homeCommunityId, 'timeout', `${url.origin} did not answer within ${target.timeoutMs} ms`);
    const req = transport.request(url, { method: 'GET', agent: target.agent, headers, ...(signal ? { signal } : {}) });
    const deadline = setTimeout(() => req.destroy(timedOut()), target.timeoutMs);
    req.once('error', (err) => {
      clearTimeout(deadline);
      reject(failureOf(target, url, err));
    });
    req.once('response', (res) => {
      clearTimeout(deadline);
      res.setTimeout(target.timeoutMs, () => res.destroy(timedOut()));
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res });
    });
    req.end();
  });
}

/** The whole body as text, refusing more than `maxBytes`. */
export async function readText(target: GetTarget, url: URL, res: GetResponse, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > maxBytes) throw new RemoteCallError(target.homeCommunityId, 'invalid', `${url.origin} answered more than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
  } catch (err) {
    res.body.destroy();
    throw failureOf(target, url, err);
  }
  return Buffer.concat(chunks).toString('utf8');
}
