/**
 * A cross-border request (eHDSI: a principal with a country) carries a TRC assertion naming the
 * one patient the professional treats, and the security layer binds the principal to that
 * patient, so the registry shows nobody else's documents. An ITI-38 query about another
 * patient is refused outright (WS-Security FailedAuthentication) rather than answered empty:
 * the TRC and the request disagree, which eHDSI treats as an authorisation failure.
 */
import { AccessDeniedError } from '../../domain/access-denied';
import { normalizeCx } from '../../domain/hl7v2';
import { readAdhocQueryRequest } from '../../xds/adhoc-query';
import type { AuditedXdsHandler } from '../../xds/handler';
import { requestedPatient } from '../../xds/stored-query-request';

export function trcBound(handler: AuditedXdsHandler): AuditedXdsHandler {
  return async (request, call) => {
    const { principal } = call;
    if (principal.country !== undefined && request.payload) {
      let queried: string | undefined;
      try {
        queried = requestedPatient(readAdhocQueryRequest(request.payload));
      } catch {
        // A malformed query is the handler's to answer with its RegistryError.
        queried = undefined;
      }
      if (queried !== undefined && (normalizeCx(queried) ?? queried) !== principal.patientId) {
        throw new AccessDeniedError(`the TRC assertion is for patient ${principal.patientId ?? '(none)'}, the query for ${queried}`);
      }
    }
    return handler(request, call);
  };
}
