import assert from 'node:assert/strict';
import { XdsErrorCode } from '../../../src/domain/error-codes';
import { AssociationType, AvailabilityStatus, DocumentEntryType, type Association, type DocumentEntry } from '../../../src/domain/metadata';
import { RegistryError } from '../../../src/domain/registry-error';
import { Extensions, Profiles, type DocumentReference, type Practitioner, type PractitionerRole } from '../../../src/fhir/mhd/mapping';
import { REPOSITORY_ID } from '../../support/metadata-builders';
import { FHIR_BASE, fullEntry, HCID, mhd, PATIENT_CX, RID, RID_SYSTEM } from './support';

function roundTrip(entry: DocumentEntry, associations: Association[] = []) {
  const dr = mhd.documentReference(entry, associations);
  // Through JSON, as it would travel.
  return { dr, back: mhd.documentEntry(JSON.parse(JSON.stringify(dr)) as DocumentReference) };
}

describe('mhd/mapping DocumentEntry <-> DocumentReference', () => {
  it('round-trips an entry with every mapped attribute', () => {
    const entry = fullEntry();
    const { dr, back } = roundTrip(entry);
    assert.deepEqual(dr.meta?.profile, [Profiles.DocumentReference.Comprehensive]);
    assert.deepEqual(back.entry, entry);
    assert.deepEqual(back.associations, []);
  });

  it('writes the MHD shape: identifiers, status, codes, attachment, context, contained parties', () => {
    const entry = fullEntry();
    const dr = mhd.documentReference(entry);
    assert.equal(dr.id, '0b6a3f4e-5d2c-4e8b-9a51-2f7c1d0e9a11');
    assert.deepEqual(dr.masterIdentifier, { use: 'usual', system: 'urn:ietf:rfc:3986', value: `urn:oid:${entry.uniqueId}` });
    assert.deepEqual(dr.identifier, [{ use: 'official', system: 'urn:ietf:rfc:3986', value: entry.entryUuid }]);
    assert.equal(dr.status, 'current');
    assert.deepEqual(dr.subject, { type: 'Patient', identifier: { system: RID_SYSTEM, value: RID } });
    assert.deepEqual(dr.type?.coding, [{ system: 'http://loinc.org', code: '18842-5', display: 'Propouštěcí zpráva' }]);
    assert.equal(dr.category?.[0]?.coding?.[0]?.code, '34133-9');
    assert.equal(dr.securityLabel?.[0]?.coding?.[0]?.system, 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality');
    const attachment = dr.content?.[0]?.attachment;
    assert.equal(attachment?.hash, Buffer.from(entry.hash!, 'hex').toString('base64'));
    assert.equal(attachment?.creation, '2026-03-14T08:00:00Z');
    assert.equal(attachment?.language, 'cs-CZ');
    assert.equal(
      attachment?.url,
      `${FHIR_BASE}/Binary/${entry.uniqueId}?repositoryUniqueId=${REPOSITORY_ID}&homeCommunityId=${encodeURIComponent(HCID)}`,
    );
    assert.equal(dr.content?.[0]?.format?.system, 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode');
    assert.deepEqual(dr.context?.period, { start: '2026-03-10', end: '2026-03-14T08:00:00Z' });
    assert.equal(dr.context?.encounter?.[0]?.identifier?.value, 'ENC-1');
    assert.equal(dr.context?.related?.[0]?.identifier?.type?.coding?.[0]?.code, 'urn:ihe:iti:xds:2013:order');
    assert.deepEqual(dr.extension?.map((e) => e.url), [Extensions.homeCommunityId, Extensions.czHomeCommunityId]);
    // Every reference to a party points into contained.
    const containedIds = new Set(dr.contained?.map((r) => `#${r.id}`));
    for (const ref of [...(dr.author ?? []), dr.authenticator, dr.context?.sourcePatientInfo]) assert.ok(containedIds.has(ref?.reference ?? ''), ref?.reference);
    const role = dr.contained?.find((r) => r.id === 'author1') as PractitionerRole;
    assert.equal(role.resourceType, 'PractitionerRole');
    const person = dr.contained?.find((r) => r.id === 'author1-person') as Practitioner;
    assert.deepEqual(person.identifier, [{ system: 'https://ncez.mzcr.cz/fhir/sid/krzp', value: '123456789' }]);
    assert.deepEqual(person.name, [{ family: 'Dvořák', given: ['Jan'], prefix: ['MUDr.'] }]);
    assert.deepEqual(role.telecom, [{ system: 'phone', value: '+420 221 000 111', use: 'work' }, { system: 'email', value: 'jan.dvorak@nemocnice-ukazka.cz' }]);
  });

  it('round-trips a minimal entry (limitedMetadata), written with the Minimal profile', () => {
    const entry: DocumentEntry = {
      entryUuid: 'urn:uuid:5a0d8e2b-1c3f-4b7a-8e9d-0f1e2d3c4b5a',
      uniqueId: '2.25.88444233950469054314602514457535433471',
      objectType: DocumentEntryType.Stable,
      availabilityStatus: AvailabilityStatus.Approved,
      patientId: PATIENT_CX,
      mimeType: 'application/pdf',
      hash: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      size: 0,
      repositoryUniqueId: REPOSITORY_ID,
      authors: [],
      confidentialityCodes: [],
      eventCodes: [],
      referenceIds: [],
      limitedMetadata: true,
    };
    const { dr, back } = roundTrip(entry);
    assert.deepEqual(dr.meta?.profile, [Profiles.DocumentReference.Minimal]);
    assert.equal(dr.contained, undefined);
    assert.equal(dr.context, undefined);
    assert.deepEqual(back.entry, entry);
  });

  it('round-trips an on-demand entry: no hash and size is how MHD says On-Demand', () => {
    const entry: DocumentEntry = { ...fullEntry(), objectType: DocumentEntryType.OnDemand };
    delete entry.hash;
    delete entry.size;
    delete entry.creationTime;
    const { dr, back } = roundTrip(entry);
    assert.equal(dr.content?.[0]?.attachment?.hash, undefined);
    assert.deepEqual(back.entry, entry);
  });

  it('maps Deprecated to superseded and back', () => {
    const { dr, back } = roundTrip({ ...fullEntry(), availabilityStatus: AvailabilityStatus.Deprecated });
    assert.equal(dr.status, 'superseded');
    assert.equal(back.entry.availabilityStatus, AvailabilityStatus.Deprecated);
  });

  it('keeps an external document URI when there is no repository', () => {
    const entry = { ...fullEntry(), uri: 'https://archiv.example.cz/dokumenty/42.pdf' };
    delete entry.repositoryUniqueId;
    const { dr, back } = roundTrip(entry);
    assert.equal(dr.content?.[0]?.attachment?.url, entry.uri);
    assert.deepEqual(back.entry, entry);
  });

  it('reports every problem of a bad DocumentReference at its path, in one RegistryError', () => {
    const dr = mhd.documentReference(fullEntry());
    dr.content![0]!.attachment!.hash = 'not-base64!';
    dr.content![0]!.attachment!.creation = '2026-03-14T09:00:00';
    dr.type = { coding: [{ system: 'http://example.org/unknown', code: 'x' }] };
    dr.subject = { identifier: { system: 'https://example.org/mrn', value: '1' } };
    try {
      mhd.documentEntry(dr);
      assert.fail('expected a RegistryError');
    } catch (e) {
      assert.ok(e instanceof RegistryError);
      const got = e.errors.map((x) => [x.code, x.location]);
      assert.deepEqual(got, [
        [XdsErrorCode.XDSRegistryMetadataError, 'DocumentReference.content[0].attachment.hash'],
        [XdsErrorCode.XDSUnknownPatientId, 'DocumentReference.subject.identifier'],
        [XdsErrorCode.XDSRegistryMetadataError, 'DocumentReference.type.coding[0]'],
        [XdsErrorCode.XDSRegistryMetadataError, 'DocumentReference.content[0].attachment.creation'],
      ]);
    }
  });
});

describe('mhd/mapping relatesTo <-> relationship associations', () => {
  const target = (n: number) => `urn:uuid:00000000-0000-4000-8000-00000000000${n}`;
  const assoc = (type: string, n: number): Association => ({ entryUuid: `urn:uuid:10000000-0000-4000-8000-00000000000${n}`, type, sourceId: fullEntry().entryUuid, targetId: target(n) });

  it('writes RPLC, XFRM, APND and signs as replaces, transforms, appends, signs, and reads them back', () => {
    const associations = [assoc(AssociationType.Replace, 1), assoc(AssociationType.Transform, 2), assoc(AssociationType.Append, 3), assoc(AssociationType.Signs, 4)];
    const { dr, back } = roundTrip(fullEntry(), associations);
    assert.deepEqual(dr.relatesTo, [
      { code: 'replaces', target: { reference: 'DocumentReference/00000000-0000-4000-8000-000000000001' } },
      { code: 'transforms', target: { reference: 'DocumentReference/00000000-0000-4000-8000-000000000002' } },
      { code: 'appends', target: { reference: 'DocumentReference/00000000-0000-4000-8000-000000000003' } },
      { code: 'signs', target: { reference: 'DocumentReference/00000000-0000-4000-8000-000000000004' } },
    ]);
    assert.deepEqual(
      back.associations.map((a) => [a.type, a.sourceId, a.targetId]),
      associations.map((a) => [a.type, a.sourceId, a.targetId]),
    );
  });

  it('writes XFRM_RPLC as replaces + transforms of one target and reads that pair back as XFRM_RPLC', () => {
    const { dr, back } = roundTrip(fullEntry(), [assoc(AssociationType.TransformReplace, 5)]);
    assert.deepEqual(dr.relatesTo?.map((r) => r.code), ['replaces', 'transforms']);
    assert.deepEqual(back.associations.map((a) => a.type), [AssociationType.TransformReplace]);
  });

  it('writes IsSnapshotOf as transforms (MHD ConceptMap), ignores associations of other documents and HasMember', () => {
    const other: Association = { ...assoc(AssociationType.Replace, 6), sourceId: target(9) };
    const member: Association = { ...assoc(AssociationType.HasMember, 7) };
    const dr = mhd.documentReference(fullEntry(), [assoc(AssociationType.IsSnapshotOf, 8), other, member]);
    assert.deepEqual(dr.relatesTo, [{ code: 'transforms', target: { reference: 'DocumentReference/00000000-0000-4000-8000-000000000008' } }]);
  });

  it('refuses relatesTo codes MHD does not map and targets that are not registered DocumentReferences', () => {
    const dr = mhd.documentReference(fullEntry());
    dr.relatesTo = [{ code: 'incorporates' as never, target: { reference: 'DocumentReference/00000000-0000-4000-8000-000000000001' } }, { code: 'replaces', target: { reference: 'Binary/1' } }];
    assert.throws(
      () => mhd.documentEntry(dr),
      (e: unknown) => {
        assert.ok(e instanceof RegistryError);
        assert.deepEqual(e.errors.map((x) => x.location), ['DocumentReference.relatesTo[0].code', 'DocumentReference.relatesTo[1].target']);
        assert.equal(e.errors[1]?.code, XdsErrorCode.UnresolvedReferenceException);
        return true;
      },
    );
  });
});
