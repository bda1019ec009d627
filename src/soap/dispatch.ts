/**
 * One SOAP endpoint: HTTP body + headers in, HTTP status + Content-Type + body out, with the
 * handler chosen by wsa:Action. For Koa:
 *
 *   const r = await dispatcher.handle(ctx.req, ctx.headers);
 *   ctx.status = r.status; ctx.body = r.body; ctx.set('Content-Type', r.contentType);
 *
 * Order of checks, as SOAP 1.2 and WS-Addressing 1.0 require: unpack and parse safely, envelope
 * structure (VersionMismatch / Sender), mustUnderstand (before anything is processed),
 * addressing (Action and MessageID present, anonymous replies, cardinality), the action param of
 * the Content-Type agreeing with wsa:Action, the whole MTOM body (unless the handler streams
 * attachments and checks it itself), then the handler. Every failure becomes a fault message
 * related to the request's MessageID when it could be read.
 */
import type { Element } from '@xmldom/xmldom';
import { actionNotSupported, invalidAddressingHeader, wsaHeader } from './addressing-faults';
import { ADDRESSING_HEADERS, readAddressing, requireRequestAddressing, type AddressingHeaders, type RequestAddressing, type RequestAddressingPolicy } from './addressing';
import type { BodySource } from './body-source';
import { MtomError } from './mtom-error';
import { checkMustUnderstand, parseEnvelope, targetedRoles, type SoapEnvelope } from './envelope';
import { faultForError } from './error-faults';
import { SoapFault } from './fault';
import { describePart, readSoapMessage, type HeaderBag, type InboundSoapMessage, type ReadSoapOptions } from './mtom';
import { writeMtom, writePlain, type OutboundAttachment, type SoapHttpBody } from './mtom-writer';
import { buildFaultEnvelope, buildReplyEnvelope, type ReplyContent } from './responses';

export interface SoapRequest {
  /** Envelope document, attachments (message.binary(element) for xdsb:Document content). */
  message: InboundSoapMessage;
  envelope: SoapEnvelope;
  addressing: RequestAddressing;
  /** First element of env:Body: the transaction's request element. */
  payload: Element | undefined;
}

export interface SoapReply extends ReplyContent {
  /** MIME parts referenced from the body with xopInclude(); they force MTOM packaging. */
  attachments?: readonly OutboundAttachment[];
  /** Packaging of the reply; default MTOM when there are attachments or the request was MTOM. */
  mtom?: boolean;
}

export type SoapHandler = (request: SoapRequest) => Promise<SoapReply>;

export interface SoapHandlerOptions {
  /**
   * The handler streams attachments as the body arrives (ITI-41 documents into storage), so
   * the body cannot be read to its end first: the handler must call message.complete() before
   * it commits anything. Otherwise the dispatcher checks the whole body before the handler runs.
   */
  streamsAttachments?: boolean;
}

interface Registered extends SoapHandlerOptions {
  handler: SoapHandler;
}

export interface SoapHttpResponse extends SoapHttpBody {
  status: number;
}

export interface SoapDispatcherOptions {
  /**
   * Header blocks (Clark names, `{ns}local`) understood besides WS-Addressing's, e.g. the
   * WS-Security header once the security layer processes it. Anything else marked
   * mustUnderstand is answered with a MustUnderstand fault.
   */
  understoodHeaders?: Iterable<string>;
  /** Roles this endpoint plays besides next and ultimateReceiver. */
  roles?: Iterable<string>;
  addressing?: RequestAddressingPolicy;
  /** Limits and spooling of the inbound message. */
  read?: ReadSoapOptions;
  /** Refuse a Content-Type action parameter that differs from wsa:Action (ActionMismatch). Default true. */
  checkActionMismatch?: boolean;
  /** Called with errors that were not a bad request (bugs, outages); they are answered with a bare Receiver fault. */
  onError?: (err: unknown, action: string | undefined) => void;
}

export class SoapDispatcher {
  private readonly handlers = new Map<string, Registered>();
  private readonly understood: Set<string>;
  private readonly roles: ReadonlySet<string>;

  constructor(private readonly options: SoapDispatcherOptions = {}) {
    this.understood = new Set([...ADDRESSING_HEADERS, ...(options.understoodHeaders ?? [])]);
    this.roles = targetedRoles(options.roles);
  }

