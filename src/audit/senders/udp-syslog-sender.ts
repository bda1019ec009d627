/**
 * Syslog over UDP (RFC 5426): one message per datagram, no framing. A datagram can't
 * be split and a truncated XML document is useless to a repository, so an event larger
 * than the configured limit is rejected (kept in the outbox as failed, visible in
 * /health) rather than cut. UDP has no delivery confirmation: sent means sent.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { AuditEvent } from '../fhir-audit-event';
import { errorText, SENT, type AuditSender, type DeliveryResult } from './sender';
import { auditSyslogMessage, type SyslogFormat } from './syslog-message';

export interface UdpSyslogOptions {
  name: string;
  host: string;
  port: number;
  format: SyslogFormat;
  maxBytes: number;
}

export class UdpSyslogSender implements AuditSender {
  readonly name: string;
  private socket: Promise<dgram.Socket> | undefined;

  constructor(private readonly options: UdpSyslogOptions) {
    this.name = options.name;
  }

  async send(events: readonly AuditEvent[]): Promise<DeliveryResult[]> {
    const socket = await this.connection();
    return Promise.all(events.map((e) => this.sendOne(socket, auditSyslogMessage(e, this.options.format))));
  }

  async close(): Promise<void> {
    const socket = await this.socket?.catch(() => undefined);
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private sendOne(socket: dgram.Socket, message: Buffer): Promise<DeliveryResult> {
    if (message.length > this.options.maxBytes) {
      return Promise.resolve({ status: 'rejected', error: `message of ${message.length} bytes exceeds the UDP limit of ${this.options.maxBytes}` });
    }
    return new Promise((resolve) => socket.send(message, (err) => resolve(err ? { status: 'retry', error: errorText(err) } : SENT)));
  }

  /** A connected socket: the address is resolved once, and ICMP "port unreachable" surfaces as a send error. */
  private connection(): Promise<dgram.Socket> {
    this.socket ??= new Promise((resolve, reject) => {
      const { host, port } = this.options;
      const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
      socket.once('error', reject);
      socket.connect(port, host, () => {
        socket.removeListener('error', reject);
        // Later errors belong to a send, which reports them itself; forget the socket so the next batch starts clean.
        socket.on('error', () => {
          this.socket = undefined;
          socket.close();
        });
        resolve(socket);
      });
    });
    this.socket.catch(() => (this.socket = undefined));
    return this.socket;
  }
}
