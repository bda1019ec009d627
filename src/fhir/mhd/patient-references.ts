/**
 * An ITI-65 Bundle may name its patient by a reference to this server's Patient
 * (`Patient/{id}` or `{base}/Patient/{id}`, as ITI-104 answered) instead of an identifier
 * or a Patient entry. The mapping is pure and resolves such references through a
 * synchronous lookup, so the fed Patients they name are fetched here first.
 */
import type { Principal } from '../../domain/principal';
import type { FhirResource, MhdMapping } from './mapping';
import { storedPatientById } from '../pixm/patients';
import type { MhdServices } from '../http/services';

/** More distinct Patient references than this in one Bundle are not looked up (a Bundle names one patient). */
const MAX_LOOKUPS = 8;
const PATIENT_ID = /^Patient\/([A-Za-z0-9.-]{1,64})$/;

/** Every `reference` string in the Bundle that names a Patient of this server. */
function patientReferences(value: unknown, base: string, found: Map<string, string>, depth = 0): void {
  if (depth > 64 || !value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) patientReferences(v, base, found, depth + 1);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    if (key === 'reference' && typeof v === 'string') {
      const relative = v.startsWith(`${base}/`) ? v.slice(base.length + 1) : v;
      const id = PATIENT_ID.exec(relative)?.[1];
      if (id && found.size < MAX_LOOKUPS) found.set(v, id);
    } else if (typeof v === 'object') patientReferences(v, base, found, depth + 1);
  }
}

/**
 * `pause` is awaited between the Bundle's entries: walking every object of a Bundle at the entry
 * limit took ~15 ms in one piece (issue 11).
 */
export async function patientLookup(
  bundle: Record<string, unknown>,
  base: string,
  services: MhdServices,
  mapping: MhdMapping,
  principal: Principal,
  pause: () => Promise<void> = async () => undefined,
): Promise<(reference: string) => FhirResource | undefined> {
  const refs = new Map<string, string>();
  const { entry, ...rest } = bundle;
  patientReferences(rest, base, refs);
  if (Array.isArray(entry)) {
    for (const e of entry) {
      await pause();
      patientReferences(e, base, refs, 2);
    }
  } else patientReferences(entry, base, refs, 1);
  const resolved = new Map<string, FhirResource>();
  for (const [reference, id] of refs) {
    const patient = await storedPatientById(id, services, mapping, principal);
    if (patient) resolved.set(reference, patient);
  }
  return (reference) => resolved.get(reference);
}
