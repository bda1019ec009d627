/** What every XDS.b transaction handler gets and returns. */
import type { AuditScope } from '../audit/audit-scope';
import type { AuditService } from '../audit/audit-service';
import type { Principal } from '../domain/principal';
import type { RequestCaller } from '../http/principal';
import type { Registry } from '../registry/registry';
import type { RepositoryService } from '../repository/repository-service';
import type { SoapReply, SoapRequest } from '../soap';
import type { SqlExecutor } from '../store/sql/database';

/** The core the handlers translate onto. */
export interface XdsServices {
  registry: Registry;
  repository: RepositoryService;
  /** ATNA: changes put their audit rows into the change's statement; reads record into `db` before answering. */
  audit: Pick<AuditService, 'trail'>;
  db: SqlExecutor;
}

/** Per request: who is asking (from the security layer, via principalOf(ctx)). */
export interface XdsCall {
  principal: Principal;
  /** W3C traceparent of the HTTP request, carried into the audit record. */
  traceparent?: string;
}

export type XdsHandler = (request: SoapRequest, call: XdsCall) => Promise<SoapReply>;

/** A call with the request's audit, which the handler hands to the core (xds/audit.ts opens it). */
export interface AuditedCall extends XdsCall {
  audit: AuditScope;
}

export type AuditedXdsHandler = (request: SoapRequest, call: AuditedCall) => Promise<SoapReply>;

/**
 * Who sent a SOAP message: the security layer reads the WS-Security header (XUA) or falls
 * back on what the transport established (token, client certificate). Throws a SoapFault when
 * the message cannot be authenticated; it has then recorded the failure in the audit trail.
 */
export interface XdsAuthenticator {
  /** Header blocks it processes (Clark names), so that mustUnderstand="true" on them is honoured. */
  readonly understoodHeaders: readonly string[];
  principalOf(request: SoapRequest, caller: RequestCaller): Promise<Principal>;
}
