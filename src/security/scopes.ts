/**
 * SMART App Launch scopes (v1 `patient/DocumentReference.read`, v2 `system/*.cruds`) as
 * IHE IUA uses them for MHD: which FHIR interactions a token grants. v2 scopes with a
 * query (`patient/Observation.rs?category=…`) narrow access by search parameters this
 * gateway does not evaluate, so they grant nothing rather than more than they mean.
 */

import type { Access, FhirInteraction } from '../transactions';

/** Declared with the transactions, whose descriptors name the access each needs (src/transactions/access.ts). */
export type { Access, FhirInteraction, ProtectedResource } from '../transactions';

const LETTER: Record<FhirInteraction, string> = { create: 'c', read: 'r', update: 'u', delete: 'd', search: 's' };
const V1: Record<string, string> = { read: 'rs', write: 'cud', '*': 'cruds' };
const SCOPE = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)$/;

interface Grant {
  context: 'patient' | 'user' | 'system';
  resource: string;
  letters: string;
}

function grantOf(scope: string): Grant | undefined {
  const m = SCOPE.exec(scope);
  if (!m) return undefined;
  const letters = V1[m[3]!] ?? (/^c?r?u?d?s?$/.test(m[3]!) ? m[3]! : undefined);
  return letters ? { context: m[1] as Grant['context'], resource: m[2]!, letters } : undefined;
}

/** The scope string that would grant `access` (for RFC 6750 insufficient_scope answers). */
export function scopeFor(access: Access, context: Grant['context'] = 'system'): string {
  return `${context}/${access.resource}.${LETTER[access.interaction]}`;
}

/**
 * Whether `scopes` grant `access`. patient/ scopes count only for a token with a patient
 * context (the caller then sees that patient alone; the core enforces that part).
 */
export function scopesAllow(scopes: readonly string[], access: Access, hasPatientContext: boolean): boolean {
  const letter = LETTER[access.interaction];
  return scopes.some((s) => {
    const g = grantOf(s);
    if (!g || (g.context === 'patient' && !hasPatientContext)) return false;
    return (g.resource === '*' || g.resource === access.resource) && g.letters.includes(letter);
  });
}

/** Whether any of `scopes` is a patient/ scope: such a token must carry a patient context. */
export function hasPatientScope(scopes: readonly string[]): boolean {
  return scopes.some((s) => grantOf(s)?.context === 'patient');
}
