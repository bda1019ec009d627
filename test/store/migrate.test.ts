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
});
