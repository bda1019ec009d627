/**
 * The remote-document cache's index (remote-documents/): one row per document of another
 * community read through this gateway, naming its encrypted bytes (a file under
 * DATA_DIR/remote-cache, or `content` in the row for a small one, as repository_documents
 * does). last_used_at orders least-recently-used eviction; the running sum eviction takes
 * over (last_used_at DESC) reads the index backwards.
 */
export const sql = `
CREATE TABLE remote_document_cache (
  home_community_id text NOT NULL,
  repository_unique_id text NOT NULL,
  document_unique_id text NOT NULL,
  blob_key text NOT NULL UNIQUE,
  key_id text NOT NULL,
  size bigint NOT NULL,
  hash text NOT NULL,
  mime_type text NOT NULL,
  version text,
  patient_id text,
  content bytea,
  fetched_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  last_used_at timestamptz NOT NULL,
  PRIMARY KEY (home_community_id, repository_unique_id, document_unique_id)
);
ALTER TABLE remote_document_cache ALTER COLUMN content SET STORAGE EXTERNAL;
CREATE INDEX remote_document_cache_last_used ON remote_document_cache (last_used_at);
`;
