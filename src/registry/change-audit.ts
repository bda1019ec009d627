/**
 * The audit records the registry writes: of its lifecycle changes (ITI-57, ITI-62, ITI-104) and
 * its stored queries (ITI-18, ITI-51): what each names, and the rule that a request refused by
 * the registry still leaves its failure record.
 */
import type { AuditFacts, AuditScope } from '../audit/audit-scope';
import { RegistryError } from '../domain/registry-error';
import type { StoredQuery } from '../domain/stored-queries';
import type { DeleteResult, UpdateRequest, UpdateResult } from './lifecycle-types';

/**
 * Runs a change whose success record goes into its own transaction: once it returns the record
 * has committed; a RegistryError (nothing changed) is recorded as the refusal it is. Other errors
 * are left to the front end, which fails the request with the outcome it answers.
 */
export async function auditedChange<R>(audit: AuditScope, change: () => Promise<R>): Promise<R> {
  try {
    const result = await change();
    audit.committed();
    return result;
  } catch (err) {
    if (err instanceof RegistryError) await audit.refused(err.errors);
    throw err;
  }
}

/** ITI-57: the patient, the new SubmissionSet and the documents that changed. */
export function updateFacts(request: UpdateRequest, r: UpdateResult): AuditFacts {
  return {
    patientId: r.patientId,
    submissionSet: { uniqueId: request.submissionSet.uniqueId, entryUuid: r.submissionSet },
    documents: [...r.newVersions, ...r.statusChanges].filter((o) => o.kind === 'DocumentEntry').map((o) => ({ entryUuid: o.entryUuid })),
  };
}

/** ITI-62: the deleted documents and their patient (associations carry none; a delete set names one patient). */
export function deleteFacts(r: DeleteResult): AuditFacts {
  const patientId = r.deleted.find((o) => o.patientId !== undefined)?.patientId;
  return {
    ...(patientId !== undefined ? { patientId } : {}),
    documents: r.deleted.filter((o) => o.kind === 'DocumentEntry').map((o) => ({ entryUuid: o.entryUuid })),
  };
}

/** A read: its record is written before the result is returned; a RegistryError is recorded as the refusal. */
export async function auditedRead<R>(audit: AuditScope, read: () => Promise<R>): Promise<R> {
  try {
    const result = await read();
    await audit.succeeded();
    return result;
  } catch (err) {
    if (err instanceof RegistryError) await audit.refused(err.errors);
    throw err;
  }
}

/** The one patient a query names (the record's patient), if it names exactly one. */
export function queriedPatient(query: StoredQuery): string | undefined {
  const values = (query.name === 'GetAll' ? undefined : 'documents' in query ? query.documents.patientIds : 'folders' in query ? query.folders.patientIds : undefined) ?? [];
  return values.length === 1 ? values[0] : undefined;
}
