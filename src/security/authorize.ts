/**
 * Whether a known caller may make a request: the one decision every front end asks, so FHIR
 * and SOAP enforce the same rules. Throws AccessDeniedError; the caller's front end answers
 * 403 or a SOAP fault and the transaction's audit record notes the refusal.
 *
 *  - Emergency (break-the-glass) purposes only where EMERGENCY_ACCESS=allow.
 *  - A token's scopes must grant every interaction the request makes (a caller known by
 *    SAML assertion or client certificate carries no scopes and is not limited by them).
 *  - A patient-context caller reads and searches (the core then shows it only its patient),
 *    may submit documents (the registry checks they are about its patient), and may not
 *    update or delete anything, nor create resources other than documents.
 */
import { AccessDeniedError } from '../domain/access-denied';
import type { Principal } from '../domain/principal';
import { scopeFor, scopesAllow, type Access } from './scopes';

export interface AccessPolicy {
  emergencyAccess: boolean;
}

const PATIENT_CREATABLE = new Set<Access['resource']>(['DocumentReference', 'List', 'Binary']);

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
    const refused = accesses.find((a) => a.interaction === 'update' || a.interaction === 'delete' || (a.interaction === 'create' && !PATIENT_CREATABLE.has(a.resource)));
    if (refused) throw new AccessDeniedError(`a patient-context caller may not ${describe(refused)}`);
  }
}
