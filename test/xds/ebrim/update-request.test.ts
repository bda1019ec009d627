// ITI-57 Update Document Set: SubmitObjectsRequest -> UpdateRequest, accepted by the registry's
// request checks, and each operation it cannot decode reported where it is.
import assert from 'node:assert/strict';
import type { Document, Element } from '@xmldom/xmldom';
import { XdsErrorCode } from '../../../src/domain/error-codes';
import { AssociationType, AvailabilityStatus } from '../../../src/domain/metadata';
import { checkUpdateRequest } from '../../../src/registry/lifecycle-request';
import { readUpdateRequest, RIM_NS, updateRequestFromList } from '../../../src/xds/ebrim';
import { assertHasError, byId, fixtureDocument, fixtureList, profile, registryErrors, registryObjectListOf, remove } from './helpers';

const OPERATION = XdsErrorCode.XDSMetadataUpdateOperationError;

function slotValue(owner: Element, name: string): Element {
  const slot = Array.from(owner.getElementsByTagNameNS(RIM_NS, 'Slot')).find((s) => s.getAttribute('name') === name)!;
  return slot.getElementsByTagNameNS(RIM_NS, 'Value')[0]!;
}

function errorsOf(doc: Document) {
  return registryErrors(() => updateRequestFromList(registryObjectListOf(doc)));
}

describe('ebRIM -> UpdateRequest (ITI-57)', () => {
  it('reads new DocumentEntry and Folder versions and a status change', () => {
    const { request, warnings } = readUpdateRequest(fixtureList('iti57-update.xml'));
    assert.deepEqual(warnings, []);
    assert.equal(request.submissionSet.entryUuid, 'SubmissionSet01');
    assert.equal(request.submissionSet.uniqueId, '1.2.203.999.20.2.3001');

    const [doc, folder] = request.newVersions!;
    assert.equal(request.newVersions!.length, 2);
    assert.equal(doc!.object.kind, 'DocumentEntry');
    assert.equal(doc!.object.entryUuid, 'DocumentEntry01-v2');
    assert.equal(doc!.object.logicalId, 'urn:uuid:3b5f1c8e-2d47-4a9b-b6e1-0c9d8e7f6a51');
    assert.equal(doc!.object.title, 'Propouštěcí zpráva – interní oddělení (opravený název)');
    assert.deepEqual(doc!.object.kind === 'DocumentEntry' && doc!.object.confidentialityCodes, [{ code: 'R', scheme: '2.16.840.1.113883.5.25', display: 'omezený přístup' }]);
    assert.equal(doc!.previousVersion, 1);
    assert.ok(!('associationPropagation' in doc!), 'no AssociationPropagation slot: left to the default');

    assert.deepStrictEqual(folder, {
      object: {
        kind: 'Folder',
        entryUuid: 'Folder01-v2',
        logicalId: 'urn:uuid:c4d2e1f0-8a7b-4c6d-9e5f-1a2b3c4d5e6f',
        uniqueId: '1.2.203.999.20.6.1001',
        patientId: '1234567893^^^&2.25.61897394214018412226036367036446431779&ISO',
        title: 'Hospitalizace 10–11/2026',
        codes: [{ code: 'HOSP', scheme: '1.2.203.999.50', display: 'Hospitalizace' }],
      },
      previousVersion: 2,
      associationPropagation: false,
    });

    assert.deepStrictEqual(request.statusChanges, [
      { target: { entryUuid: 'urn:uuid:5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a' }, originalStatus: AvailabilityStatus.Approved, newStatus: AvailabilityStatus.Deprecated },
    ]);
  });

  it('produces a request the registry\'s own update checks accept', () => {
    assert.deepEqual(checkUpdateRequest(updateRequestFromList(fixtureList('iti57-update.xml')), profile), []);
  });

  it('leaves newVersions out of a request with status changes only', () => {
    const doc = fixtureDocument('iti57-update.xml');
    for (const id of ['DocumentEntry01-v2', 'Folder01-v2', 'Member01', 'Member02']) remove(byId(doc, id));
    const request = updateRequestFromList(registryObjectListOf(doc));
    assert.ok(!('newVersions' in request));
    assert.equal(request.statusChanges!.length, 1);
  });

  it('reports a new version whose HasMember has no PreviousVersion', () => {
    const doc = fixtureDocument('iti57-update.xml');
    remove(slotValue(byId(doc, 'Member01'), 'PreviousVersion').parentNode!.parentNode as Element);
    assertHasError(errorsOf(doc), OPERATION, 'Member01', /HasMember Member01 to the new version DocumentEntry01-v2 has no PreviousVersion slot/);
  });

  it('reports a new version that is no member of the SubmissionSet', () => {
    const doc = fixtureDocument('iti57-update.xml');
    remove(byId(doc, 'Member02'));
    assertHasError(errorsOf(doc), OPERATION, 'Folder01-v2', /Folder Folder01-v2 is not a member \(HasMember\) of the SubmissionSet/);
  });

  it('reports an object made a member twice', () => {
    const doc = fixtureDocument('iti57-update.xml');
    const twin = byId(doc, 'Member01').cloneNode(true) as Element;
    twin.setAttribute('id', 'Member01-bis');
    registryObjectListOf(doc).appendChild(twin);
    assertHasError(errorsOf(doc), OPERATION, 'Member01-bis', /DocumentEntry01-v2 is a member of the SubmissionSet twice/);
  });

  it('reports an UpdateAvailabilityStatus without NewStatus, and one not from the SubmissionSet', () => {
    const doc = fixtureDocument('iti57-update.xml');
    const change = byId(doc, 'StatusChange01');
    remove(slotValue(change, 'NewStatus').parentNode!.parentNode as Element);
    change.setAttribute('sourceObject', 'Folder01-v2');
    const errors = errorsOf(doc);
    assertHasError(errors, OPERATION, 'StatusChange01', /needs both an OriginalStatus and a NewStatus slot/);
    assertHasError(errors, OPERATION, 'StatusChange01', /must have the SubmissionSet SubmissionSet01 as sourceObject, not Folder01-v2/);
  });

  it('reports associations that are no update operation (a replacement inside ITI-57)', () => {
    const doc = fixtureDocument('iti57-update.xml');
    const rplc = byId(doc, 'StatusChange01').cloneNode(false) as Element;
    rplc.setAttribute('id', 'Replace01');
    rplc.setAttribute('associationType', AssociationType.Replace);
    rplc.setAttribute('sourceObject', 'DocumentEntry01-v2');
    registryObjectListOf(doc).appendChild(rplc);
    assertHasError(errorsOf(doc), OPERATION, 'Replace01', /urn:ihe:iti:2007:AssociationType:RPLC from DocumentEntry01-v2 .* is no Update Document Set operation/);
  });

  it('reports metadata errors of the new versions as XDSRegistryMetadataError', () => {
    const doc = fixtureDocument('iti57-update.xml');
    remove(byId(doc, 'Folder01-v2-uniqueId'));
    slotValue(byId(doc, 'Member01'), 'PreviousVersion').firstChild!.nodeValue = 'poslední';
    const errors = errorsOf(doc);
    assertHasError(errors, XdsErrorCode.XDSRegistryMetadataError, 'Folder01-v2', /no ExternalIdentifier XDSFolder\.uniqueId/);
    assertHasError(errors, XdsErrorCode.XDSRegistryMetadataError, 'Member01', /Slot PreviousVersion of Member01 "poslední" is not a non-negative integer/);
    assert.equal(errors.filter((e) => e.location === 'Member01').length, 1, 'the bad PreviousVersion is reported once, not again as missing');
  });
});
