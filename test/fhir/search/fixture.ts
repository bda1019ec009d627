// Registry content for the ITI-66/67 search tests, registered through registry.submit and
// the ITI-57 status change (no rows written by hand), and helpers to search it.
//
// Patient P (RID-like id in the RID authority):
//   ss1 2024-01-10  dA discharge, Novák Jan; folder f1 (dA)
//   ss2 2024-03-01  dB lab, Svobodová Eva, codes differing from dA; folder f2 (dB)
//   ss3 2024-02-01  dC, later replaced (Deprecated)
//   ss4 2024-03-15  dD RPLC dC (Dvořák Petr), dE APND dA (uniqueId with extension), dF on-demand
//   ss5 2024-03-20  ITI-57: f2 deprecated
// Patient Q: ssX with dX (a copy of dA's attributes).
import { loadConfig } from '../../../src/config';
import { AssociationType, AvailabilityStatus, DocumentEntryType, type Author, type DocumentEntry } from '../../../src/domain/metadata';
import { SYSTEM_PRINCIPAL, type Principal } from '../../../src/domain/principal';
import type { Submission } from '../../../src/domain/submission';
import { createMhdMapping, type FhirResource } from '../../../src/fhir/mhd/mapping';
import { searchResources, type SearchDeps, type SearchsetBundle } from '../../../src/fhir/mhd/search';
import { Registry } from '../../../src/registry/registry';
import type { Database } from '../../../src/store/sql/database';
import { SqlRegistryStore } from '../../../src/store/sql/registry/sql-registry-store';
import { CONFIDENTIALITY, FORMAT_CODES, LOINC, SNOMED, TEST_AUTHORITY, association, documentEntry, folder, patientCx, submission, submissionSet, uniqueOid } from '../../support/metadata-builders';

export const FHIR_BASE = 'https://gw.example.cz/fhir';
export const RID_SYSTEM = 'https://ncez.mzcr.cz/fhir/sid/rid';
export const EVENT_SCHEME = '1.2.203.999.5.2';
export const FOLDER_SCHEME = '1.2.203.999.5.3';
export const REFERENCE_AUTHORITY = '1.2.203.999.4';
export const SYSTEMS = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  format: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode',
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  event: `urn:oid:${EVENT_SCHEME}`,
};

const author = (person: string): Author => ({ person, institutions: [], roles: [], specialties: [], telecommunications: [] });
const code = (c: string, scheme: string) => ({ code: c, scheme });

export interface SearchFixture {
  registry: Registry;
  deps: SearchDeps;
  /** Name (dA, ss1, f1, ...) -> entryUUID. */
  ids: Record<string, string>;
  /** Name -> uniqueId. */
  uniqueIds: Record<string, string>;
  patient: { rid: string; cx: string };
  other: { rid: string; cx: string };
  homeCommunityId: string;
  /** Names of entryUUIDs (or bare resource ids), in order. */
  names(ids: readonly string[]): string[];
}

export function newRegistry(db: Database, clock: () => string, env: Record<string, string> = {}): Registry {
  const config = loadConfig({ AUTH: 'off', ...env });
  return new Registry(new SqlRegistryStore(db), {
    profile: config.profile,
    patientPolicy: { check: config.patientCheck, acceptedAuthorities: config.acceptedPatientAuthorities },
    homeCommunityId: config.homeCommunityId,
    now: clock,
  });
}

export function depsFor(registry: Registry): SearchDeps {
  return { registry, mapping: createMhdMapping({ patientIdSystems: registry.options.profile.patientIdSystems, fhirBase: FHIR_BASE }) };
}

