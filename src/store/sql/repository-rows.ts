/** The repository's index: (repositoryUniqueId, documentUniqueId) -> blob. */
import type { SqlExecutor } from './database';

export interface RepositoryRow {
  repositoryUniqueId: string;
  documentUniqueId: string;
  blobKey: string;
  keyId: string;
  size: number;
  hash: string;
  mimeType: string;
}

/** Inserts index rows; returns the blob keys that were NOT needed because the document was already stored. */
export async function insertRepositoryRows(tx: SqlExecutor, rows: RepositoryRow[]): Promise<string[]> {
  const unused: string[] = [];
  for (const r of rows) {
    const inserted = await tx.query(
      `INSERT INTO repository_documents (repository_unique_id, document_unique_id, blob_key, key_id, size, hash, mime_type)
       VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (repository_unique_id, document_unique_id) DO NOTHING RETURNING blob_key`,
      [r.repositoryUniqueId, r.documentUniqueId, r.blobKey, r.keyId, r.size, r.hash, r.mimeType],
    );
    if (inserted.rowCount === 0) unused.push(r.blobKey);
  }
  return unused;
}

export async function findRepositoryRow(db: SqlExecutor, repositoryUniqueId: string, documentUniqueId: string): Promise<RepositoryRow | undefined> {
  const r = await db.query<{ blob_key: string; key_id: string; size: number; hash: string; mime_type: string }>(
    `SELECT blob_key, key_id, size, hash, mime_type FROM repository_documents WHERE repository_unique_id = $1 AND document_unique_id = $2`,
    [repositoryUniqueId, documentUniqueId],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  return { repositoryUniqueId, documentUniqueId, blobKey: row.blob_key, keyId: row.key_id, size: Number(row.size), hash: row.hash, mimeType: row.mime_type };
}

export async function deleteRepositoryRow(tx: SqlExecutor, repositoryUniqueId: string, documentUniqueId: string): Promise<string | undefined> {
  const r = await tx.query<{ blob_key: string }>(
    'DELETE FROM repository_documents WHERE repository_unique_id = $1 AND document_unique_id = $2 RETURNING blob_key',
    [repositoryUniqueId, documentUniqueId],
  );
  return r.rows[0]?.blob_key;
}

/** For the orphan sweeper: which of these blob keys an index row still points at. */
export async function referencedBlobKeys(db: SqlExecutor, keys: string[]): Promise<Set<string>> {
  const r = await db.query<{ blob_key: string }>('SELECT blob_key FROM repository_documents WHERE blob_key = ANY($1::text[])', [keys]);
  return new Set(r.rows.map((x) => x.blob_key));
}
