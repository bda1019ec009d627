/** What the audit record of a submission (ITI-41, ITI-42, ITI-65) names: its patient, set and documents. */
import type { DocumentEntry } from '../domain/metadata';
import type { Submission } from '../domain/submission';
import type { AuditDocument } from './audit-input';
import type { AuditFacts } from './audit-scope';

function auditDocument(d: DocumentEntry, repositoryUniqueId: string | undefined): AuditDocument {
  const repository = d.repositoryUniqueId ?? repositoryUniqueId;
  return {
    uniqueId: d.uniqueId,
    entryUuid: d.entryUuid,
    ...(repository !== undefined ? { repositoryUniqueId: repository } : {}),
    ...(d.title !== undefined ? { title: d.title } : {}),
    ...(d.typeCode !== undefined ? { typeCode: d.typeCode } : {}),
  };
}

/** `repositoryUniqueId`: the repository storing documents that name none yet (a provide-and-register). */
export function submissionFacts(s: Submission, repositoryUniqueId?: string): AuditFacts {
  return {
    patientId: s.submissionSet.patientId,
    submissionSet: { uniqueId: s.submissionSet.uniqueId, entryUuid: s.submissionSet.entryUuid },
    documents: s.documents.map((d) => auditDocument(d, repositoryUniqueId)),
  };
}