export async function loadSearchFixture(db: Database): Promise<SearchFixture> {
  let now = '20240101000000';
  const registry = newRegistry(db, () => now);
  const rid = (cx: string) => cx.split('^')[0]!;
  const P = patientCx();
  const Q = patientCx();
  await registry.registerPatient(P);
  await registry.registerPatient(Q);

  const ids: Record<string, string> = {};
  const uniqueIds: Record<string, string> = {};
  /** Submits at registry time `at`, recording the entryUUIDs of the named objects and of the set. */
  const submit = async (setName: string, at: string, named: Record<string, { entryUuid: string; uniqueId: string }>, s: Submission) => {
    now = at;
    const r = await registry.submit(s, SYSTEM_PRINCIPAL);
    if (r.status !== 'Success') throw new Error(`fixture submission failed: ${JSON.stringify(r.errors)}`);
    for (const [name, o] of Object.entries({ ...named, [setName]: s.submissionSet })) {
      ids[name] = r.ids[o.entryUuid] ?? o.entryUuid;
      uniqueIds[name] = o.uniqueId;
    }
  };

  const discharge = (patient: string, over: Partial<DocumentEntry> = {}) =>
    documentEntry(patient, {
      creationTime: '20240110120000',
      serviceStartTime: '20240105080000',
      serviceStopTime: '20240109100000',
      eventCodes: [code('CARDIO', EVENT_SCHEME)],
      referenceIds: [`ORD-1^^^&${REFERENCE_AUTHORITY}&ISO^urn:ihe:iti:xds:2013:order`],
      ...over,
    });

  const dA = discharge(P);
  const f1 = folder(P, { codes: [code('18842-5', LOINC)] });
  await submit('ss1', '20240110120500', { dA, f1 }, submission(P, {
    documents: [dA],
    folders: [f1],
    associations: [association(AssociationType.HasMember, f1.entryUuid, dA.entryUuid)],
    set: { submissionTime: '20240110120500', sourceId: '1.2.203.999.1', authors: [author('^Novák^Jan^^^MUDr.')] },
  }));

  const dB = documentEntry(P, {
    classCode: code('11502-2', LOINC),
    typeCode: code('11502-2', LOINC),
    practiceSettingCode: code('394609007', SNOMED),
    healthcareFacilityTypeCode: code('35971002', SNOMED),
    formatCode: code('urn:ihe:pcc:xds-ms:2007', FORMAT_CODES),
    confidentialityCodes: [code('N', CONFIDENTIALITY), code('R', CONFIDENTIALITY)],
    eventCodes: [code('CARDIO', EVENT_SCHEME), code('ECG', EVENT_SCHEME)],
    creationTime: '20240301101500',
    serviceStartTime: '20240220',
    serviceStopTime: '20240225',
    authors: [author('^Svobodová^Eva^^^MUDr.')],
    referenceIds: [`ACC-9^^^&${REFERENCE_AUTHORITY}&ISO^urn:ihe:iti:xds:2013:accession`],
  });
  const f2 = folder(P, { codes: [code('CARDIO-FOLDER', FOLDER_SCHEME)] });
  await submit('ss2', '20240301103000', { dB, f2 }, submission(P, {
    documents: [dB],
    folders: [f2],
    associations: [association(AssociationType.HasMember, f2.entryUuid, dB.entryUuid)],
    set: { submissionTime: '20240301103000', sourceId: '1.2.203.999.2', contentTypeCode: code('11502-2', LOINC), authors: [author('^Svobodová^Eva^^^MUDr.')] },
  }));

  const dC = documentEntry(P, { creationTime: '20240201', referenceIds: [] });
  await submit('ss3', '20240201090000', { dC }, submission(P, { documents: [dC], set: { submissionTime: '20240201090000', sourceId: '1.2.203.999.1' } }));

  const dD = documentEntry(P, { creationTime: '20240315', authors: [author('123^Dvořák^Petr^^^^^^&2.25.155748392722877467759936676619915953321&ISO')] });
  const dE = documentEntry(P, { uniqueId: `${uniqueOid()}^ABC123`, creationTime: '20240316', confidentialityCodes: [code('R', CONFIDENTIALITY)], authors: [author('^Horák^Karel')] });
  const dF = documentEntry(P, { objectType: DocumentEntryType.OnDemand, hash: undefined, size: undefined, creationTime: undefined, authors: [author('^Nováková^Jana')] });
  await submit('ss4', '20240315120000', { dD, dE, dF }, submission(P, {
    documents: [dD, dE, dF],
    associations: [association(AssociationType.Replace, dD.entryUuid, ids.dC!), association(AssociationType.Append, dE.entryUuid, ids.dA!)],
    set: { submissionTime: '20240315120000', sourceId: '1.2.203.999.3', authors: [author('123^Dvořák^Petr')] },
  }));

  now = '20240320120000';
  const update = await registry.changeAvailabilityStatus(
    submissionSet(P, { submissionTime: '20240320120000', sourceId: '1.2.203.999.3' }),
    { target: { entryUuid: ids.f2! }, originalStatus: AvailabilityStatus.Approved, newStatus: AvailabilityStatus.Deprecated },
    SYSTEM_PRINCIPAL,
  );
  ids.ss5 = update.submissionSet;

  const dX = discharge(Q);
  await submit('ssX', '20240110130000', { dX }, submission(Q, { documents: [dX], set: { submissionTime: '20240110130000' } }));

  const byId = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
  return {
    registry,
    deps: depsFor(registry),
    ids,
    uniqueIds,
    patient: { rid: rid(P), cx: P },
    other: { rid: rid(Q), cx: Q },
    homeCommunityId: registry.options.homeCommunityId,
    names: (list) => list.map((id) => byId.get(id.startsWith('urn:uuid:') ? id : `urn:uuid:${id}`) ?? id),
  };
}

/** The bare resource id (FHIR id) of a fixture object. */
export function resourceId(fx: SearchFixture, name: string): string {
  return fx.ids[name]!.slice('urn:uuid:'.length);
}

export type Params = Array<[string, string]>;

export function searchUrl(resourceType: string, params: Params): string {
  return `${FHIR_BASE}/${resourceType}?${new URLSearchParams(params).toString()}`;
}

export function runSearch(
  fx: SearchFixture,
  resourceType: 'DocumentReference' | 'List',
  params: Params,
  options: { strict?: boolean; principal?: Principal; deps?: SearchDeps; selfUrl?: string } = {},
): Promise<SearchsetBundle> {
  return searchResources(
    { resourceType, params, strict: options.strict ?? true, selfUrl: options.selfUrl ?? searchUrl(resourceType, params) },
    options.deps ?? fx.deps,
    options.principal ?? SYSTEM_PRINCIPAL,
  );
}

export function matches(bundle: SearchsetBundle): FhirResource[] {
  return bundle.entry.filter((e) => e.search.mode === 'match').map((e) => e.resource!);
}

/** Fixture names of the matched resources, in Bundle order. */
export function matchNames(fx: SearchFixture, bundle: SearchsetBundle): string[] {
  return fx.names(matches(bundle).map((r) => r.id!));
}

export function outcome(bundle: SearchsetBundle): Array<{ severity: string; code: string; diagnostics: string; expression?: string[] }> {
  const entry = bundle.entry.find((e) => e.search.mode === 'outcome');
  return (entry?.resource as { issue?: Array<{ severity: string; code: string; diagnostics: string; expression?: string[] }> } | undefined)?.issue ?? [];
}

export { TEST_AUTHORITY };
