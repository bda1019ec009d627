/** The remote-document cache's index (the RemoteCacheIndex port of remote-documents/ports.ts) on PostgreSQL or PGlite. */
import { toBuffer } from '../../../bytes';
import type { CacheEntry, ReleasedBlob, RemoteCacheIndex, RemoteDocumentKey } from '../../../remote-documents/ports';
import type { Database } from '../database';

interface EntryRow {
  home_community_id: string;
  repository_unique_id: string;
  document_unique_id: string;
  blob_key: string;
  key_id: string;
  size: number | string;
  hash: string;
  mime_type: string;
  version: string | null;
  patient_id: string | null;
  content: Uint8Array | null;
  fetched_at: Date | string;
  expires_at: Date | string;
}

const ENTRY_COLUMNS = 'home_community_id, repository_unique_id, document_unique_id, blob_key, key_id, size, hash, mime_type, version, patient_id, content, fetched_at, expires_at';
const BY_KEY = 'home_community_id = $1 AND repository_unique_id = $2 AND document_unique_id = $3';
const RELEASED = 'blob_key, content IS NULL AS in_file';
/** How stale last_used_at may get: least-recently-used eviction does not need it finer. */
const TOUCH_STEP = '1 minute';

const keyParams = (k: RemoteDocumentKey) => [k.homeCommunityId, k.repositoryUniqueId, k.documentUniqueId];

function entryOf(r: EntryRow): CacheEntry {
  return {
    homeCommunityId: r.home_community_id,
    repositoryUniqueId: r.repository_unique_id,
    documentUniqueId: r.document_unique_id,
    blobKey: r.blob_key,
    keyId: r.key_id,
    size: Number(r.size),
    hash: r.hash,
    mimeType: r.mime_type,
    ...(r.version !== null ? { version: r.version } : {}),
    ...(r.patient_id !== null ? { patientId: r.patient_id } : {}),
    fetchedAt: new Date(r.fetched_at),
    expiresAt: new Date(r.expires_at),
    // pg hands bytea over as a Buffer, PGlite as a Uint8Array.
    ...(r.content ? { sealed: toBuffer(r.content) } : {}),
  };
}

const releasedOf = (rows: ReadonlyArray<{ blob_key: string; in_file: boolean }>): ReleasedBlob[] => rows.map((r) => ({ blobKey: r.blob_key, inFile: r.in_file }));

export class SqlRemoteCacheIndex implements RemoteCacheIndex {
  constructor(private readonly db: Database) {}

  async use(key: RemoteDocumentKey, now: Date): Promise<CacheEntry | undefined> {
    // last_used_at moves in steps of TOUCH_STEP: most hits then only read, and a read-only
    // statement commits without writing or waiting for a WAL flush.
    const r = await this.db.query<EntryRow>(
      `WITH hit AS (SELECT ${ENTRY_COLUMNS}, last_used_at FROM remote_document_cache WHERE ${BY_KEY} AND expires_at > $4),
            touched AS (UPDATE remote_document_cache c SET last_used_at = $4 FROM hit
                         WHERE c.blob_key = hit.blob_key AND hit.last_used_at < $4::timestamptz - $5::interval RETURNING 1)
       SELECT ${ENTRY_COLUMNS} FROM hit`,
      [...keyParams(key), now, TOUCH_STEP],
    );
    return r.rows[0] ? entryOf(r.rows[0]) : undefined;
  }

  async peek(keys: readonly RemoteDocumentKey[]): Promise<CacheEntry[]> {
    if (keys.length === 0) return [];
    const r = await this.db.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS.replace('content', 'NULL::bytea AS content')} FROM remote_document_cache
        WHERE (home_community_id, repository_unique_id, document_unique_id) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))`,
      [keys.map((k) => k.homeCommunityId), keys.map((k) => k.repositoryUniqueId), keys.map((k) => k.documentUniqueId)],
    );
    return r.rows.map(entryOf);
  }

  put(e: CacheEntry, now: Date): Promise<ReleasedBlob | undefined> {
    return this.db.transaction(async (tx) => {
      const old = await tx.query<{ blob_key: string; in_file: boolean }>(`SELECT ${RELEASED} FROM remote_document_cache WHERE ${BY_KEY} FOR UPDATE`, keyParams(e));
      await tx.query(
        `INSERT INTO remote_document_cache (${ENTRY_COLUMNS}, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (home_community_id, repository_unique_id, document_unique_id) DO UPDATE SET
           blob_key = EXCLUDED.blob_key, key_id = EXCLUDED.key_id, size = EXCLUDED.size, hash = EXCLUDED.hash, mime_type = EXCLUDED.mime_type,
           version = EXCLUDED.version, patient_id = EXCLUDED.patient_id, content = EXCLUDED.content,
           fetched_at = EXCLUDED.fetched_at, expires_at = EXCLUDED.expires_at, last_used_at = EXCLUDED.last_used_at`,
        [...keyParams(e), e.blobKey, e.keyId, e.size, e.hash, e.mimeType, e.version ?? null, e.patientId ?? null, e.sealed ?? null, e.fetchedAt, e.expiresAt, now],
      );
      const replaced = releasedOf(old.rows)[0];
      return replaced && replaced.blobKey !== e.blobKey ? replaced : undefined;
    });
  }

  async remove(key: RemoteDocumentKey): Promise<ReleasedBlob | undefined> {
    const r = await this.db.query<{ blob_key: string; in_file: boolean }>(`DELETE FROM remote_document_cache WHERE ${BY_KEY} RETURNING ${RELEASED}`, keyParams(key));
    return releasedOf(r.rows)[0];
  }

  async evictBeyond(maxBytes: number, now: Date, keep: RemoteDocumentKey): Promise<ReleasedBlob[]> {
    // Entries are ranked as they are to be kept (`keep` first, then unexpired ones, most
    // recently used first); those whose running total passes the limit go.
    const r = await this.db.query<{ blob_key: string; in_file: boolean }>(
      `DELETE FROM remote_document_cache c USING (
         SELECT blob_key, SUM(size) OVER (ORDER BY (${BY_KEY}) DESC, expires_at > $5 DESC, last_used_at DESC, blob_key) AS kept
           FROM remote_document_cache
       ) ranked
       WHERE c.blob_key = ranked.blob_key AND ranked.kept > $4 AND NOT (c.home_community_id = $1 AND c.repository_unique_id = $2 AND c.document_unique_id = $3)
       RETURNING c.blob_key, c.content IS NULL AS in_file`,
      [...keyParams(keep), maxBytes, now],
    );
    return releasedOf(r.rows);
  }

  async referencedBlobKeys(keys: string[]): Promise<Set<string>> {
    const r = await this.db.query<{ blob_key: string }>('SELECT blob_key FROM remote_document_cache WHERE blob_key = ANY($1::text[])', [keys]);
    return new Set(r.rows.map((x) => x.blob_key));
  }

  async totals(): Promise<{ entries: number; bytes: number }> {
    const r = await this.db.query<{ entries: number | string; bytes: number | string }>('SELECT count(*) AS entries, COALESCE(SUM(size), 0) AS bytes FROM remote_document_cache');
    return { entries: Number(r.rows[0]!.entries), bytes: Number(r.rows[0]!.bytes) };
  }
}
