/**
 * A document's uniqueId may be registered again in a later submission set when the content is
 * the same (same hash and size; otherwise XDSNonIdenticalHash / XDSNonIdenticalSize): each
 * registration is a DocumentEntry of its own, with its own entryUUID, found by queries beside
 * the first. So (unique_id, version) can no longer be unique.
 *
 * What stays unique is the first registration: the version-1 row of an entry registered while
 * no other entry held its uniqueId. Two concurrent first registrations of one uniqueId still
 * collide on that index (the loser retries, then sees the other: a re-registration if the
 * content is identical, XDSNonIdenticalHash otherwise), while re-registrations are marked and
 * outside it. Later versions (ITI-57) belong to their logical entry, which
 * document_entries_logical_version keeps in order, and are outside it too, so they need not
 * carry the mark.
 *
 * On a populated registry: the new column has a constant default (no table rewrite), existing
 * rows satisfy the new unique index because they satisfied the old one, and writes wait while
 * the two indexes build.
 */
export const sql = `
ALTER TABLE document_entries ADD COLUMN reregistration boolean NOT NULL DEFAULT false;
CREATE INDEX document_entries_unique_id ON document_entries (unique_id);
CREATE UNIQUE INDEX document_entries_first_registration ON document_entries (unique_id) WHERE version = 1 AND NOT reregistration;
DROP INDEX document_entries_unique_version;
`;
