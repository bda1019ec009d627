/**
 * The one lookup a retrieve (ITI-43 / ITI-68) makes: the repository's index row and, from the
 * registry, the patient of the document's newest entry — so a read costs one statement before
 * its audit record, not an index lookup and a stored query. An inline document's sealed bytes
 * come along when asked (a single-document read), saving the statement that would fetch them.
 */
import { toBuffer } from '../../bytes';
import type { SqlExecutor } from './database';
import type { RepositoryEntry } from './repository-rows';

export interface DocumentReadRow extends RepositoryEntry {
  /** The patient of the registry's newest entry with this uniqueId; absent: no entry (yet). */
  patientId?: string;
  /** An inline document's encrypted bytes, when asked for. */
  sealed?: Buffer;
}

export async function findDocumentForRead(db: SqlExecutor, repositoryUniqueId: string, documentUniqueId: string, withContent: boolean): Promise<DocumentReadRow | undefined> {
  const r = await db.query<{ blob_key: string; key_id: string; size: number; hash: string; mime_type: string; inline: boolean; content: Uint8Array | null; patient_id: string | null }>(
    `SELECT r.blob_key, r.key_id, r.size, r.hash, r.mime_type, r.content IS NOT NULL AS inline,
            CASE WHEN $3::boolean THEN r.content END AS content,
            (SELECT e.patient_id FROM document_entries e WHERE e.unique_id = r.document_unique_id ORDER BY e.version DESC LIMIT 1) AS patient_id
       FROM repository_documents r
      WHERE r.repository_unique_id = $1 AND r.document_unique_id = $2`,
    [repositoryUniqueId, documentUniqueId, withContent],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    repositoryUniqueId, documentUniqueId, blobKey: row.blob_key, keyId: row.key_id, size: Number(row.size), hash: row.hash, mimeType: row.mime_type, inline: row.inline,
    ...(row.patient_id !== null ? { patientId: row.patient_id } : {}),
    // pg hands bytea over as a Buffer, PGlite as a Uint8Array.
    ...(row.content ? { sealed: toBuffer(row.content) } : {}),
  };
}
