/** The patients a typed stored query names (none for queries by id: those are checked on the objects returned). */
import type { StoredQuery } from '../domain/stored-queries';

export function queriedPatients(query: StoredQuery): string[] {
  const filters = [
    'documents' in query ? query.documents : undefined,
    'folders' in query ? query.folders : undefined,
    'submissionSets' in query ? query.submissionSets : undefined,
  ];
  return [...new Set(filters.flatMap((f) => f?.patientIds ?? []))];
}
