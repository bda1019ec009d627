// A real HTTPS listener built from httpsServerOptions, on a free 127.0.0.1 port, answering
// every request with the verified client identity (clientCertificateOf) as JSON; and a
// client that reports what it got: a response, or the error that ended the connection.
import https from 'node:https';
import type net from 'node:net';
import type tls from 'node:tls';
import { clientCertificateOf, type ClientCertificateIdentity } from '../../../src/security/tls/client-certificate';
import type { TlsListenerConfig } from '../../../src/security/tls/config';
import { onClientCertificateRejected, type ClientCertificateRejection } from '../../../src/security/tls/rejections';
import { httpsServerOptions } from '../../../src/security/tls/server-options';

export interface IdentityServer {
  server: https.Server;
  port: number;
  /** Requests that reached the HTTP handler. */
  requests: number;
  rejections: ClientCertificateRejection[];
  close(): Promise<void>;
}

/** `extra` is merged over httpsServerOptions(config), e.g. fixed ticketKeys. */
export async function startIdentityServer(config: TlsListenerConfig, extra: https.ServerOptions = {}): Promise<IdentityServer> {
  const state = { requests: 0 };
  const server = https.createServer({ ...httpsServerOptions(config), ...extra }, (req, res) => {
    state.requests++;
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ identity: clientCertificateOf(req.socket) ?? null }));
    });
  });
  const rejections: ClientCertificateRejection[] = [];
  onClientCertificateRejected(server, (e) => rejections.push(e));
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    server,
    port,
    get requests() {
      return state.requests;
    },
    rejections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface CallOptions {
  /** Trusted CA for the server certificate (or from `agent` / `tls`). */
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  maxVersion?: tls.SecureVersion;
  /** Default: a fresh connection (agent: false). */
  agent?: https.Agent;
  /** Extra TLS options, e.g. from outboundTlsOptions (then ca/cert/key above are ignored when present there). */
  tls?: tls.ConnectionOptions;
}

export interface CallResult {
  status?: number;
  identity?: ClientCertificateIdentity | null;
  /** The TLS session of the connection was resumed from an earlier one. */
  reused?: boolean;
  error?: { code?: string; message: string };
}

/** POSTs a small body (a rejected client must not get it read, let alone answered). */
export function call(port: number, options: CallOptions): Promise<CallResult> {
  return new Promise((resolve) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/whoami',
        agent: options.agent ?? false,
        ...(options.ca ? { ca: options.ca } : {}),
        ...(options.cert ? { cert: options.cert } : {}),
        ...(options.key ? { key: options.key } : {}),
        ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
        ...options.tls,
      },
      (res) => {
        // Taken now: a keep-alive agent takes the socket back once the body is read.
        const reused = (res.socket as tls.TLSSocket).isSessionReused();
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          resolve({ status: res.statusCode!, identity: (JSON.parse(body) as { identity: ClientCertificateIdentity | null }).identity, reused });
        });
        res.on('error', (err: Error & { code?: string }) => resolve({ error: { code: err.code, message: err.message } }));
      },
    );
    req.on('error', (err: Error & { code?: string }) => resolve({ error: { ...(err.code ? { code: err.code } : {}), message: err.message } }));
    req.end('{"hello":"gateway"}');
  });
}

/** Waits until the server has reported `count` rejections (they arrive when the refused socket has closed). */
export async function waitForRejections(server: IdentityServer, count: number, timeoutMs = 5000): Promise<ClientCertificateRejection[]> {
  const deadline = Date.now() + timeoutMs;
  while (server.rejections.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} rejection(s), got ${JSON.stringify(server.rejections)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return server.rejections;
}
