// ITI-41/ITI-42 SubmitObjectsRequest fixtures -> domain Submission: the exact objects, and
// that the result passes the registry's own rules unchanged.
import assert from 'node:assert/strict';
import { AssociationType, AvailabilityStatus, DocumentEntryType } from '../../../src/domain/metadata';
import type { Submission } from '../../../src/domain/submission';
import { validateCodes, validateSubmissionStructure } from '../../../src/domain/validation';
import { checkMessage } from '../../../src/registry/message-checks';
import { readSubmission, registryObjectListToSubmission } from '../../../src/xds/ebrim';
import { fixtureList, profile } from './helpers';

const PATIENT = '1234567893^^^&2.25.61897394214018412226036367036446431779&ISO';
const LOINC = '2.16.840.1.113883.6.1';
const SNOMED = '2.16.840.1.113883.6.96';
const NOVAKOVA = '123456789^Nováková^Jana^^^MUDr.^^^&1.2.203.999.30&ISO';
const HOSPITAL = 'Krajská nemocnice Horní Lhota, a.s.^^^^^&1.2.203.999.20&ISO^^^^00012345';
const SOURCE_PATIENT = '880412^^^&1.2.203.999.20.4&ISO';
const SOURCE_PATIENT_INFO = [
  `PID-3|${SOURCE_PATIENT}`,
  'PID-5|Svobodová^Marie^^^',
  'PID-7|19580214',
  'PID-8|F',
  'PID-11|Náměstí Míru 7^^Horní Lhota^^76701^CZE',
];

