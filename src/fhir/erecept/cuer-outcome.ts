/**
 * What a failed CÚER call is answered with: an OperationOutcome whose issue carries CÚER's own
 * error code (details.coding, system CUER_ERROR_SYSTEM) and text, with the HTTP status the case
 * calls for. CÚER not reachable is 503 with Retry-After; CÚER refusing the gateway's own
 * credentials or signature is the gateway's problem, not the caller's: 502. A write CÚER never
 * answered may have been done: 504, saying so, and no Retry-After (repeating blindly could
 * prescribe twice).
 */
import { CuerCallFailed, CuerFault, CuerOutcomeUnknown, CuerRejected, CuerUnavailable } from '../../bridges/erecept/cuer-client';
import { CuerProtocolError } from '../../bridges/erecept/cuer-response';
import type { IssueType } from '../http/operation-outcome';
import { FhirHttpError } from '../http/http-error';

/** ASSUMED URI of SÚKL's error list (cuer-erecept.xsd KodChyby). */
export const CUER_ERROR_SYSTEM = 'https://www.sukl.cz/erecept/chyba';

const BY_CODE: Record<string, { status: number; code: IssueType }> = {
  CUER_NEPLATNY_PODPIS: { status: 502, code: 'security' },
  CUER_NEOPRAVNENY: { status: 403, code: 'forbidden' },
  CUER_NEPLATNA_DATA: { status: 422, code: 'business-rule' },
  CUER_NENALEZENO: { status: 404, code: 'not-found' },
  CUER_NEPOVOLENY_STAV: { status: 409, code: 'conflict' },
};

/** The error as the FHIR answer, or undefined for an error that is none of CÚER's. */
export function cuerOutcome(err: unknown, retryAfterSeconds: number): FhirHttpError | undefined {
  if (err instanceof CuerUnavailable) {
    return new FhirHttpError(503, [{ severity: 'error', code: 'transient', diagnostics: err.message }], { 'Retry-After': String(retryAfterSeconds) });
  }
  if (err instanceof CuerOutcomeUnknown) return FhirHttpError.of(504, 'timeout', err.message);
  if (err instanceof CuerRejected) return FhirHttpError.of(502, 'security', err.message);
  if (err instanceof CuerProtocolError || err instanceof CuerCallFailed) return FhirHttpError.of(502, 'exception', err.message);
  if (err instanceof CuerFault) {
    const shape = BY_CODE[err.kod] ?? { status: 502, code: 'exception' as IssueType };
    return new FhirHttpError(shape.status, [
      { severity: 'error', code: shape.code, details: { coding: [{ system: CUER_ERROR_SYSTEM, code: err.kod }], text: err.popis }, diagnostics: err.message },
    ]);
  }
  return undefined;
}
