import assert from 'node:assert/strict';
import type { DocumentReference, List } from '../../../src/fhir/mhd/mapping';
import { readResource } from '../../../src/fhir/mhd/search';
import { SYSTEM_PRINCIPAL } from '../../../src/domain/principal';
import { describeEachStore } from '../../support/databases';
import { loadSearchFixture, resourceId, type SearchFixture } from './fixture';

// Read by id: the id is the entryUUID without urn:uuid:, as the mapping writes resource ids.
describeEachStore('fhir/mhd/search read by id', (ctx) => {
  let fx: SearchFixture;
  before(async () => {
    fx = await loadSearchFixture(ctx.db);
  });

  const read = (type: 'DocumentReference' | 'List', id: string, principal = SYSTEM_PRINCIPAL) => readResource(type, id, fx.deps, principal);

  it('reads a DocumentReference with its relatesTo, and a superseded one', async () => {
    const dD = (await read('DocumentReference', resourceId(fx, 'dD'))) as DocumentReference;
    assert.equal(dD.resourceType, 'DocumentReference');
    assert.equal(dD.id, resourceId(fx, 'dD'));
    assert.deepEqual(dD.identifier, [{ use: 'official', system: 'urn:ietf:rfc:3986', value: fx.ids.dD }]);
    assert.deepEqual(dD.relatesTo, [{ code: 'replaces', target: { reference: `DocumentReference/${resourceId(fx, 'dC')}` } }]);
    const dC = (await read('DocumentReference', resourceId(fx, 'dC'))) as DocumentReference;
    assert.equal(dC.status, 'superseded');
    // Ids are UUIDs; upper case names the same entry.
    assert.equal(((await read('DocumentReference', resourceId(fx, 'dA').toUpperCase())) as DocumentReference).id, resourceId(fx, 'dA'));
  });

  it('reads SubmissionSet and Folder Lists with their entries', async () => {
    const ss2 = (await read('List', resourceId(fx, 'ss2'))) as List;
    assert.equal(ss2.code!.coding![0]!.code, 'submissionset');
    assert.deepEqual(ss2.entry!.map((e) => e.item!.reference), [`DocumentReference/${resourceId(fx, 'dB')}`, `List/${resourceId(fx, 'f2')}`]);
    const f2 = (await read('List', resourceId(fx, 'f2'))) as List;
    assert.equal(f2.code!.coding![0]!.code, 'folder');
    assert.equal(f2.status, 'retired');
    assert.deepEqual(f2.entry!.map((e) => e.item!.reference), [`DocumentReference/${resourceId(fx, 'dB')}`]);
  });

  it('is undefined for unknown ids, ids of the other resource type, non-UUIDs and other patients’ objects', async () => {
    assert.equal(await read('DocumentReference', '00000000-0000-4000-8000-000000000000'), undefined);
    assert.equal(await read('DocumentReference', resourceId(fx, 'ss1')), undefined);
    assert.equal(await read('List', resourceId(fx, 'dA')), undefined);
    assert.equal(await read('List', 'folder-1'), undefined);
    const scoped = { subject: 'app', patientId: fx.other.cx };
    assert.equal(await read('DocumentReference', resourceId(fx, 'dA'), scoped), undefined);
    assert.equal(((await read('DocumentReference', resourceId(fx, 'dX'), scoped)) as DocumentReference).id, resourceId(fx, 'dX'));
  });
});
