// Unit tests of the pure parts of MHD routing by homeCommunityId: which communities a search
// asks (hcid, MHD_DEFAULT_COMMUNITIES), and the MHD search a stored query becomes when another
// community is asked over MHD.
import assert from 'node:assert/strict';
import { AvailabilityStatus, DocumentEntryType } from '../../../src/domain/metadata';
import type { StoredQuery } from '../../../src/domain/stored-queries';
import { createMhdMapping } from '../../../src/fhir/mhd/mapping';
import { NotExpressible, remoteSearchOf } from '../../../src/fhir/mhd/remote/stored-query-params';
import { routeByHomeCommunity, type KnownCommunities } from '../../../src/fhir/mhd/search/home-community';
import { parseSearchParams } from '../../../src/fhir/mhd/search/query-params';
import { SearchParameterError } from '../../../src/fhir/mhd/search/search-error';
import { TEST_AUTHORITY } from '../../support/metadata-builders';

const LOCAL = 'urn:oid:1.2.203.99.1';
const B = 'urn:oid:1.2.203.99.2';
const C = 'urn:oid:1.2.203.99.3';
const RID = 'https://ncez.mzcr.cz/fhir/sid/rid';

const known = (defaultCommunities: 'local' | 'all' = 'local'): KnownCommunities => ({ has: (id) => id === B || id === C, all: () => [B, C], defaultCommunities });
/** `k` null: no community directory. */
const route = (hcid: string[], k: KnownCommunities | null = known()) =>
  routeByHomeCommunity(parseSearchParams('DocumentReference', hcid.map((v) => ['hcid', v] as [string, string]), false), LOCAL, k ?? undefined);

function refusedOn(code: string) {
  return (err: unknown) => err instanceof SearchParameterError && err.issues[0]!.code === code && err.issues[0]!.expression === 'hcid';
}

describe('routing a search by hcid', () => {
  it('without hcid: this community, or every community with MHD_DEFAULT_COMMUNITIES=all', () => {
    assert.deepEqual(route([]), { local: true, remote: [], issues: [] });
    assert.deepEqual(route([], known('all')), { local: true, remote: [B, C], issues: [] });
  });

  it('names this community and others, in any spelling; OR lists and repeated parameters (AND) combine', () => {
    assert.deepEqual(route([LOCAL]), { local: true, remote: [], issues: [] });
    assert.deepEqual(route([B]), { local: false, remote: [B], issues: [] });
    assert.deepEqual(route([`urn:ietf:rfc:3986|${B},${LOCAL}`]), { local: true, remote: [B], issues: [] });
    assert.deepEqual(route([`${B},${C}`, C]), { local: false, remote: [C], issues: [] });
  });

  it('an unknown community beside known ones is asked (and answered as unknown); only unknown ones are a 400', () => {
    assert.deepEqual(route([`${B},urn:oid:1.2.203.99.404`]).remote, [B, 'urn:oid:1.2.203.99.404']);
    assert.throws(() => route(['urn:oid:1.2.203.99.404']), refusedOn('value'));
    assert.throws(() => route(['not an oid']), refusedOn('value'));
  });

  it('without a community directory: other communities are not supported, and named in a warning beside this one', () => {
    assert.throws(() => route([B], null), refusedOn('not-supported'));
    const mixed = route([`${B},${LOCAL}`], null);
    assert.deepEqual([mixed.local, mixed.remote, mixed.issues.map((i) => i.code)], [true, [], ['incomplete']]);
  });
});

describe('a stored query as the MHD search that asks another community', () => {
  const terminology = createMhdMapping({ patientIdSystems: { [RID]: TEST_AUTHORITY }, fhirBase: 'https://b.example/fhir' }).terminology;
  const common = { queryId: 'x', returnType: 'LeafClass', metadataLevel: 1 } as const;
  const patient = `7608139877^^^&${TEST_AUTHORITY}&ISO`;

  it('FindDocuments: patient and status', () => {
    const q = { ...common, name: 'FindDocuments', documents: { patientIds: [patient], statuses: [AvailabilityStatus.Approved, AvailabilityStatus.Deprecated], objectTypes: [DocumentEntryType.Stable] } } as StoredQuery;
    assert.deepEqual(remoteSearchOf(q, terminology), { resourceType: 'DocumentReference', params: [['patient.identifier', `${RID}|7608139877`], ['status', 'current,superseded']] });
  });

  it('GetDocuments by uniqueId: the masterIdentifier tokens', () => {
    const q = { ...common, name: 'GetDocuments', documentIds: { by: 'uniqueId', values: ['1.2.3', 'urn:uuid:abc'] } } as StoredQuery;
    assert.deepEqual(remoteSearchOf(q, terminology), { resourceType: 'DocumentReference', params: [['identifier', 'urn:ietf:rfc:3986|urn:oid:1.2.3,urn:ietf:rfc:3986|urn:uuid:abc']] });
  });

  it('FindSubmissionSets and FindFolders: List searches by code', () => {
    const sets = { ...common, name: 'FindSubmissionSets', submissionSets: { patientIds: [patient], statuses: [AvailabilityStatus.Approved] } } as StoredQuery;
    assert.deepEqual(remoteSearchOf(sets, terminology).params, [['patient.identifier', `${RID}|7608139877`], ['code', 'submissionset'], ['status', 'current']]);
    const folders = { ...common, name: 'FindFolders', folders: { patientIds: [patient] } } as StoredQuery;
    assert.deepEqual(remoteSearchOf(folders, terminology).params, [['patient.identifier', `${RID}|7608139877`], ['code', 'folder'], ['status', 'current']]);
  });

  it('refuses what an MHD search would not ask the same: other criteria, other queries, several patients', () => {
    const coded = { ...common, name: 'FindDocuments', documents: { patientIds: [patient], objectTypes: [DocumentEntryType.Stable], classCodes: [{ code: '11502-2' }] } } as StoredQuery;
    assert.throws(() => remoteSearchOf(coded, terminology), (e: unknown) => e instanceof NotExpressible && /classCodes/.test(e.message));
    const byUuid = { ...common, name: 'GetDocuments', documentIds: { by: 'entryUuid', values: ['urn:uuid:1'] } } as StoredQuery;
    assert.throws(() => remoteSearchOf(byUuid, terminology), NotExpressible);
    const two = { ...common, name: 'FindDocuments', documents: { patientIds: [patient, `1^^^&${TEST_AUTHORITY}&ISO`], objectTypes: [DocumentEntryType.Stable] } } as StoredQuery;
    assert.throws(() => remoteSearchOf(two, terminology), NotExpressible);
    assert.throws(() => remoteSearchOf({ ...common, name: 'GetAssociations', uuids: ['urn:uuid:1'] } as StoredQuery, terminology), NotExpressible);
  });
});
