// Builders of valid metadata for tests: each returns a fresh object that passes the
// Czech default profile, so a test changes only the attribute it is about.
import { createHash, randomInt } from 'node:crypto';
import type { Association, DocumentEntry, Folder, SubmissionSet } from '../../src/domain/metadata';
import { AssociationType, DocumentEntryType } from '../../src/domain/metadata';
import type { Submission } from '../../src/domain/submission';

export const TEST_AUTHORITY = '2.25.61897394214018412226036367036446431779';
export const LOINC = '2.16.840.1.113883.6.1';
export const SNOMED = '2.16.840.1.113883.6.96';
export const FORMAT_CODES = '1.3.6.1.4.1.19376.1.2.3';
export const CONFIDENTIALITY = '2.16.840.1.113883.5.25';
export const REPOSITORY_ID = '2.25.305845112371628907711306713372926434051';

let counter = 0;
/** A unique OID under the test arc. */
export function uniqueOid(): string {
  counter += 1;
  return `2.25.${Date.now()}${randomInt(1_000_000)}.${counter}`;
}

/** A RID-like patient number and its CX in the test assigning authority. */
export function patientCx(id = String(1_000_000_000 + randomInt(8_999_999_999))): string {
  return `${id}^^^&${TEST_AUTHORITY}&ISO`;
}

export function sha1(content: string | Buffer): string {
  return createHash('sha1').update(content).digest('hex');
}

export function documentEntry(patientId: string, overrides: Partial<DocumentEntry> = {}): DocumentEntry {
  const content = overrides.uniqueId ?? uniqueOid();
  return {
    entryUuid: `Document-${content}`,
    uniqueId: content,
    objectType: DocumentEntryType.Stable,
    patientId,
    sourcePatientId: patientId,
    mimeType: 'text/plain',
    title: 'Propouštěcí zpráva',
    authors: [{ person: '^Novák^Jan^^^MUDr.', institutions: ['Nemocnice Test^^^^^^^^^1.2.3.4'], roles: [], specialties: [], telecommunications: [] }],
    classCode: { code: '18842-5', scheme: LOINC, display: 'Discharge summary' },
    typeCode: { code: '18842-5', scheme: LOINC, display: 'Discharge summary' },
    formatCode: { code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', scheme: FORMAT_CODES },
    healthcareFacilityTypeCode: { code: '22232009', scheme: SNOMED, display: 'Hospital' },
    practiceSettingCode: { code: '394802001', scheme: SNOMED, display: 'General medicine' },
    confidentialityCodes: [{ code: 'N', scheme: CONFIDENTIALITY }],
    eventCodes: [],
    languageCode: 'cs-CZ',
    creationTime: '20261101120000',
    hash: sha1(`content of ${content}`),
    size: `content of ${content}`.length,
    repositoryUniqueId: REPOSITORY_ID,
    referenceIds: [],
    ...overrides,
  };
}

export function submissionSet(patientId: string, overrides: Partial<SubmissionSet> = {}): SubmissionSet {
  return {
    entryUuid: 'SubmissionSet',
    uniqueId: uniqueOid(),
    sourceId: '1.2.203.999.1',
    patientId,
    submissionTime: '20261101120500',
    contentTypeCode: { code: '18842-5', scheme: LOINC },
    authors: [],
    intendedRecipients: [],
    ...overrides,
  };
}

export function folder(patientId: string, overrides: Partial<Folder> = {}): Folder {
  const uniqueId = overrides.uniqueId ?? uniqueOid();
  return { entryUuid: `Folder-${uniqueId}`, uniqueId, patientId, title: 'Hospitalizace', codes: [{ code: '18842-5', scheme: LOINC }], ...overrides };
}

let assocCounter = 0;
export function association(type: string, sourceId: string, targetId: string, overrides: Partial<Association> = {}): Association {
  assocCounter += 1;
  return { entryUuid: `Association-${assocCounter}`, type, sourceId, targetId, ...overrides };
}

/** A submission set holding the given documents and folders, each linked by HasMember. */
export function submission(patientId: string, parts: { documents?: DocumentEntry[]; folders?: Folder[]; associations?: Association[]; set?: Partial<SubmissionSet> } = {}): Submission {
  const ss = submissionSet(patientId, parts.set);
  const documents = parts.documents ?? [documentEntry(patientId)];
  const folders = parts.folders ?? [];
  const members = [...documents, ...folders].map((o) => association(AssociationType.HasMember, ss.entryUuid, o.entryUuid, { submissionSetStatus: 'Original' }));
  return { submissionSet: ss, documents, folders, associations: [...members, ...(parts.associations ?? [])] };
}
