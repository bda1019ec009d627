/**
 * The SOAP client of SÚKL's CÚER, built by the `soap` package from wsdl/erecept (SOAP 1.1,
 * document/literal): one client per service (prescriber CUERLekar, pharmacist CUERLekarnik),
 * over HTTPS with the workplace's client certificate and HTTP Basic credentials.
 *
 * Every call is bounded by a timeout. A read is safe to repeat and is retried (capped backoff)
 * when CÚER could not be reached; a write is sent once: CÚER offers no idempotency key that
 * would let a repeated ZalozitPredpis be recognised, so a retry could prescribe twice.
 *
 * What goes wrong is told apart for the front end: CuerFault (CÚER answered with its Chyba),
 * CuerUnavailable (not reached, or CÚER said it cannot serve now: nothing was done), CuerRejected
 * (CÚER refused our transport credentials: certificate or Basic, a configuration problem),
 * CuerOutcomeUnknown (a write whose answer never came: it may have been done), CuerCallFailed
 * (anything else). The soap package's own errors carry the request's configuration, Basic
 * header and TLS key included, so none of them leaves this file: each becomes one of these.
 */
import https from 'node:https';
import path from 'node:path';
import { BasicAuthSecurity, createClientAsync, type Client } from 'soap';
import { cappedBackoffMs } from '../../backoff';
import type { EreceptConfig } from './erecept-config';

export type CuerService = 'CUERLekar' | 'CUERLekarnik';

export const WSDL_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'wsdl', 'erecept');

/** CÚER answered with a Chyba fault: its own code and text. */
export class CuerFault extends Error {
  constructor(
    readonly kod: string,
    readonly popis: string,
  ) {
    super(`CÚER ${kod}: ${popis}`);
    this.name = 'CuerFault';
  }
}

/** CÚER could not be reached or cannot serve now: repeat later. */
export class CuerUnavailable extends Error {
  constructor(reason: string) {
    super(`CÚER is not available: ${reason}`);
    this.name = 'CuerUnavailable';
  }
}

/** A write sent but not answered (timeout, connection lost): CÚER may have done it. */
export class CuerOutcomeUnknown extends Error {
  constructor(reason: string) {
    super(`CÚER did not answer (${reason}); the change may have been made: look before repeating it`);
    this.name = 'CuerOutcomeUnknown';
  }
}

/** A failure that is none of the above, without the soap package's error (which holds credentials). */
export class CuerCallFailed extends Error {
  constructor(reason: string) {
    super(`CÚER call failed: ${reason}`);
    this.name = 'CuerCallFailed';
  }
}

/** Never connected: the request cannot have reached CÚER. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
/** Connected, then no answer: a read is safe to repeat, a write's outcome is unknown. */
const NO_ANSWER = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

/** Connected but unanswered; `send` turns it into CuerOutcomeUnknown, `read` retries it. */
class CuerNoAnswer extends CuerUnavailable {}

/** CÚER refused the gateway's certificate or credentials (HTTP 401/403): a configuration matter. */
export class CuerRejected extends Error {
  constructor(status: number) {
    super(`CÚER refused the gateway's credentials (HTTP ${status})`);
    this.name = 'CuerRejected';
  }
}

const UNAVAILABLE_CODE = 'CUER_NEDOSTUPNE';

interface SoapFailure {
  code?: string;
  response?: { status?: number };
  root?: { Envelope?: { Body?: { Fault?: { detail?: { Chyba?: { Kod?: string; Popis?: string } } } } } };
}

