/**
 * Submission rules that need only the message itself: duplicate uniqueIds, one patient
 * per submission, SubmissionSet membership, association endpoints. Checked before any
 * database work so a bad message costs nothing.
 */
import { XdsErrorCode } from '../domain/error-codes';
import { normalizeCx } from '../domain/hl7v2';
import { AssociationType, RELATIONSHIP_TYPES } from '../domain/metadata';
import type { RegistryErrorDetail } from '../domain/registry-error';
import type { Submission } from '../domain/submission';

const KNOWN_ASSOCIATION_TYPES: ReadonlySet<string> = new Set(Object.values(AssociationType));

function error(code: XdsErrorCode, context: string, location?: string): RegistryErrorDetail {
  return { code, severity: 'Error', context, ...(location ? { location } : {}) };
}

export function checkMessage(s: Submission): RegistryErrorDetail[] {
  const problems: RegistryErrorDetail[] = [];
  const uniqueIds = new Set<string>();
  const all = [s.submissionSet, ...s.documents, ...s.folders];
  for (const o of all) {
    if (!o.uniqueId) continue;
    if (uniqueIds.has(o.uniqueId)) problems.push(error(XdsErrorCode.XDSRegistryDuplicateUniqueIdInMessage, `uniqueId ${o.uniqueId} appears more than once`, o.uniqueId));
    uniqueIds.add(o.uniqueId);
  }
  const entryIds = new Set<string>();
  for (const o of [...all, ...s.associations]) {
    if (!o.entryUuid) continue;
    if (entryIds.has(o.entryUuid)) problems.push(error(XdsErrorCode.XDSRegistryMetadataError, `id ${o.entryUuid} is used by two objects`, o.entryUuid));
    entryIds.add(o.entryUuid);
  }

  const ssPatient = normalizeCx(s.submissionSet.patientId);
  for (const o of [...s.documents, ...s.folders]) {
    const p = normalizeCx(o.patientId);
    if (ssPatient && p && p !== ssPatient) {
      problems.push(error(XdsErrorCode.XDSPatientIdDoesNotMatch, `patientId ${o.patientId} differs from the SubmissionSet's ${s.submissionSet.patientId}`, o.uniqueId));
    }
  }

  const ssId = s.submissionSet.entryUuid;
  const members = new Set(
    s.associations.filter((a) => a.type === AssociationType.HasMember && a.sourceId === ssId).map((a) => a.targetId),
  );
  for (const o of [...s.documents, ...s.folders]) {
    if (!members.has(o.entryUuid)) {
      problems.push(error(XdsErrorCode.XDSRegistryMetadataError, `${o.uniqueId || o.entryUuid} is not a member (HasMember) of the SubmissionSet`, o.uniqueId));
    }
  }

  const docIds = new Set(s.documents.map((d) => d.entryUuid));
  for (const a of s.associations) {
    const where = a.entryUuid;
    if (!KNOWN_ASSOCIATION_TYPES.has(a.type)) {
      problems.push(error(XdsErrorCode.XDSRegistryMetadataError, `association type ${a.type} is not supported`, where));
    } else if (RELATIONSHIP_TYPES.has(a.type) && !docIds.has(a.sourceId)) {
      problems.push(error(XdsErrorCode.XDSRegistryMetadataError, `a ${a.type.split(':').pop()} association must have a document of this submission as source`, where));
    } else if (a.type === AssociationType.UpdateAvailabilityStatus) {
      problems.push(error(XdsErrorCode.XDSRegistryMetadataError, 'UpdateAvailabilityStatus belongs to a metadata update (ITI-57), not a submission', where));
    }
    if (a.sourceId === a.targetId) problems.push(error(XdsErrorCode.XDSRegistryMetadataError, 'association source and target are the same object', where));
  }
  return problems;
}
