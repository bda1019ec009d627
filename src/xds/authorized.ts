/**
 * The access check of an XDS.b transaction: the caller's grants must cover what the
 * transaction does (its descriptor's access, src/transactions), and a refusal from anywhere below (a
 * patient-context caller submitting for another patient) is answered with the WS-Security
 * FailedAuthentication fault, which is all a SOAP client is told.
 */
import { AccessDeniedError } from '../domain/access-denied';
import { authorize, type AccessPolicy } from '../security/authorize';
import type { Access } from '../security/scopes';
import { securityFault } from '../soap';
import type { AuditedXdsHandler } from './handler';

export function authorized(accesses: readonly Access[], policy: AccessPolicy, handler: AuditedXdsHandler): AuditedXdsHandler {
  return async (request, call) => {
    try {
      authorize(call.principal, accesses, policy);
      return await handler(request, call);
    } catch (err) {
      if (err instanceof AccessDeniedError) throw securityFault('FailedAuthentication', err);
      throw err;
    }
  };
}