const expectedSingle: Submission = {
  submissionSet: {
    entryUuid: 'SubmissionSet01',
    uniqueId: '1.2.203.999.20.2.1001',
    sourceId: '1.2.203.999.20.1',
    patientId: PATIENT,
    submissionTime: '20261103143500',
    title: 'Propuštění z hospitalizace',
    comments: 'Odesláno praktickému lékaři',
    contentTypeCode: { code: '34133-9', scheme: LOINC, display: 'Souhrn epizody péče' },
    authors: [{ person: NOVAKOVA, institutions: [HOSPITAL], roles: ['Ošetřující lékař'], specialties: ['Vnitřní lékařství'], telecommunications: [] }],
    intendedRecipients: ['Ordinace praktického lékaře^^^^^&1.2.203.999.40&ISO^^^^00067890|^Veselý^Karel^^^MUDr.'],
  },
  documents: [
    {
      entryUuid: 'Document01',
      uniqueId: '1.2.203.999.20.3.1001',
      objectType: DocumentEntryType.Stable,
      patientId: PATIENT,
      sourcePatientId: SOURCE_PATIENT,
      sourcePatientInfo: SOURCE_PATIENT_INFO,
      mimeType: 'application/pdf',
      title: 'Propouštěcí zpráva – interní oddělení',
      comments: 'Hospitalizace 28. 10. – 3. 11. 2026',
      authors: [
        {
          person: NOVAKOVA,
          institutions: [HOSPITAL, 'Interní oddělení^^^^^&1.2.203.999.20&ISO^^^^00012345-INT'],
          roles: ['Ošetřující lékař'],
          specialties: ['Vnitřní lékařství'],
          telecommunications: ['^^Internet^jana.novakova@nemocnice-hl.example.cz'],
        },
        { institutions: [HOSPITAL], roles: [], specialties: [], telecommunications: [] },
      ],
      classCode: { code: '18842-5', scheme: LOINC, display: 'Propouštěcí zpráva' },
      typeCode: { code: '11490-0', scheme: LOINC, display: 'Propouštěcí zpráva lékaře' },
      formatCode: { code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', scheme: '1.3.6.1.4.1.19376.1.2.3', display: 'Formát určen typem MIME' },
      healthcareFacilityTypeCode: { code: '22232009', scheme: SNOMED, display: 'Nemocnice' },
      practiceSettingCode: { code: '419192003', scheme: SNOMED, display: 'Vnitřní lékařství' },
      confidentialityCodes: [{ code: 'N', scheme: '2.16.840.1.113883.5.25', display: 'normální' }],
      eventCodes: [{ code: 'I10', scheme: '2.16.840.1.113883.6.3', display: 'Esenciální (primární) hypertenze' }],
      languageCode: 'cs-CZ',
      legalAuthenticator: '987654321^Dvořák^Petr^^^doc. MUDr.^^^&1.2.203.999.30&ISO',
      creationTime: '20261103143000',
      serviceStartTime: '20261028080000',
      serviceStopTime: '20261103120000',
      referenceIds: ['HOSP-2026-000417^^^&1.2.203.999.20.5&ISO^urn:ihe:iti:xds:2013:encounterId'],
      extraSlots: { 'urn:cz:horni-lhota:oddeleni': ['INT-2', 'JIP-1'] },
    },
  ],
  folders: [],
  associations: [
    { entryUuid: 'Association01', type: AssociationType.HasMember, sourceId: 'SubmissionSet01', targetId: 'Document01', submissionSetStatus: 'Original' },
  ],
};

/** The rules the registry applies before any database work: a decoded fixture must pass them all. */
function assertPassesRegistryRules(s: Submission, requireRepositoryFields: boolean): void {
  assert.deepEqual(validateSubmissionStructure(s, { requireRepositoryFields }), []);
  assert.deepEqual(validateCodes(s, profile), []);
  assert.deepEqual(checkMessage(s), []);
}

describe('ebRIM -> Submission (ITI-41/ITI-42)', () => {
  it('reads a one-document ITI-41 submission into exactly the expected domain objects', () => {
    const { submission, warnings } = readSubmission(fixtureList('iti41-single-document.xml'));
    assert.deepStrictEqual(submission, expectedSingle);
    assert.deepEqual(warnings, []);
    assertPassesRegistryRules(submission, false);
  });

  it('registryObjectListToSubmission is readSubmission without the warnings', () => {
    assert.deepStrictEqual(registryObjectListToSubmission(fixtureList('iti41-single-document.xml')), expectedSingle);
  });

  it('reads two documents, one with nested and one with top-level classifications, to the same shape', () => {
    const s = readSubmission(fixtureList('iti41-two-documents.xml')).submission;
    assert.deepEqual(s.documents.map((d) => d.entryUuid), ['Document01', 'Document02']);
    const [first, second] = s.documents;
    assert.deepStrictEqual({ ...first!, uniqueId: expectedSingle.documents[0]!.uniqueId }, expectedSingle.documents[0]);
    assert.deepStrictEqual(second, {
      entryUuid: 'Document02',
      uniqueId: '1.2.203.999.20.3.1002',
      objectType: DocumentEntryType.Stable,
      patientId: PATIENT,
      sourcePatientId: SOURCE_PATIENT,
      sourcePatientInfo: SOURCE_PATIENT_INFO,
      mimeType: 'text/plain',
      title: 'Laboratorní výsledky – biochemie',
      authors: [{ institutions: ['Oddělení klinické biochemie^^^^^&1.2.203.999.20&ISO^^^^00012345-OKB'], roles: [], specialties: [], telecommunications: [] }],
      classCode: { code: '11502-2', scheme: LOINC, display: 'Laboratorní zpráva' },
      typeCode: { code: '11502-2', scheme: LOINC, display: 'Laboratorní zpráva' },
      formatCode: { code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', scheme: '1.3.6.1.4.1.19376.1.2.3', display: 'Formát určen typem MIME' },
      healthcareFacilityTypeCode: { code: '22232009', scheme: SNOMED, display: 'Nemocnice' },
      practiceSettingCode: { code: '394915009', scheme: SNOMED, display: 'Klinická biochemie' },
      confidentialityCodes: [{ code: 'N', scheme: '2.16.840.1.113883.5.25', display: 'normální' }],
      eventCodes: [],
      languageCode: 'cs-CZ',
      creationTime: '20261102091500',
      referenceIds: [],
    });
    assert.equal(s.associations.length, 2);
    assertPassesRegistryRules(s, false);
  });

  it('reads a folder with its codes, and the HasMember chain that files a document into it', () => {
    const s = readSubmission(fixtureList('iti41-folder.xml')).submission;
    assert.deepStrictEqual(s.folders, [
      {
        entryUuid: 'Folder01',
        uniqueId: '1.2.203.999.20.6.1001',
        patientId: PATIENT,
        title: 'Hospitalizace 10/2026',
        comments: 'Dokumentace jedné hospitalizace na interně',
        codes: [
          { code: 'HOSP', scheme: '1.2.203.999.50', display: 'Hospitalizace' },
          { code: '419192003', scheme: SNOMED, display: 'Vnitřní lékařství' },
        ],
      },
    ]);
    assert.deepStrictEqual(
      s.associations.map((a) => [a.entryUuid, a.sourceId, a.targetId, a.submissionSetStatus]),
      [
        ['Association01', 'SubmissionSet01', 'Document01', 'Original'],
        ['Association02', 'SubmissionSet01', 'Folder01', 'Original'],
        ['FolderMember01', 'Folder01', 'Document01', undefined],
        ['Association03', 'SubmissionSet01', 'FolderMember01', 'Original'],
      ],
    );
    assertPassesRegistryRules(s, false);
  });

  it('reads an ITI-42 submission with repository attributes and RPLC, APND and XFRM relationships', () => {
    const s = readSubmission(fixtureList('iti42-relationships.xml')).submission;
    for (const d of s.documents) {
      assert.match(d.hash!, /^[0-9a-f]{40}$/);
      assert.ok(Number.isSafeInteger(d.size) && d.size! > 0);
      assert.equal(d.repositoryUniqueId, profile.repositoryUniqueId);
    }
    assert.deepStrictEqual(
      s.associations.filter((a) => a.type !== AssociationType.HasMember),
      [
        { entryUuid: 'Relationship1', type: AssociationType.Replace, sourceId: 'Replacement', targetId: 'urn:uuid:6f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f' },
        { entryUuid: 'Relationship2', type: AssociationType.Append, sourceId: 'Addendum', targetId: 'urn:uuid:0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d' },
        { entryUuid: 'Relationship3', type: AssociationType.Transform, sourceId: 'Transformed', targetId: 'urn:uuid:9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b' },
      ],
    );
    assertPassesRegistryRules(s, true);
  });

  it('reads lid, VersionInfo, status and home when a sender (or a registry) gives them', () => {
    const list = fixtureList('iti41-single-document.xml');
    const doc = list.getElementsByTagNameNS(list.namespaceURI, 'ExtrinsicObject')[0]!;
    doc.setAttribute('lid', 'urn:uuid:3b5f1c8e-2d47-4a9b-b6e1-0c9d8e7f6a51');
    doc.setAttribute('status', AvailabilityStatus.Approved);
    doc.setAttribute('home', 'urn:oid:2.25.148925135418390485672493129512813409185');
    const versionInfo = list.ownerDocument!.createElementNS(list.namespaceURI, 'rim:VersionInfo');
    versionInfo.setAttribute('versionName', '3');
    doc.insertBefore(versionInfo, doc.getElementsByTagNameNS(list.namespaceURI, 'Classification')[0]!);
    const entry = readSubmission(list).submission.documents[0]!;
    assert.equal(entry.logicalId, 'urn:uuid:3b5f1c8e-2d47-4a9b-b6e1-0c9d8e7f6a51');
    assert.equal(entry.version, 3);
    assert.equal(entry.availabilityStatus, AvailabilityStatus.Approved);
    assert.equal(entry.homeCommunityId, 'urn:oid:2.25.148925135418390485672493129512813409185');
  });
});
