/**
 * Structural checks on a submission (ITI TF-3 4.3.1 "Submission Metadata Attribute
 * Optionality"): required attributes per object type, value formats. Pure: the
 * registry adds the checks that need the database.
 */
import type { AffinityProfile } from './affinity-profile';
import { XdsErrorCode } from './error-codes';
import { isDtm, isOid, parseCx } from './hl7v2';
import { DocumentEntryType, type Code, type DocumentEntry, type Folder, type SubmissionSet } from './metadata';
import type { RegistryErrorDetail } from './registry-error';
import type { Submission } from './submission';

type Problems = RegistryErrorDetail[];

function err(problems: Problems, location: string, context: string, code: XdsErrorCode = XdsErrorCode.XDSRegistryMetadataError): void {
  problems.push({ code, severity: 'Error', context, location });
}

function requireValue(problems: Problems, where: string, name: string, value: unknown): void {
  const missing = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
  if (missing) err(problems, where, `${name} is required`);
}

function checkTime(problems: Problems, where: string, name: string, value: string | undefined): void {
  if (value !== undefined && !isDtm(value)) err(problems, where, `${name} "${value}" is not a DTM (YYYY[MM[DD[hh[mm[ss]]]]], UTC)`);
}

function checkUniqueId(problems: Problems, where: string, value: string | undefined): void {
  if (!value) return;
  // Document uniqueIds are OID[^extension] (max 128 chars); SubmissionSet/Folder uniqueIds are OIDs.
  const [root, ext] = value.split('^');
  if (!root || !isOid(root) || value.length > 128 || (ext !== undefined && ext.length > 16)) {
    err(problems, where, `uniqueId "${value}" is not an OID (optionally ^extension)`);
  }
}

function checkPatient(problems: Problems, where: string, value: string | undefined): void {
  if (value && !parseCx(value)) err(problems, where, `patientId "${value}" is not a CX id^^^&OID&ISO`);
}

function checkDocument(problems: Problems, d: DocumentEntry, requireRepositoryFields: boolean): void {
  const where = d.uniqueId || d.entryUuid;
  requireValue(problems, where, 'entryUUID', d.entryUuid);
  requireValue(problems, where, 'uniqueId', d.uniqueId);
  requireValue(problems, where, 'patientId', d.patientId);
  requireValue(problems, where, 'mimeType', d.mimeType);
  requireValue(problems, where, 'objectType', d.objectType);
  if (!d.limitedMetadata) {
    requireValue(problems, where, 'classCode', d.classCode);
    requireValue(problems, where, 'typeCode', d.typeCode);
    requireValue(problems, where, 'formatCode', d.formatCode);
    requireValue(problems, where, 'confidentialityCode', d.confidentialityCodes);
    requireValue(problems, where, 'healthcareFacilityTypeCode', d.healthcareFacilityTypeCode);
    requireValue(problems, where, 'practiceSettingCode', d.practiceSettingCode);
    requireValue(problems, where, 'languageCode', d.languageCode);
    requireValue(problems, where, 'sourcePatientId', d.sourcePatientId);
    if (d.objectType !== DocumentEntryType.OnDemand) requireValue(problems, where, 'creationTime', d.creationTime);
  }
  if (requireRepositoryFields && d.objectType !== DocumentEntryType.OnDemand) {
    requireValue(problems, where, 'hash', d.hash);
    requireValue(problems, where, 'size', d.size);
    requireValue(problems, where, 'repositoryUniqueId', d.repositoryUniqueId);
  }
  if (d.objectType && d.objectType !== DocumentEntryType.Stable && d.objectType !== DocumentEntryType.OnDemand) {
    err(problems, where, `objectType "${d.objectType}" is neither stable nor on-demand`);
  }
  if (d.hash !== undefined && !/^[0-9a-fA-F]{40}$/.test(d.hash)) err(problems, where, 'hash must be 40 hex digits (SHA-1)');
  if (d.size !== undefined && !(Number.isSafeInteger(d.size) && d.size >= 0)) err(problems, where, 'size must be a non-negative integer');
  checkUniqueId(problems, where, d.uniqueId);
  checkPatient(problems, where, d.patientId);
  checkTime(problems, where, 'creationTime', d.creationTime);
  checkTime(problems, where, 'serviceStartTime', d.serviceStartTime);
  checkTime(problems, where, 'serviceStopTime', d.serviceStopTime);
}

