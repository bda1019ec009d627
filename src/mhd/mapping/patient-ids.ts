/**
 * Patient identifiers: XDS CX `value^^^&OID&ISO` -> FHIR Identifier { system, value }. The
 * authority is looked up in the affinity profile's patientIdSystems (e.g. the Czech RID
 * system https://ncez.mzcr.cz/fhir/sid/rid) or given as urn:oid:OID. The other direction
 * is domain/patient-identifier.ts.
 */
import { parseCx } from '../../domain/hl7v2';
import type { Identifier } from './fhir-types';
import type { Terminology } from './terminology';

export function cxToIdentifier(cx: string, terminology: Terminology): Identifier | undefined {
  const parsed = parseCx(cx);
  return parsed ? { system: terminology.patientSystemUri(parsed.authority), value: parsed.id } : undefined;
}
