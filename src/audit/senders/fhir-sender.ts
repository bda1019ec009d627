/**
 * ITI-20 RESTful feed: POST [base]/AuditEvent, one event per request, several in flight
 * over kept-alive connections. Each event gets its own verdict: 2xx delivered; 408,
 * 429, 5xx and network errors retried; any other 4xx rejected for good (the repository
 * will refuse the same resource again). https uses the same CA / client certificate
 * settings as syslog TLS.
 */
import http from 'node:http';
import https from 'node:https';
import type { AuditEvent } from '../fhir-audit-event';
import { errorText, SENT, type AuditSender, type DeliveryResult } from './sender';
import type { TlsOptions } from './tls-syslog-sender';

export interface FhirSenderOptions {
  name: string;
  /** FHIR base URL of the Audit Record Repository. */
  baseUrl: string;
  tls: TlsOptions;
  /** Optional bearer token (IUA) for the repository. */
  bearerToken?: string;
  timeoutMs: number;
  /** Requests in flight at once. */
  concurrency?: number;
}

function verdict(status: number, body: string): DeliveryResult {
  if (status >= 200 && status < 300) return SENT;
  const error = `HTTP ${status}: ${body.slice(0, 300)}`;
  return status === 408 || status === 429 || status >= 500 ? { status: 'retry', error } : { status: 'rejected', error };
}

export class FhirAuditSender implements AuditSender {
  readonly name: string;
  private readonly url: URL;
  private readonly agent: http.Agent;

  constructor(private readonly options: FhirSenderOptions) {
    this.name = options.name;
    this.url = new URL(`${options.baseUrl.replace(/\/+$/, '')}/AuditEvent`);
    const t = options.tls;
    this.agent =
      this.url.protocol === 'https:'
        ? new https.Agent({ ...t, keepAlive: true })
        : new http.Agent({ keepAlive: true });
  }

  async send(events: readonly AuditEvent[]): Promise<DeliveryResult[]> {
    const results: DeliveryResult[] = new Array(events.length);
    let next = 0;
    const worker = async () => {
      while (next < events.length) {
        const i = next++;
        results[i] = await this.post(events[i]!).catch((err: unknown) => ({ status: 'retry' as const, error: errorText(err) }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 8, events.length) }, worker));
    return results;
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private post(event: AuditEvent): Promise<DeliveryResult> {
    const body = Buffer.from(JSON.stringify(event), 'utf8');
    const transport = this.url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          timeout: this.options.timeoutMs,
          headers: {
            'content-type': 'application/fhir+json; charset=utf-8',
            accept: 'application/fhir+json',
            'content-length': body.length,
            ...(this.options.bearerToken ? { authorization: `Bearer ${this.options.bearerToken}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(verdict(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`POST ${this.url.href} timed out`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
