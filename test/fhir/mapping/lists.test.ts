import assert from 'node:assert/strict';
import { AvailabilityStatus, type Folder, type SubmissionSet } from '../../../src/domain/metadata';
import { Extensions, ListTypes, Profiles, type List, type Organization } from '../../../src/fhir/mhd/mapping';
import { LOINC, SNOMED } from '../../support/metadata-builders';
import { HCID, mhd, PATIENT_CX, RID, RID_SYSTEM } from './support';

const DOC = 'urn:uuid:0b6a3f4e-5d2c-4e8b-9a51-2f7c1d0e9a11';
const FOLDER = 'urn:uuid:7c1d0e9a-2f7c-4e8b-9a51-0b6a3f4e5d2c';
const json = <T>(v: T): T => JSON.parse(JSON.stringify(v));

function fullSubmissionSet(): SubmissionSet {
  return {
    entryUuid: 'urn:uuid:3e1f2a4b-6c5d-4e7f-8a9b-0c1d2e3f4a5b',
    uniqueId: '2.25.221224956196393243938596818182716614928',
    sourceId: '2.25.75219843810648457211310670644150364629',
    patientId: PATIENT_CX,
    submissionTime: '20260314091530',
    homeCommunityId: HCID,
    contentTypeCode: { code: '18842-5', scheme: LOINC, display: 'Discharge summary' },
    title: 'Propuštění z interního oddělení',
    comments: 'Odesláno při propuštění.',
    authors: [
      {
        person: '123456789^Dvořák^Jan^^^MUDr.^^^&2.25.155748392722877467759936676619915953321&ISO',
        institutions: ['Nemocnice Ukázka^^^^^&2.25.304345200068535870142747300101570555840&ISO^^^^00064165'],
        roles: [],
        specialties: [],
        telecommunications: ['^NET^Internet^jan.dvorak@nemocnice-ukazka.cz'],
      },
    ],
    intendedRecipients: [
      'Praktický lékař Ukázková^^^^^&2.25.186696816181552134137054213417541600386&ISO^^^^72004000|^Ukázková^Marie^^^MUDr.|^NET^Internet^ordinace@praktik-ukazka.cz',
      '|^Novák^Petr',
      'Nemocnice Vzor^^^^^^^^^1.2.203.55.9',
      '||^NET^Internet^pacientka@example.cz',
    ],
  };
}

