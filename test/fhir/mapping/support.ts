// Shared setup of the MHD mapping tests: the Czech default profile, the mapping made
// from it, the fixtures, and a DocumentEntry with every attribute the mapping carries.
import fs from 'node:fs';
import path from 'node:path';
import type { AffinityProfile } from '../../../src/domain/affinity-profile';
import { AssociationType, AvailabilityStatus, DocumentEntryType, type DocumentEntry } from '../../../src/domain/metadata';
import { createMhdMapping } from '../../../src/fhir/mhd/mapping';
import { CONFIDENTIALITY, FORMAT_CODES, LOINC, REPOSITORY_ID, SNOMED, TEST_AUTHORITY } from '../../support/metadata-builders';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export const profile = JSON.parse(fs.readFileSync(path.join(ROOT, 'ihe-profiles', 'cz-default.json'), 'utf8')) as AffinityProfile;
export const FHIR_BASE = 'https://gw.example.cz/fhir';
export const mhd = createMhdMapping({ patientIdSystems: profile.patientIdSystems, fhirBase: FHIR_BASE });
export const RID_SYSTEM = 'https://ncez.mzcr.cz/fhir/sid/rid';
export const RID = '7608139877';
export const PATIENT_CX = `${RID}^^^&${TEST_AUTHORITY}&ISO`;
export const HCID = profile.homeCommunityId;
export { AssociationType };

/** A fixture Bundle, parsed fresh each time so a test may change it. */
export function fixture(name: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures', 'mhd', name), 'utf8'));
}

/** A registered DocumentEntry using every attribute MHD maps. */
export function fullEntry(): DocumentEntry {
  return {
    entryUuid: 'urn:uuid:0b6a3f4e-5d2c-4e8b-9a51-2f7c1d0e9a11',
    uniqueId: '2.25.311139077482821584186546667835402694049',
    objectType: DocumentEntryType.Stable,
    availabilityStatus: AvailabilityStatus.Approved,
    version: 1,
    homeCommunityId: HCID,
    patientId: PATIENT_CX,
    sourcePatientId: 'MRN-2026-0042^^^&2.25.123327392321639445053641743590879758067&ISO',
    sourcePatientInfo: [
      'PID-3|MRN-2026-0042^^^&2.25.123327392321639445053641743590879758067&ISO',
      `PID-3|${PATIENT_CX}`,
      'PID-5|Nováková^Jana^Marie',
      'PID-7|19760813',
      'PID-8|F',
      'PID-11|Ukázková 12^^Praha^^11000^CZ',
    ],
    mimeType: 'text/plain',
    title: 'Propouštěcí zpráva – interna',
    comments: 'Propouštěcí zpráva po hospitalizaci',
    authors: [
      {
        person: '123456789^Dvořák^Jan^^^MUDr.^^^&2.25.155748392722877467759936676619915953321&ISO',
        institutions: ['Nemocnice Ukázka^^^^^&2.25.304345200068535870142747300101570555840&ISO^^^^00064165'],
        roles: ['ATTPHYS^Ošetřující lékař^^&2.16.840.1.113883.5.111&ISO'],
        specialties: ['394579002^Kardiologie^^&2.16.840.1.113883.6.96&ISO'],
        telecommunications: ['^WPN^PH^^^^^^^^^+420 221 000 111', '^NET^Internet^jan.dvorak@nemocnice-ukazka.cz'],
      },
      { institutions: ['Laboratoř Ukázka^^^^^^^^^2.25.186696816181552134137054213417541600386'], roles: [], specialties: [], telecommunications: [] },
      { person: '^Černý^Petr', institutions: [], roles: [], specialties: [], telecommunications: [] },
    ],
    legalAuthenticator: '987654321^Svobodová^Eva^^^prim. MUDr.^^^&2.25.155748392722877467759936676619915953321&ISO',
    classCode: { code: '34133-9', scheme: LOINC, display: 'Summary of episode note' },
    typeCode: { code: '18842-5', scheme: LOINC, display: 'Propouštěcí zpráva' },
    formatCode: { code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', scheme: FORMAT_CODES, display: 'mimeType Sufficient' },
    healthcareFacilityTypeCode: { code: '22232009', scheme: SNOMED, display: 'Hospital' },
    practiceSettingCode: { code: '394802001', scheme: SNOMED, display: 'General medicine' },
    confidentialityCodes: [{ code: 'N', scheme: CONFIDENTIALITY, display: 'normal' }],
    eventCodes: [
      { code: 'I21.0', scheme: '2.16.840.1.113883.6.3', display: 'Akutní infarkt myokardu' },
      { code: 'LOCAL-7', scheme: '2.25.99' },
    ],
    languageCode: 'cs-CZ',
    creationTime: '20260314080000',
    serviceStartTime: '20260310',
    serviceStopTime: '20260314080000',
    hash: 'bb4c06b15050871fbc52b51cb9d0f72e7c993bcb',
    size: 184,
    repositoryUniqueId: REPOSITORY_ID,
    referenceIds: [
      // context.encounter is read before context.related, so encounter ids come first.
      'ENC-1^^^&2.25.158094334253913537852334855893902160913&ISO^urn:ihe:iti:xds:2015:encounterId',
      'OBJ-77812^^^&2.25.158094334253913537852334855893902160913&ISO^urn:ihe:iti:xds:2013:order',
    ],
  };
}
