/**
 * Syslog over TLS (RFC 5425): one persistent connection per repository, each batch
 * written as one buffer of octet-counted frames, so 1,000 events/s cost a handful of
 * writes, not 1,000 handshakes. The server certificate is verified against the
 * configured CA (Node's default CAs when none) and its name; TLS 1.2 at least; a client
 * certificate when configured (ATNA node authentication).
 *
 * RFC 5425 has no application acknowledgement: "sent" means the kernel took the bytes.
 * A connection found broken is dropped and the batch retried, so a lost connection
 * costs a duplicate at most, except for bytes the peer dropped after accepting them.
 *
 * TLS 1.3 makes the client's handshake complete before the server has checked the
 * client certificate; a server that rejects it closes the connection right after. So a
 * new TLS 1.3 connection is used only once it has survived a short settle time (or the
 * server sent a session ticket, which it does only after accepting): otherwise the first
 * batch would be written into a connection the server is about to refuse, and lost.
 */
import tls from 'node:tls';
import type { AuditEvent } from '../fhir-audit-event';
import { SENT, type AuditSender, type DeliveryResult } from './sender';
import { auditSyslogMessage, octetCounted, type SyslogFormat } from './syslog-message';

/** CA, client certificate, server name and protocol floor, as security/tls outboundTlsOptions makes them. */
export type TlsOptions = tls.ConnectionOptions;

export interface TlsSyslogOptions {
  name: string;
  host: string;
  port: number;
  tls: TlsOptions;
  format: SyslogFormat;
  timeoutMs: number;
  /** How long a new TLS 1.3 connection must stay up before it is trusted. Default 250 ms. */
  settleMs?: number;
}

export class TlsSyslogSender implements AuditSender {
  readonly name: string;
  private socket: tls.TLSSocket | undefined;
  private connecting: Promise<tls.TLSSocket> | undefined;

  constructor(private readonly options: TlsSyslogOptions) {
    this.name = options.name;
  }

  async send(events: readonly AuditEvent[]): Promise<DeliveryResult[]> {
    const payload = Buffer.concat(events.map((e) => octetCounted(auditSyslogMessage(e, this.options.format))));
    const socket = await this.connection();
    try {
      await this.write(socket, payload);
    } catch (err) {
      this.drop(socket);
      throw err;
    }
    return events.map(() => SENT);
  }

  async close(): Promise<void> {
    const socket = this.socket ?? (await this.connecting?.catch(() => undefined));
    this.socket = undefined;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      setTimeout(() => socket.destroy(), this.options.timeoutMs).unref();
    });
  }

  private connection(): Promise<tls.TLSSocket> {
    if (this.socket && !this.socket.destroyed && this.socket.writable) return Promise.resolve(this.socket);
    this.connecting ??= this.connect()
      .then((socket) => this.settle(socket))
      .then((socket) => (this.socket = socket))
      .finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Resolves with the socket once the server can no longer be refusing our certificate (see above). */
  private settle(socket: tls.TLSSocket): Promise<tls.TLSSocket> {
    if (socket.getProtocol() !== 'TLSv1.3') return Promise.resolve(socket);
    return new Promise((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        socket.removeListener('session', onSession);
        socket.removeListener('close', onClose);
        if (err) {
          this.drop(socket);
          reject(err);
        } else resolve(socket);
      };
      const onSession = () => done();
      const onClose = () => done(new Error(`${this.name} closed the TLS connection after the handshake (client certificate refused?)`));
      const timer = setTimeout(() => (socket.destroyed ? onClose() : done()), this.options.settleMs ?? 250);
      socket.once('session', onSession);
      socket.once('close', onClose);
    });
  }

  private connect(): Promise<tls.TLSSocket> {
    const { host, port, tls: t, timeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ ...t, host, port });
      const timer = setTimeout(() => socket.destroy(new Error(`TLS connection to ${host}:${port} timed out`)), timeoutMs);
      const failed = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      socket.once('error', failed);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        socket.removeListener('error', failed);
        // Kept for the life of the connection: an error or close just drops it; the next batch reconnects.
        socket.on('error', () => this.drop(socket));
        socket.on('close', () => this.drop(socket));
        socket.on('end', () => this.drop(socket));
        socket.setKeepAlive(true, 30_000);
        socket.resume(); // a syslog receiver sends nothing; never let unread data stall the socket
        resolve(socket);
      });
    });
  }

  private write(socket: tls.TLSSocket, data: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`write to ${this.name} timed out`)), this.options.timeoutMs);
      const onClose = () => reject(new Error(`connection to ${this.name} closed during write`));
      socket.once('close', onClose);
      socket.write(data, (err) => {
        clearTimeout(timer);
        socket.removeListener('close', onClose);
        if (err) reject(err);
        else resolve();
      });
    });
  }

  private drop(socket: tls.TLSSocket): void {
    if (this.socket === socket) this.socket = undefined;
    if (!socket.destroyed) socket.destroy();
  }
}