describe('mhd/mapping SubmissionSet <-> List', () => {
  it('round-trips a SubmissionSet with every mapped attribute, members as List.entry', () => {
    const ss = fullSubmissionSet();
    const list = mhd.submissionSetList(ss, [{ kind: 'DocumentEntry', entryUuid: DOC }, { kind: 'Folder', entryUuid: FOLDER }]);
    assert.deepEqual(list.meta?.profile, [Profiles.SubmissionSet.Comprehensive]);
    assert.deepEqual(list.code, { coding: [{ system: ListTypes.system, code: 'submissionset' }] });
    assert.equal(list.status, 'current');
    assert.equal(list.mode, 'working');
    assert.equal(list.date, '2026-03-14T09:15:30Z');
    assert.deepEqual(list.subject, { type: 'Patient', identifier: { system: RID_SYSTEM, value: RID } });
    assert.deepEqual(list.extension?.[0], { url: Extensions.sourceId, valueIdentifier: { system: 'urn:ietf:rfc:3986', value: `urn:oid:${ss.sourceId}` } });
    assert.deepEqual(list.entry, [{ item: { reference: 'DocumentReference/0b6a3f4e-5d2c-4e8b-9a51-2f7c1d0e9a11' } }, { item: { reference: 'List/7c1d0e9a-2f7c-4e8b-9a51-0b6a3f4e5d2c' } }]);

    const back = mhd.submissionSet(json(list));
    assert.deepEqual(back.value, ss);
    assert.deepEqual(back.members.map((m) => [m.reference.reference, m.path]), [
      ['DocumentReference/0b6a3f4e-5d2c-4e8b-9a51-2f7c1d0e9a11', 'List.entry[0].item'],
      ['List/7c1d0e9a-2f7c-4e8b-9a51-0b6a3f4e5d2c', 'List.entry[1].item'],
    ]);
  });

  it('writes an Organization author in the authorOrg extension of List.source', () => {
    const ss: SubmissionSet = { ...fullSubmissionSet(), authors: [{ institutions: ['Nemocnice Vzor^^^^^^^^^1.2.203.55.9'], roles: [], specialties: [], telecommunications: [] }] };
    const list = mhd.submissionSetList(ss);
    assert.equal(list.source?.reference, undefined);
    assert.equal(list.source?.extension?.[0]?.url, Extensions.authorOrg);
    const org = list.contained?.find((r) => `#${r.id}` === list.source?.extension?.[0]?.valueReference?.reference) as Organization;
    assert.deepEqual(org.identifier, [{ system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.203.55.9' }]);
    assert.deepEqual(mhd.submissionSet(json(list)).value.authors, ss.authors);
  });

  it('round-trips a minimal SubmissionSet (limitedMetadata) with the Minimal profile', () => {
    const ss: SubmissionSet = { ...fullSubmissionSet(), authors: [], intendedRecipients: [], limitedMetadata: true };
    delete ss.contentTypeCode;
    delete ss.title;
    delete ss.comments;
    delete ss.homeCommunityId;
    const list = mhd.submissionSetList(ss);
    assert.deepEqual(list.meta?.profile, [Profiles.SubmissionSet.Minimal]);
    assert.deepEqual(mhd.submissionSet(json(list)).value, ss);
  });
});

describe('mhd/mapping Folder <-> List', () => {
  function fullFolder(): Folder {
    return {
      entryUuid: FOLDER,
      uniqueId: '2.25.296881309612546498019684084433873813474',
      patientId: PATIENT_CX,
      availabilityStatus: AvailabilityStatus.Approved,
      homeCommunityId: HCID,
      title: 'Hospitalizace 10.–14. 3. 2026',
      comments: 'Dokumenty jedné hospitalizace',
      lastUpdateTime: '20260314091530',
      codes: [
        { code: '32485007', scheme: SNOMED, display: 'Hospitalizace' },
        { code: '18842-5', scheme: LOINC },
      ],
    };
  }

  it('round-trips a Folder with every mapped attribute, documents as List.entry', () => {
    const folder = fullFolder();
    const list: List = mhd.folderList(folder, [DOC]);
    assert.deepEqual(list.meta?.profile, [Profiles.Folder.Comprehensive]);
    assert.deepEqual(list.code, { coding: [{ system: ListTypes.system, code: 'folder' }] });
    assert.equal(list.extension?.filter((e) => e.url === Extensions.designationType).length, 2);
    assert.deepEqual(list.entry, [{ item: { reference: 'DocumentReference/0b6a3f4e-5d2c-4e8b-9a51-2f7c1d0e9a11' } }]);
    const back = mhd.folder(json(list));
    assert.deepEqual(back.value, folder);
    assert.equal(back.members.length, 1);
  });

  it('maps Deprecated to retired and back', () => {
    const list = mhd.folderList({ ...fullFolder(), availabilityStatus: AvailabilityStatus.Deprecated });
    assert.equal(list.status, 'retired');
    assert.equal(mhd.folder(json(list)).value.availabilityStatus, AvailabilityStatus.Deprecated);
  });

  it('round-trips a minimal Folder', () => {
    const folder: Folder = { entryUuid: FOLDER, uniqueId: '2.25.296881309612546498019684084433873813474', patientId: PATIENT_CX, codes: [], limitedMetadata: true, availabilityStatus: AvailabilityStatus.Approved };
    const list = mhd.folderList(folder);
    assert.deepEqual(list.meta?.profile, [Profiles.Folder.Minimal]);
    assert.deepEqual(mhd.folder(json(list)).value, folder);
  });

  it('refuses a SubmissionSet List read as a Folder', () => {
    const list = mhd.submissionSetList(fullSubmissionSet());
    list.meta = { profile: [Profiles.Folder.Minimal] };
    assert.throws(() => mhd.folder(list), /a Folder List has code/);
  });
});
