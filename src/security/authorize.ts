/**
 * Whether a known caller may make a request: the one decision every front end asks, so FHIR
 * and SOAP enforce the same rules. Throws AccessDeniedError; the caller's front end answers
 * 403 or a SOAP fault and the transaction's audit record notes the refusal.
 *
 *  - Emergency (break-the-glass) purposes only where EMERGENCY_ACCESS=allow.
 *  - A token's scopes must grant every interaction the request makes (a caller known by
 *    SAML assertion or client certificate carries no scopes and is not limited by them).
 *  - A patient-context caller reads and searches, and changes documents only (never patients
 *    or the audit trail); the core confines all of it to its patient. A patient's own app
 *    (the grant is a patient/ scope) may add documents, not update or delete them: the
 *    record is rewritten by professionals (a user/ or system/ scope, an assertion, a certificate).
 */
import { AccessDeniedError } from '../domain/access-denied';
import type { Principal } from '../domain/principal';
import { scopeFor, scopesAllow, type Access } from './scopes';

export interface AccessPolicy {
  emergencyAccess: boolean;
}

const DOCUMENT_RESOURCES = new Set<Access['resource']>(['DocumentReference', 'List', 'Binary']);

function patientBoundMay(principal: Principal, a: Access): boolean {
  if (a.interaction === 'read' || a.interaction === 'search') return true;
  if (!DOCUMENT_RESOURCES.has(a.resource)) return false;
  return a.interaction === 'create' || principal.scopes === undefined || scopesAllow(principal.scopes, a, false);
}

function describe(a: Access): string {
  return `${a.interaction} ${a.resource}`;
}

export function authorize(principal: Principal, accesses: readonly Access[], policy: AccessPolicy): void {
  if (principal.emergency && !policy.emergencyAccess) {
    throw new AccessDeniedError('emergency access requested where EMERGENCY_ACCESS is not allowed');
  }
  const scopes = principal.scopes;
  if (scopes) {
    const missing = accesses.find((a) => !scopesAllow(scopes, a, principal.patientId !== undefined));
    if (missing) {
      const scope = scopeFor(missing, principal.patientId !== undefined ? 'patient' : 'system');
      throw new AccessDeniedError(`token scopes do not grant ${describe(missing)}`, `insufficient scope: ${describe(missing)} needs ${scope}`, scope);
    }
  }
  if (principal.patientId !== undefined) {
    const refused = accesses.find((a) => !patientBoundMay(principal, a));
    if (refused) throw new AccessDeniedError(`a patient-context caller may not ${describe(refused)}`);
  }
}