function checkSubmissionSet(problems: Problems, s: SubmissionSet): void {
  const where = s.uniqueId || s.entryUuid || 'SubmissionSet';
  requireValue(problems, where, 'entryUUID', s.entryUuid);
  requireValue(problems, where, 'uniqueId', s.uniqueId);
  requireValue(problems, where, 'sourceId', s.sourceId);
  requireValue(problems, where, 'patientId', s.patientId);
  requireValue(problems, where, 'submissionTime', s.submissionTime);
  if (!s.limitedMetadata) requireValue(problems, where, 'contentTypeCode', s.contentTypeCode);
  checkUniqueId(problems, where, s.uniqueId);
  if (s.sourceId && !isOid(s.sourceId)) err(problems, where, `sourceId "${s.sourceId}" is not an OID`);
  checkPatient(problems, where, s.patientId);
  checkTime(problems, where, 'submissionTime', s.submissionTime);
}

function checkFolder(problems: Problems, f: Folder): void {
  const where = f.uniqueId || f.entryUuid;
  requireValue(problems, where, 'entryUUID', f.entryUuid);
  requireValue(problems, where, 'uniqueId', f.uniqueId);
  requireValue(problems, where, 'patientId', f.patientId);
  if (!f.limitedMetadata) {
    requireValue(problems, where, 'title', f.title);
    requireValue(problems, where, 'codeList', f.codes);
  }
  checkUniqueId(problems, where, f.uniqueId);
  checkPatient(problems, where, f.patientId);
}

/** Required attributes and formats of every object in the submission. */
export function validateSubmissionStructure(s: Submission, opts: { requireRepositoryFields: boolean }): RegistryErrorDetail[] {
  const problems: Problems = [];
  checkSubmissionSet(problems, s.submissionSet);
  for (const d of s.documents) checkDocument(problems, d, opts.requireRepositoryFields);
  for (const f of s.folders) checkFolder(problems, f);
  for (const a of s.associations) {
    const where = a.entryUuid || `${a.sourceId}->${a.targetId}`;
    requireValue(problems, where, 'association type', a.type);
    requireValue(problems, where, 'sourceObject', a.sourceId);
    requireValue(problems, where, 'targetObject', a.targetId);
  }
  return problems;
}

/** Attribute name (as in the profile's codeSets) and value of each coded attribute. */
function codedAttributes(s: Submission): Array<{ attribute: string; where: string; code: Code }> {
  const out: Array<{ attribute: string; where: string; code: Code }> = [];
  const add = (attribute: string, where: string, code: Code | undefined) => {
    if (code) out.push({ attribute, where, code });
  };
  add('contentTypeCode', s.submissionSet.uniqueId, s.submissionSet.contentTypeCode);
  for (const d of s.documents) {
    add('classCode', d.uniqueId, d.classCode);
    add('typeCode', d.uniqueId, d.typeCode);
    add('formatCode', d.uniqueId, d.formatCode);
    add('healthcareFacilityTypeCode', d.uniqueId, d.healthcareFacilityTypeCode);
    add('practiceSettingCode', d.uniqueId, d.practiceSettingCode);
    for (const c of d.confidentialityCodes) add('confidentialityCode', d.uniqueId, c);
    for (const c of d.eventCodes) add('eventCodeList', d.uniqueId, c);
  }
  for (const f of s.folders) for (const c of f.codes) add('folderCodeList', f.uniqueId, c);
  return out;
}

/**
 * Coded values against the affinity domain's code sets. Strict: an unknown coding
 * scheme is an error; lenient: a warning, and the submission goes through.
 */
export function validateCodes(s: Submission, profile: AffinityProfile): RegistryErrorDetail[] {
  const severity = profile.codeValidation === 'strict' ? 'Error' : 'Warning';
  const problems: RegistryErrorDetail[] = [];
  for (const { attribute, where, code } of codedAttributes(s)) {
    const schemes = profile.codeSets[attribute];
    if (!code.code || !code.scheme) {
      problems.push({ code: XdsErrorCode.XDSRegistryMetadataError, severity: 'Error', context: `${attribute} needs a code and a coding scheme`, location: where });
      continue;
    }
    if (!schemes || schemes.includes('*')) continue;
    if (!schemes.includes(code.scheme)) {
      problems.push({
        code: XdsErrorCode.XDSRegistryMetadataError,
        severity,
        context: `${attribute} ${code.code} uses coding scheme ${code.scheme}, which the affinity domain does not accept (${schemes.join(', ')})`,
        location: where,
      });
    } else if (attribute === 'confidentialityCode' && !profile.confidentialityCodes.includes(code.code)) {
      problems.push({ code: XdsErrorCode.XDSRegistryMetadataError, severity, context: `confidentialityCode ${code.code} is not an HL7 v3 Confidentiality code`, location: where });
    }
  }
  return problems;
}
