/**
 * One XDS.b SOAP endpoint: a table of wsa:Action -> transaction handler, answered through the
 * shared SoapDispatcher (parsing, WS-Addressing, faults, MTOM in and out).
 *
 * Each message is first put to the security layer: a client over its rate limit gets the
 * transaction's XDSRegistryBusy answer (so does a request the database can't serve now:
 * ITI TF-3 4.2.4's "busy, retry later"), then the authenticator names the Principal (from the
 * message's WS-Security header or the transport) that the handler acts for.
 *
 * The dispatcher is built per request so each handler gets the request's caller as an argument
 * rather than through ambient state; building one is a couple of small Maps.
 */
import { StoreUnavailableError } from '../domain/store-unavailable';
import type { RequestCaller } from '../security/request-caller';
import type { SoapAuthenticator } from '../security/soap-authentication';
import { SoapDispatcher, type BodySource, type HeaderBag, type SoapHttpResponse, type SoapReadLimits } from '../soap';
import type { XdsTransaction } from './actions';
import { busyReply } from './busy-reply';
import type { XdsHandler } from './handler';

export interface XdsEndpointOptions {
  limits: Partial<SoapReadLimits>;
  authenticator: SoapAuthenticator;
  /** Unexpected errors (bugs, outages): answered with a bare Receiver fault, reported here. */
  onError?: (err: unknown, action: string | undefined) => void;
}

export interface XdsOperation {
  transaction: XdsTransaction;
  handler: XdsHandler;
  /** See SoapHandlerOptions: the handler reads the whole MTOM body itself (ITI-41). */
  streamsAttachments?: boolean;
}

export class XdsEndpoint {
  private readonly operations: ReadonlyMap<string, XdsOperation>;

  constructor(
    operations: readonly XdsOperation[],
    private readonly options: XdsEndpointOptions,
  ) {
    this.operations = new Map(operations.map((o) => [o.transaction.request, o]));
  }

  get actions(): string[] {
    return [...this.operations.keys()];
  }

  /** Never throws: every failure is a SOAP fault response. */
  handle(body: BodySource, headers: HeaderBag, caller: RequestCaller): Promise<SoapHttpResponse> {
    const { authenticator } = this.options;
    const dispatcher = new SoapDispatcher({
      read: { limits: this.options.limits },
      understoodHeaders: authenticator.understoodHeaders,
      ...(this.options.onError ? { onError: this.options.onError } : {}),
    });
    const traceparent = headers['traceparent'];
    for (const [action, { transaction, handler, streamsAttachments }] of this.operations) {
      dispatcher.on(action, async (request) => {
        if (caller.retryAfterSeconds !== undefined) return busyReply(transaction, caller.retryAfterSeconds);
        try {
          const principal = await authenticator.principalOf(request, caller);
          return await handler(request, { principal, ...(typeof traceparent === 'string' ? { traceparent } : {}) });
        } catch (err) {
          // The database is unreachable: Failure with XDSRegistryBusy / XDSRepositoryBusy, not a fault (the handler audited the failure).
          if (err instanceof StoreUnavailableError) return busyReply(transaction, err.retryAfterSeconds, 'the registry database is unavailable');
          throw err;
        }
      }, { streamsAttachments: streamsAttachments ?? false });
    }
    return dispatcher.handle(body, headers);
  }
}
