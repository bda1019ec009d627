/**
 * `patient` and `patient.identifier` -> the patient CX every ITI-18 Find query needs.
 *
 * A Patient reference names a Patient resource by id; this gateway keeps no Patient
 * resources of its own, so the id is read as the patient's identifier in the affinity
 * domain (PATIENT_ID_AUTHORITY, the RID in the Czech profile): `Patient/7608139877` is
 * `7608139877^^^&<authority>&ISO`. The Czech guide searches by `patient.identifier`
 * (system|value), which names the assigning authority through patientIdSystems; a value
 * without system is read in the domain's authority too. `patient:identifier` is the same
 * as `patient.identifier`.
 */
import { identifierToCx } from '../../../domain/patient-identifier';
import type { SearchContext } from './context';
import { groupsOf, type ParsedSearch } from './query-params';
import { invalidValue, notSupported } from './search-error';
import { parseToken, unescapeValue } from './values';

const PATIENT_REFERENCE = /^(?:.*\/)?Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** The CX of an identifier; without a system, one in the affinity domain's authority. */
function cxOf(system: string | undefined, value: string, parameter: string, ctx: SearchContext): string {
  const r = identifierToCx({ system: system || `urn:oid:${ctx.patientAuthority}`, value }, ctx.terminology);
  if (!r.ok) throw invalidValue(parameter, r.reason);
  return r.cx;
}

function fromReference(escaped: string, ctx: SearchContext): string {
  const value = unescapeValue(escaped);
  const id = PATIENT_REFERENCE.exec(value)?.[1] ?? (FHIR_ID.test(value) ? value : undefined);
  if (!id) throw invalidValue('patient', `"${value}" is not a Patient reference (Patient/<id> or <id>)`);
  return cxOf(undefined, id, 'patient', ctx);
}

function fromIdentifier(escaped: string, parameter: string, ctx: SearchContext): string {
  const token = parseToken(escaped);
  return cxOf(token.system, token.code, parameter, ctx);
}

/**
 * The patient the search names: undefined when it names none, [] when its occurrences
 * name different patients (an AND nothing satisfies), else the one CX. An OR list of
 * several patients is refused: FindDocuments, FindSubmissionSets and FindFolders take one.
 */
export function searchedPatient(search: ParsedSearch, ctx: SearchContext): string[] | undefined {
  const groups = [
    ...groupsOf(search, 'patient').map((g) => ({ g, parameter: 'patient' })),
    ...groupsOf(search, 'patient.identifier').map((g) => ({ g, parameter: 'patient.identifier' })),
  ];
  if (groups.length === 0) return undefined;
  const named = new Set<string>();
  for (const { g, parameter } of groups) {
    const byIdentifier = parameter === 'patient.identifier' || g.modifier === 'identifier';
    const cxs = new Set(g.values.map((v) => (byIdentifier ? fromIdentifier(v, parameter, ctx) : fromReference(v, ctx))));
    if (cxs.size > 1) throw notSupported(parameter, 'a search names one patient; an OR list of patients is not supported');
    named.add([...cxs][0]!);
  }
  return named.size === 1 ? [...named] : [];
}
