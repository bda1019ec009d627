/**
 * One XDS.b SOAP endpoint: a table of wsa:Action -> handler, answered through the shared
 * SoapDispatcher (parsing, WS-Addressing, faults, MTOM in and out).
 *
 * The dispatcher is built per request so each handler gets the request's Principal as an
 * argument rather than through ambient state; building one is a couple of small Maps.
 */
import type { Principal } from '../domain/principal';
import { SoapDispatcher, type BodySource, type HeaderBag, type SoapHttpResponse, type SoapReadLimits } from '../soap';
import type { XdsHandler } from './handler';

export interface XdsEndpointOptions {
  limits: Partial<SoapReadLimits>;
  /** Unexpected errors (bugs, outages): answered with a bare Receiver fault, reported here. */
  onError?: (err: unknown, action: string | undefined) => void;
}

export class XdsEndpoint {
  constructor(
    private readonly handlers: ReadonlyMap<string, XdsHandler>,
    private readonly options: XdsEndpointOptions,
  ) {}

  get actions(): string[] {
    return [...this.handlers.keys()];
  }

  /** Never throws: every failure is a SOAP fault response. */
  handle(body: BodySource, headers: HeaderBag, principal: Principal): Promise<SoapHttpResponse> {
    const dispatcher = new SoapDispatcher({ read: { limits: this.options.limits }, ...(this.options.onError ? { onError: this.options.onError } : {}) });
    const traceparent = headers['traceparent'];
    const call = { principal, ...(typeof traceparent === 'string' ? { traceparent } : {}) };
    for (const [action, handler] of this.handlers) dispatcher.on(action, (request) => handler(request, call));
    return dispatcher.handle(body, headers);
  }
}
