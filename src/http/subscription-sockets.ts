/**
 * The FHIR websocket channel of subscriptions (backport): a client connects to
 * `<FHIR base>/$subscription-ws`, sends `bind-with-token <token>` (from
 * $get-ws-binding-token) and then receives the handshake, the subscription's notifications
 * and, while idle, a heartbeat every heartbeatPeriod. The token is the credential: the
 * upgrade itself needs none.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../logger';
import type { Subscriptions } from '../subscriptions/subscriptions';
import type { BoundSocket } from '../subscriptions/websocket-hub';

const BIND = /^bind-with-token\s+(\S+)\s*$/;
/** A client that binds nothing within this time is dropped. */
const BIND_TIMEOUT_MS = 30_000;

function boundSocket(ws: WebSocket): BoundSocket {
  return {
    send: (text) => new Promise<void>((resolve, reject) => ws.send(text, (err) => (err ? reject(err) : resolve()))),
    close: (code, reason) => ws.close(code, reason),
  };
}

export function attachSubscriptionSockets(server: http.Server, path: string, subscriptions: Subscriptions, logger: Logger): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== path) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws));
  });
  server.on('close', () => wss.close());

  function serve(ws: WebSocket): void {
    const socket = boundSocket(ws);
    let bound: { id: string; heartbeat?: NodeJS.Timeout } | undefined;
    const unbound = setTimeout(() => !bound && ws.close(1008, 'no bind-with-token'), BIND_TIMEOUT_MS);
    ws.on('message', (data) => {
      const token = BIND.exec(String(data))?.[1];
      if (!token || bound) return ws.send(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: bound ? 'already bound' : 'expected bind-with-token <token>' }] }));
      subscriptions.bind(token, socket).then(
        (s) => {
          if (!s) return ws.close(1008, 'invalid or expired token');
          clearTimeout(unbound);
          bound = { id: s.id };
          if (s.channel.heartbeatSeconds > 0) {
            bound.heartbeat = setInterval(() => {
              subscriptions.heartbeat(s.id, socket).catch((err: unknown) => logger.debug({ err }, 'websocket heartbeat failed'));
            }, s.channel.heartbeatSeconds * 1000);
          }
        },
        (err: unknown) => {
          logger.warn({ err }, 'websocket bind failed');
          ws.close(1011, 'bind failed');
        },
      );
    });
    ws.on('close', () => {
      clearTimeout(unbound);
      if (!bound) return;
      clearInterval(bound.heartbeat);
      subscriptions.unbind(bound.id, socket);
    });
    ws.on('error', (err) => logger.debug({ err }, 'websocket error'));
  }
}
