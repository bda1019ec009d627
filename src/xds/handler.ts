/** What every XDS.b transaction handler gets and returns. */
import type { AuditService } from '../audit/audit-service';
import type { Principal } from '../domain/principal';
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
