// Several gateway processes (WORKERS, replicas) migrate one PostgreSQL schema at the same time.
import assert from 'node:assert/strict';
import { migrate } from '../../src/store/sql/migrate';
import { PostgresDatabase } from '../../src/store/sql/postgres';
import { SqlAuditEvents } from '../../src/store/sql/audit/sql-audit-events';
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
    await db.exec('DROP TABLE IF EXISTS schema_migrations, document_entries, submission_sets, folders, associations, repository_documents, patients, audit_events, audit_outbox, audit_destinations CASCADE');
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

  it('007 (audit DICOM type) on a trail recorded before BALP: events kept as recorded, found by their DICOM type as before', async () => {
    const db = new PostgresDatabase({ connectionString: schema.url, maxConnections: 1 });
    opened.push(db);
    await db.exec('DROP TABLE IF EXISTS schema_migrations, document_entries, submission_sets, folders, associations, repository_documents, patients, audit_events, audit_outbox, audit_destinations CASCADE');
    await migrate(db, 6);
    const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
    const old = {
      resourceType: 'AuditEvent',
      id: 'old-iti-67',
      type: { system: DCM, code: '110112', display: 'Query' },
      subtype: [{ system: 'urn:ihe:event-type-code', code: 'ITI-67', display: 'Find Document References' }],
      action: 'E',
      recorded: '2026-01-02T03:04:05.000Z',
      outcome: '0',
      agent: [],
      source: { observer: { identifier: { value: 'hie-gateway@old' } } },
    };
    await db.query(
      `INSERT INTO audit_events (id, recorded, patient_id, type_code, subtypes, action, outcome, resource) VALUES ($1, $2, NULL, $3, $4, 'E', '0', $5)`,
      [old.id, old.recorded, `${DCM}|110112`, ['ITI-67', 'urn:ihe:event-type-code|ITI-67'], old],
    );
    assert.deepEqual(await migrate(db), [7]);
    const row = await db.query<{ dicom_type: string | null; resource: unknown }>('SELECT dicom_type, resource FROM audit_events WHERE id = $1', [old.id]);
    assert.deepEqual(row.rows[0], { dicom_type: null, resource: old }, 'the recorded event is not rewritten');
    const trail = new SqlAuditEvents(db);
    const found = (type: string) => trail.search({ from: '2026-01-01T00:00:00Z', type: [[type]], subtype: [['ITI-67']], count: 10, offset: 0 }).then((r) => r.total);
    assert.equal(await found('110112'), 1);
    assert.equal(await found(`${DCM}|110112`), 1);
    assert.equal(await found('rest'), 0, 'it was not a BALP event');
  });
});
