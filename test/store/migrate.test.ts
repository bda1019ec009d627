// Several gateway processes (WORKERS, replicas) migrate one PostgreSQL schema at the same time.
import assert from 'node:assert/strict';
import { migrate } from '../../src/store/sql/migrate';
import { PostgresDatabase } from '../../src/store/sql/postgres';
import { createPgSchema, type PgSchema } from '../support/pg-schema';
import { needService } from '../support/services';

describe('database migrations', () => {
  let schema: PgSchema;
  const opened: PostgresDatabase[] = [];

  before(async function () {
    schema = await createPgSchema(await needService(this, 'postgres'));
  });
  after(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await schema?.drop();
  });

  it('four processes starting together on an empty schema: each migration runs once, none fails', async () => {
    for (let i = 0; i < 4; i++) opened.push(new PostgresDatabase({ connectionString: schema.url, maxConnections: 1 }));
    const results = await Promise.all(opened.map((db) => migrate(db)));
    const appliedVersions = results.flat().sort();
    const recorded = await opened[0].query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(appliedVersions, recorded.rows.map((r) => r.version));
    assert.ok(recorded.rows.length >= 2);
    assert.deepEqual(await migrate(opened[0]), [], 'a later start applies nothing');
  });

  it('006 (re-registration) on a registry populated before it: rows kept, one first registration per uniqueId still enforced', async () => {
    const db = new PostgresDatabase({ connectionString: schema.url, maxConnections: 1 });
    opened.push(db);
    await db.exec('DROP TABLE IF EXISTS schema_migrations, document_entries, submission_sets, folders, associations, repository_documents, patients, audit_events, audit_outbox, audit_destinations, remote_document_cache CASCADE');
    await migrate(db, 5);
    const entry = (entryUuid: string, logicalId: string, version: number, reregistration?: boolean) =>
      db.query(
        `INSERT INTO document_entries (entry_uuid, logical_id, version, unique_id, patient_id, status, object_type, metadata${reregistration === undefined ? '' : ', reregistration'})
         VALUES ($1, $2, $3, '2.25.1', 'p^^^&1.2&ISO', 'Approved', 'stable', '{}'${reregistration === undefined ? '' : ', $4'})`,
        [entryUuid, logicalId, version, ...(reregistration === undefined ? [] : [reregistration])],
      );
    await entry('urn:uuid:v1', 'urn:uuid:v1', 1);
    await entry('urn:uuid:v2', 'urn:uuid:v1', 2);
    assert.deepEqual(await migrate(db, 6), [6]);
    const rows = await db.query<{ entry_uuid: string; reregistration: boolean }>('SELECT entry_uuid, reregistration FROM document_entries ORDER BY version');
    assert.deepEqual(rows.rows.map((r) => [r.entry_uuid, r.reregistration]), [['urn:uuid:v1', false], ['urn:uuid:v2', false]]);
    await assert.rejects(() => entry('urn:uuid:first', 'urn:uuid:first', 1), { code: '23505' });
    await entry('urn:uuid:again', 'urn:uuid:again', 1, true);
    await entry('urn:uuid:again-v2', 'urn:uuid:again', 2);
  });
});