  /** Registers the handler of one wsa:Action (the request action of a transaction). */
  on(action: string, handler: SoapHandler, options: SoapHandlerOptions = {}): this {
    if (this.handlers.has(action)) throw new Error(`a handler for ${action} is already registered`);
    this.handlers.set(action, { ...options, handler });
    return this;
  }

  /** Declares more header blocks understood (e.g. by middleware that checks them before handle()). */
  understand(...clarkNames: string[]): this {
    for (const n of clarkNames) this.understood.add(n);
    return this;
  }

  get actions(): string[] {
    return [...this.handlers.keys()];
  }

  /** Never throws: every failure is answered with a SOAP fault. */
  async handle(body: BodySource, headers: HeaderBag | string | undefined): Promise<SoapHttpResponse> {
    let message: InboundSoapMessage | undefined;
    let envelope: SoapEnvelope | undefined;
    let addressing: AddressingHeaders | undefined;
    try {
      message = await readSoapMessage(body, headers, this.options.read);
      envelope = parseEnvelope(message.document);
      checkMustUnderstand(envelope, this.understood, this.roles);
      addressing = readAddressing(envelope, this.roles);
      const request = requireRequestAddressing(addressing, this.options.addressing);
      if ((this.options.checkActionMismatch ?? true) && message.contentTypeAction !== undefined && message.contentTypeAction !== request.action) {
        throw invalidAddressingHeader(wsaHeader('Action'), 'ActionMismatch', `Content-Type action "${message.contentTypeAction}" differs from wsa:Action`);
      }
      const registered = this.handlers.get(request.action);
      if (!registered) throw actionNotSupported(request.action);
      if (!registered.streamsAttachments) await requireWholeBody(message);
      const reply = await registered.handler({ message, envelope, addressing: request, payload: envelope.bodyElements[0] });
      const doc = buildReplyEnvelope(reply, request);
      const attachments = reply.attachments ?? [];
      const mtom = reply.mtom ?? (attachments.length > 0 || message.packaging === 'mtom');
      if (!mtom && attachments.length > 0) throw new Error('a reply with attachments must be sent as MTOM');
      return { status: 200, ...(mtom ? writeMtom(doc, attachments) : writePlain(doc)) };
    } catch (err) {
      const { fault, status, expected } = faultForError(err);
      if (!expected) this.options.onError?.(err, addressing?.action);
      // Relate the fault to the request even when the failure came before addressing was read (e.g. MustUnderstand).
      addressing ??= envelope && bestEffortAddressing(envelope, this.roles);
      return faultResponse(fault, status, addressing, this.options.onError);
    } finally {
      await message?.dispose();
    }
  }
}

/**
 * Reads the rest of an MTOM body before a handler acts on it, so a truncated body, a repeated
 * Content-ID or a part no xop:Include references is refused before anything is done: XOP
 * packages binary content for the xop:Include elements of the envelope, so a part none of
 * them names is content the receiver would silently drop.
 */
async function requireWholeBody(message: InboundSoapMessage): Promise<void> {
  const [unreferenced] = await message.complete();
  if (unreferenced) throw new MtomError('UNREFERENCED_PART', `MIME part ${describePart(unreferenced)} is referenced by no xop:Include of the envelope`);
}

/**
 * The fault message; if even that cannot be serialised (a handler's fault detail with a name that
 * is no QName, say), a bare Receiver fault, so that handle() keeps its promise never to throw.
 */
function faultResponse(fault: SoapFault, status: number, addressing: AddressingHeaders | undefined, onError: SoapDispatcherOptions['onError']): SoapHttpResponse {
  try {
    return { status, ...writePlain(buildFaultEnvelope(fault, addressing)) };
  } catch (err) {
    onError?.(err, addressing?.action);
    return { status: 500, ...writePlain(buildFaultEnvelope(SoapFault.receiver('internal error while reporting a fault'), undefined)) };
  }
}

function bestEffortAddressing(envelope: SoapEnvelope, roles: ReadonlySet<string>): AddressingHeaders | undefined {
  try {
    return readAddressing(envelope, roles);
  } catch {
    return undefined;
  }
}
