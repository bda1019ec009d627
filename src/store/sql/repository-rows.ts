/** The repository's index: (repositoryUniqueId, documentUniqueId) -> blob (a file, or bytes in the row). */
import { toBuffer } from '../../bytes';
import type { SqlExecutor } from './database';
import type { TableRows } from './table-rows';

export interface RepositoryRow {
  repositoryUniqueId: string;
  documentUniqueId: string;
  blobKey: string;
  keyId: string;
  size: number;
  hash: string;
  mimeType: string;
  /** An inline document's encrypted bytes (the `content` column); absent: they are in the blob file. */
  sealed?: Buffer;
}

const REPOSITORY_COLUMNS = {
  repository_unique_id: 'text', document_unique_id: 'text', blob_key: 'text', key_id: 'text', size: 'bigint', hash: 'text', mime_type: 'text',
  content: 'bytea',
} as const;


/** Index rows as table rows, written with the registry objects in one statement (see table-rows.ts). */
export function repositoryTableRows(rows: readonly RepositoryRow[]): TableRows {
  return {
    table: 'repository_documents',
    columns: REPOSITORY_COLUMNS,
    rows: rows.map((r) => ({
      repository_unique_id: r.repositoryUniqueId, document_unique_id: r.documentUniqueId, blob_key: r.blobKey,
      key_id: r.keyId, size: r.size, hash: r.hash, mime_type: r.mimeType,
      content: r.sealed ?? null,
    })),
  };
}

/** What a retrieve learns from the index: the row without the bytes, which are read when streamed. */
export interface RepositoryEntry extends Omit<RepositoryRow, 'sealed'> {
  /** The bytes are in the row (readInlineContent), not in a blob file. */
  inline: boolean;
}

/** An inline document's sealed bytes; undefined when its row is gone (removed meanwhile). */
export async function readInlineContent(db: SqlExecutor, blobKey: string): Promise<Buffer | undefined> {
  const r = await db.query<{ content: Uint8Array | null }>('SELECT content FROM repository_documents WHERE blob_key = $1', [blobKey]);
  const content = r.rows[0]?.content;
  // pg hands bytea over as a Buffer, PGlite as a Uint8Array.
  return content ? toBuffer(content) : undefined;
}

/** Removes an index row; says which blob it named and whether that blob is a file (not inline). */
export async function deleteRepositoryRow(tx: SqlExecutor, repositoryUniqueId: string, documentUniqueId: string): Promise<{ blobKey: string; inFile: boolean } | undefined> {
  const r = await tx.query<{ blob_key: string; in_file: boolean }>(
    'DELETE FROM repository_documents WHERE repository_unique_id = $1 AND document_unique_id = $2 RETURNING blob_key, content IS NULL AS in_file',
    [repositoryUniqueId, documentUniqueId],
  );
  const row = r.rows[0];
  return row ? { blobKey: row.blob_key, inFile: row.in_file } : undefined;
}

/** For the orphan sweeper: which of these blob keys an index row still points at. */
export async function referencedBlobKeys(db: SqlExecutor, keys: string[]): Promise<Set<string>> {
  const r = await db.query<{ blob_key: string }>('SELECT blob_key FROM repository_documents WHERE blob_key = ANY($1::text[])', [keys]);
  return new Set(r.rows.map((x) => x.blob_key));
}
