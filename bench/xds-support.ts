// What the XDS.b benchmarks share beyond bench/http-support.ts (the gateway process) and
// bench/support.ts (closed loop, statistics, results): keep-alive connections for the SOAP
// client, and a cheap success check.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { childNamed, childrenNamed } from '../src/soap';
import { XDS_NS } from '../src/xds/namespaces';
import type { sendSoap } from '../test/xds/support/soap-client';

/** One keep-alive connection per closed-loop caller (16 by default). */
export function keepAliveAgent(connections = 16): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
}

/** What a Success RegistryResponse says, as plain text (wrk's response check looks for it too). */
export const SUCCESS_MARKER = 'status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"';

/**
 * A reply counts only when it is HTTP 200 with a Success RegistryResponse: registry failures are
 * HTTP 200 too, so a status-code check alone would let a failing run pass for a fast one. The
 * text is matched, not parsed, to keep the load generator's CPU (the same 2 cores) for the gateway.
 */
export function succeeded(reply: { status: number; text: string }): boolean {
  return reply.status === 200 && reply.text.includes(SUCCESS_MARKER);
}

/** The documents of an ITI-43 / ITI-39 answer read as they arrive: how many bytes, and their SHA-1 (hex). */
export async function readRetrievedDocuments(reply: Awaited<ReturnType<typeof sendSoap>>): Promise<{ bytes: number; sha1: string }> {
  let bytes = 0;
  const check = createHash('sha1');
  for (const dr of childrenNamed(reply.payload, XDS_NS.xdsb, 'DocumentResponse')) {
    for await (const chunk of reply.message.binary(childNamed(dr, XDS_NS.xdsb, 'Document')!).open()) {
      bytes += (chunk as Buffer).length;
      check.update(chunk as Buffer);
    }
  }
  return { bytes, sha1: check.digest('hex') };
}
