// What the XDS.b benchmarks share beyond bench/http-support.ts (the gateway process) and
// bench/support.ts (closed loop, statistics, results): keep-alive connections for the SOAP
// client, and a cheap success check.
import http from 'node:http';

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
