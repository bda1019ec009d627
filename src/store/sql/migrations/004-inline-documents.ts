/**
 * Small documents are kept in their repository index row (encrypted, in the blob format)
 * instead of a file of their own: creating, syncing and closing a file per document cost more
 * than the rest of a one-document submission (measured on ITI-65 with 10 KB documents:
 * about 600 -> 900 submissions per second), and a row commits, or rolls back, with the
 * registration. EXTERNAL storage: ciphertext does not compress, so PostgreSQL need not try.
 * NULL: the bytes are in the blob file named by blob_key, as before.
 */
export const sql = `
ALTER TABLE repository_documents ADD COLUMN content bytea;
ALTER TABLE repository_documents ALTER COLUMN content SET STORAGE EXTERNAL;
`;
