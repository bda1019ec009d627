// ITI-67 / ITI-66 parameters -> the registry's typed query, without a database: patients,
// statuses, codes, times and author patterns arrive as values, never as ITI-18 slot strings.
import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/config';
import { AvailabilityStatus, DocumentEntryType } from '../../../src/domain/metadata';
import { StoredQueryId, type StoredQuery } from '../../../src/domain/stored-queries';
import { createMhdMapping } from '../../../src/fhir/mhd/mapping';
import type { SearchContext } from '../../../src/fhir/mhd/search/context';
import { documentSearchPlan } from '../../../src/fhir/mhd/search/document-search';
import { listSearchPlan } from '../../../src/fhir/mhd/search/list-search';
import type { SearchPlan } from '../../../src/fhir/mhd/search/plan';
import { parseSearchParams } from '../../../src/fhir/mhd/search/query-params';
import { FHIR_BASE, SYSTEMS } from './fixture';

const config = loadConfig({ AUTH: 'off' });
const ctx: SearchContext = {
  terminology: createMhdMapping({ patientIdSystems: config.profile.patientIdSystems, fhirBase: FHIR_BASE }).terminology,
  patientAuthority: config.acceptedPatientAuthorities[0] ?? config.profile.patientIdAuthority,
  homeCommunityId: config.homeCommunityId,
};
const PATIENT = `7608139877^^^&${ctx.patientAuthority}&ISO`;
const LOINC_OID = '2.16.840.1.113883.6.1';

function plan(build: typeof documentSearchPlan, resourceType: 'DocumentReference' | 'List', params: Array<[string, string]>): SearchPlan {
  return build(parseSearchParams(resourceType, params, true), ctx);
}

function queriesOf(p: SearchPlan): StoredQuery[] {
  assert.equal(p.kind, 'find');
  return p.kind === 'find' ? p.requests : [];
}

describe('fhir/mhd/search typed registry query (no database)', () => {
  it('ITI-67 builds FindDocuments with codes, time ranges and author patterns as values', () => {
    const [query, ...rest] = queriesOf(
      plan(documentSearchPlan, 'DocumentReference', [
        ['patient', 'Patient/7608139877'],
        ['status', 'current,superseded'],
        ['type', `${SYSTEMS.loinc}|18842-5,11502-2`],
        ['event', `${SYSTEMS.event}|CARDIO`],
        ['event', 'ECG'],
        ['creation', 'ge2024-01-10'],
        ['creation', 'lt2024-03'],
        ['period', 'le2024-02-01'],
        ['author.family', 'Nov'],
      ]),
    );
    assert.equal(rest.length, 0);
    assert.deepEqual(query, {
      name: 'FindDocuments',
      queryId: StoredQueryId.FindDocuments,
      returnType: 'LeafClass',
      metadataLevel: 1,
      documents: {
        patientIds: [PATIENT],
        statuses: [AvailabilityStatus.Approved, AvailabilityStatus.Deprecated],
        objectTypes: [DocumentEntryType.Stable, DocumentEntryType.OnDemand],
        typeCodes: [{ code: '18842-5', scheme: LOINC_OID }, { code: '11502-2' }],
        eventCodes: [[{ code: 'CARDIO', scheme: '1.2.203.999.5.2' }], [{ code: 'ECG' }]],
        creationTime: { from: '20240110', to: '202403' },
        serviceStartTime: { to: '20240202' },
        authorPersons: ['%^Nov%'],
      },
    });
  });

  it('ITI-67 with related builds FindDocumentsByReferenceId with AND groups of CXi values', () => {
    const [query] = queriesOf(plan(documentSearchPlan, 'DocumentReference', [['patient', 'Patient/7608139877'], ['status', 'current'], ['related', 'urn:oid:1.2.3|A-1']]));
    assert.equal(query!.name, 'FindDocumentsByReferenceId');
    const documents = (query as StoredQuery & { documents: { referenceIds: string[][] } }).documents;
    assert.equal(documents.referenceIds.length, 1);
    assert.ok(documents.referenceIds[0]!.includes('A-1^^^&1.2.3&ISO'), documents.referenceIds[0]!.join(' '));
  });

  it('ITI-67 plans no query when a criterion can match nothing', () => {
    assert.equal(plan(documentSearchPlan, 'DocumentReference', [['patient', 'Patient/7608139877'], ['status', 'entered-in-error']]).kind, 'none');
    assert.equal(plan(documentSearchPlan, 'DocumentReference', [['patient', 'Patient/7608139877'], ['status', 'current'], ['type', 'http://unknown.example|x']]).kind, 'none');
  });

  it('ITI-66 builds FindSubmissionSets and FindFolders, each with its own criteria', () => {
    const [sets, folders, ...rest] = queriesOf(
      plan(listSearchPlan, 'List', [
        ['patient', 'Patient/7608139877'],
        ['code', 'submissionset,folder'],
        ['status', 'current'],
        ['date', 'ge2024-02'],
        ['designationType', `${SYSTEMS.loinc}|18842-5`],
        ['source.given', 'Jan'],
        ['sourceId', 'urn:oid:1.2.203.4'],
      ]),
    );
    assert.equal(rest.length, 0);
    const common = { returnType: 'LeafClass', metadataLevel: 1 } as const;
    const patientAndStatus = { patientIds: [PATIENT], statuses: [AvailabilityStatus.Approved] };
    assert.deepEqual(sets, {
      name: 'FindSubmissionSets',
      queryId: StoredQueryId.FindSubmissionSets,
      ...common,
      submissionSets: { ...patientAndStatus, submissionTime: { from: '202402' }, authorPersons: ['%^%^Jan%'], contentTypeCodes: [{ code: '18842-5', scheme: LOINC_OID }], sourceIds: ['1.2.203.4'] },
    });
    assert.deepEqual(folders, {
      name: 'FindFolders',
      queryId: StoredQueryId.FindFolders,
      ...common,
      folders: { ...patientAndStatus, lastUpdateTime: { from: '202402' }, codes: [[{ code: '18842-5', scheme: LOINC_OID }]] },
    });
  });
});
