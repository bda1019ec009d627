/**
 * FHIR system URIs <-> XDS OIDs, for coded values (Coding.system <-> codingScheme) and
 * for identifiers (Identifier.system <-> assigning authority). The tables are data:
 * ihe-profiles/code-systems.json and the affinity profile's patientIdSystems. A system
 * the tables do not name travels as `urn:oid:<OID>` <-> `<OID>`.
 */
import defaultTable from '../../../../ihe-profiles/code-systems.json';
import { isOid } from '../../../domain/hl7v2';
import type { Code } from '../../../domain/metadata';
import type { CodeableConcept, Coding } from './fhir-types';

export interface SystemEntry {
  uri: string;
  oid: string;
  name?: string;
}

/** The shape of ihe-profiles/code-systems.json. */
export interface CodeSystemTable {
  codeSystems: SystemEntry[];
  identifierSystems: SystemEntry[];
}

export const DEFAULT_CODE_SYSTEMS: CodeSystemTable = defaultTable;

/** One URI <-> OID table; the first entry naming an OID is the URI written for it. */
class SystemMap {
  private readonly toOid = new Map<string, string>();
  private readonly toUri = new Map<string, string>();

  constructor(entries: Iterable<SystemEntry>) {
    for (const { uri, oid } of entries) {
      if (!this.toOid.has(uri)) this.toOid.set(uri, oid);
      if (!this.toUri.has(oid)) this.toUri.set(oid, uri);
    }
  }

  oid(uri: string): string | undefined {
    const known = this.toOid.get(uri);
    if (known) return known;
    const bare = uri.startsWith('urn:oid:') ? uri.slice(8) : undefined;
    return bare && isOid(bare) ? bare : undefined;
  }

  uri(oid: string): string {
    return this.toUri.get(oid) ?? `urn:oid:${oid}`;
  }
}

export type CodeResult = { ok: true; code: Code } | { ok: false; reason: string };

export class Terminology {
  private readonly codes: SystemMap;
  private readonly identifiers: SystemMap;
  private readonly patients: SystemMap;

  /**
   * @param patientIdSystems FHIR identifier system -> patient assigning authority OID (AffinityProfile.patientIdSystems)
   * @param table code and identifier systems (defaults to ihe-profiles/code-systems.json)
   */
  constructor(patientIdSystems: Record<string, string>, table: CodeSystemTable = DEFAULT_CODE_SYSTEMS) {
    const patientEntries = Object.entries(patientIdSystems).map(([uri, oid]) => ({ uri, oid }));
    this.codes = new SystemMap(table.codeSystems);
    this.patients = new SystemMap(patientEntries);
    // Authors and organizations may carry patient-domain identifiers too (a patient as author).
    this.identifiers = new SystemMap([...table.identifierSystems, ...patientEntries]);
  }

  codeSystemOid(uri: string): string | undefined {
    return this.codes.oid(uri);
  }

  codeSystemUri(oid: string): string {
    return this.codes.uri(oid);
  }

  identifierSystemOid(uri: string): string | undefined {
    return this.identifiers.oid(uri);
  }

  identifierSystemUri(oid: string): string {
    return this.identifiers.uri(oid);
  }

  patientSystemOid(uri: string): string | undefined {
    return this.patients.oid(uri);
  }

  patientSystemUri(oid: string): string {
    return this.patients.uri(oid);
  }

  /** Coding -> XDS Code; the scheme must be known or urn:oid:. */
  codingToCode(coding: Coding | undefined): CodeResult {
    if (!coding || typeof coding.code !== 'string' || coding.code === '') return { ok: false, reason: 'a coding with a code is required' };
    if (typeof coding.system !== 'string' || coding.system === '') return { ok: false, reason: `code ${coding.code} has no system, and XDS needs a coding scheme` };
    const scheme = this.codeSystemOid(coding.system);
    if (!scheme) return { ok: false, reason: `code system ${coding.system} has no OID in ihe-profiles/code-systems.json and is not urn:oid:` };
    return { ok: true, code: { code: coding.code, scheme, ...(typeof coding.display === 'string' ? { display: coding.display } : {}) } };
  }

  /** CodeableConcept -> XDS Code: XDS holds one code, so the first coding is taken. */
  conceptToCode(concept: CodeableConcept | undefined): CodeResult {
    const first = Array.isArray(concept?.coding) ? concept.coding[0] : undefined;
    return this.codingToCode(first);
  }

  codeToCoding(code: Code): Coding {
    return { system: this.codeSystemUri(code.scheme), code: code.code, ...(code.display ? { display: code.display } : {}) };
  }

  codeToConcept(code: Code): CodeableConcept {
    return { coding: [this.codeToCoding(code)] };
  }
}
