/**
 * Patient identifiers: XDS CX `value^^^&OID&ISO` -> FHIR Identifier { system, value }. The
 * authority is looked up in the affinity profile's patientIdSystems (e.g. the Czech RID
 * system https://ncez.mzcr.cz/fhir/sid/rid) or given as urn:oid:OID. The other direction
 * is domain/patient-identifier.ts.
 *
 * sourcePatientId is the source system's own identifier, not the affinity domain's, so it
 * may come from any identifier system: one without an OID keeps its URI as the CX.4
 * universal id of type URI (`value^^^&http://…&URI`, HL7 v2 HD with universal ID type URI).
 */
import { formatCx, parseCx } from '../../../domain/hl7v2';
import { identifierToCx, type CxResult } from '../../../domain/patient-identifier';
import type { Identifier } from './fhir-types';
import type { Terminology } from './terminology';

export function cxToIdentifier(cx: string, terminology: Terminology): Identifier | undefined {
  const parsed = parseCx(cx);
  return parsed ? { system: terminology.patientSystemUri(parsed.authority), value: parsed.id } : undefined;
}

/** HL7 v2 separators, which no CX component may carry. */
const SEPARATORS = /[\^&~\\|]/;
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

/** The CX of a sourcePatientId: an affinity-domain or known-OID system as ISO, any other URI system as URI. */
export function sourceIdentifierToCx(identifier: Identifier | undefined, terminology: Terminology): CxResult {
  const domain = identifierToCx(identifier, terminology);
  const value = identifier?.value;
  const system = identifier?.system;
  if (domain.ok || typeof value !== 'string' || value === '' || SEPARATORS.test(value) || typeof system !== 'string') return domain;
  const oid = terminology.identifierSystemOid(system);
  if (oid) return { ok: true, cx: formatCx({ id: value, authority: oid }) };
  if (URI.test(system) && !SEPARATORS.test(system)) return { ok: true, cx: `${value}^^^&${system}&URI` };
  return { ok: false, reason: `source patient identifier system ${system} is neither a URI nor an OID` };
}

/** sourcePatientId CX -> Identifier, the URI-typed form of sourceIdentifierToCx included. */
export function sourceCxToIdentifier(cx: string, terminology: Terminology): Identifier | undefined {
  const iso = cxToIdentifier(cx, terminology);
  if (iso) return iso;
  const m = /^([^^]+)\^\^\^&([^&]+)&URI$/.exec(cx);
  return m ? { system: m[2]!, value: m[1]! } : undefined;
}
