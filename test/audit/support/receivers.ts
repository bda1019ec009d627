// Stand-in Audit Record Repositories run inside the test process: a UDP syslog
// listener (node dgram) and a FHIR server accepting POST /fhir/AuditEvent, standing in
// for a second gateway until that exists.
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UdpReceiver {
  port: number;
  datagrams: Buffer[];
  waitFor(count: number, timeoutMs?: number): Promise<Buffer[]>;
  close(): Promise<void>;
}

async function waitUntil<T>(get: () => T[], count: number, timeoutMs: number, what: string): Promise<T[]> {
  const end = Date.now() + timeoutMs;
  while (get().length < count) {
    if (Date.now() > end) throw new Error(`received ${get().length} of ${count} ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return get();
}

export async function startUdpReceiver(): Promise<UdpReceiver> {
  const socket = dgram.createSocket('udp4');
  const datagrams: Buffer[] = [];
  socket.on('message', (msg) => datagrams.push(msg));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: (socket.address() as AddressInfo).port,
    datagrams,
    waitFor: (count, timeoutMs = 10_000) => waitUntil(() => datagrams, count, timeoutMs, 'datagrams'),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

export interface FhirRepository {
  baseUrl: string;
  port: number;
  received: Array<{ path: string; contentType: string; authorization?: string; body: unknown }>;
  /** Status the next requests get; default 201. */
  respondWith: number;
  waitFor(count: number, timeoutMs?: number): Promise<FhirRepository['received']>;
  close(): Promise<void>;
}

export async function startFhirRepository(port = 0): Promise<FhirRepository> {
  const repo: FhirRepository = {
    baseUrl: '',
    port: 0,
    received: [],
    respondWith: 201,
    waitFor: (count, timeoutMs = 10_000) => waitUntil(() => repo.received, count, timeoutMs, 'AuditEvent POSTs'),
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = repo.respondWith;
      if (req.method === 'POST' && req.url === '/fhir/AuditEvent' && status < 300) {
        repo.received.push({
          path: req.url,
          contentType: req.headers['content-type'] ?? '',
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        });
      }
      res.writeHead(status, { 'content-type': 'application/fhir+json' });
      res.end(status < 300 ? '{}' : JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: `status ${status}` }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  repo.port = (server.address() as AddressInfo).port;
  repo.baseUrl = `http://127.0.0.1:${repo.port}/fhir`;
  repo.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return repo;
}
