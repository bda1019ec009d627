/** What every XDS.b transaction handler gets and returns. */
import type { Principal } from '../domain/principal';
import type { Registry } from '../registry/registry';
import type { RepositoryService } from '../repository/repository-service';
import type { SoapReply, SoapRequest } from '../soap';

/** The core the handlers translate onto. */
export interface XdsServices {
  registry: Registry;
  repository: RepositoryService;
}

/** Per request: who is asking (from the security layer, via principalOf(ctx)). */
export interface XdsCall {
  principal: Principal;
}

export type XdsHandler = (request: SoapRequest, call: XdsCall) => Promise<SoapReply>;
