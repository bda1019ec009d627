/** What every XDS.b transaction handler gets and returns. */
import type { AuditScope } from '../audit/audit-scope';
import type { AuditService } from '../audit/audit-service';
import type { Principal } from '../domain/principal';
import type { Registry } from '../registry/registry';
import type { RepositoryService } from '../repository/repository-service';
import type { SoapReply, SoapRequest } from '../soap';

/** The core the handlers translate onto. */
export interface XdsServices {
  registry: Registry;
  repository: RepositoryService;
  /** ATNA: each request's audit scope, which the core writes the record of. */
  audit: Pick<AuditService, 'trail'>;
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