/** What a failed call was, from the soap package's (axios-based) error. */
export function classify(err: unknown): Error {
  const e = err as SoapFailure;
  const chyba = e?.root?.Envelope?.Body?.Fault?.detail?.Chyba;
  if (chyba?.Kod) return chyba.Kod === UNAVAILABLE_CODE ? new CuerUnavailable(chyba.Popis ?? chyba.Kod) : new CuerFault(chyba.Kod, chyba.Popis ?? '');
  const status = e?.response?.status;
  if (status === 401 || status === 403) return new CuerRejected(status);
  if (status === 502 || status === 503 || status === 504) return new CuerUnavailable(`HTTP ${status}`);
  if (e?.code && NOT_CONNECTED.has(e.code)) return new CuerUnavailable(e.code);
  if ((e?.code && NO_ANSWER.has(e.code)) || /timeout|socket hang up/i.test((err as Error)?.message ?? '')) return new CuerNoAnswer(e?.code ?? 'timeout');
  // A TLS handshake CÚER refused (our certificate) ends as a socket error without status.
  if (e?.code && /^ERR_SSL|^EPROTO|CERT/.test(e.code)) return new CuerRejected(0);
  if (status !== undefined) return new CuerCallFailed(`HTTP ${status}`);
  return new CuerCallFailed(e?.code ?? (err instanceof Error ? err.name : 'unknown error'));
}

export class CuerClient {
  private readonly clients = new Map<CuerService, Promise<Client>>();
  /**
   * Reads reuse connections. Writes open their own: a kept-alive connection CÚER has already
   * closed fails only once written to, and for a write that failure could not be told from a
   * request CÚER received and never answered.
   */
  private readonly readAgent: https.Agent;
  private readonly writeAgent: https.Agent;

  constructor(private readonly config: EreceptConfig) {
    const tls = { cert: config.tls.cert, key: config.tls.key.reveal(), ...(config.tls.ca ? { ca: config.tls.ca } : {}) };
    this.readAgent = new https.Agent({ ...tls, keepAlive: true });
    this.writeAgent = new https.Agent({ ...tls, keepAlive: false });
  }

  private client(service: CuerService): Promise<Client> {
    let c = this.clients.get(service);
    if (!c) {
      c = createClientAsync(path.join(WSDL_DIR, `${service}.wsdl`), { disableCache: true }).then((client) => {
        client.setEndpoint(service === 'CUERLekar' ? this.config.prescriberUrl : this.config.pharmacistUrl);
        client.setSecurity(new BasicAuthSecurity(this.config.user, this.config.password.reveal().toString('utf8')));
        return client;
      });
      // A WSDL that failed to load is tried again on the next call.
      c.catch(() => this.clients.delete(service));
      this.clients.set(service, c);
    }
    return c;
  }

  private async once(service: CuerService, operation: string, requestXml: string, agent: https.Agent): Promise<Record<string, unknown>> {
    const client = await this.client(service);
    const method = (client as unknown as Record<string, (args: unknown, options: object) => Promise<[Record<string, unknown>]>>)[`${operation}Async`];
    if (!method) throw new Error(`${service} has no operation ${operation}`);
    try {
      // _xml: the request element goes into the Body exactly as written (and signed).
      const [result] = await method.call(client, { _xml: requestXml }, { httpsAgent: agent, timeout: this.config.timeoutMs });
      return result ?? {};
    } catch (err) {
      throw classify(err);
    }
  }

  /** A write: sent once. */
  async send(service: CuerService, operation: string, requestXml: string): Promise<Record<string, unknown>> {
    try {
      return await this.once(service, operation, requestXml, this.writeAgent);
    } catch (err) {
      throw err instanceof CuerNoAnswer ? new CuerOutcomeUnknown(err.message) : err;
    }
  }

  /** A read: repeated while CÚER cannot be reached, up to ERECEPT_READ_ATTEMPTS. */
  async read(service: CuerService, operation: string, requestXml: string): Promise<Record<string, unknown>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(service, operation, requestXml, this.readAgent);
      } catch (err) {
        if (!(err instanceof CuerUnavailable) || attempt + 1 >= this.config.readAttempts) throw err;
        await new Promise((resolve) => setTimeout(resolve, cappedBackoffMs(attempt, 200, 2000)));
      }
    }
  }

  close(): void {
    this.readAgent.destroy();
    this.writeAgent.destroy();
  }
}
