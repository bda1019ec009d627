import { loadConfig } from '../../src/config';
import type { Database } from '../../src/store/sql/database';
import { Registry } from '../../src/registry/registry';
import type { StoredQuery } from '../../src/domain/stored-queries';
import type { StoredQueryOptions } from '../../src/registry/ports';
import { runStoredQuery } from '../../src/registry/stored-query-executor';
import { SqlRegistryStore } from '../../src/store/sql/registry/sql-registry-store';
import { validateStoredQuery, type StoredQueryRequest } from '../../src/xds/stored-query-request';
import { patientCx } from './metadata-builders';

/** A registry on the Czech default profile over the given database. */
export function testRegistry(db: Database, env: Record<string, string> = {}): Registry {
  const config = loadConfig({ AUTH: 'off', ...env });
  return Registry.fromConfig(new SqlRegistryStore(db), config);
}

/**
 * The registry's stored-query executor over the given database, without a Registry around it.
 * An ITI-18 parameter request is read as the XDS front end reads it; its refusal rejects.
 */
export async function runStoredQueryOn(db: Database, query: StoredQuery | StoredQueryRequest, options: StoredQueryOptions): ReturnType<typeof runStoredQuery> {
  return runStoredQuery(new SqlRegistryStore(db).session, 'params' in query ? validateStoredQuery(query) : query, options);
}

export async function countRows(db: Database, table: string): Promise<number> {
  const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return r.rows[0]!.n;
}

/**
 * Mocha hooks for a registry suite: one registry over the suite's database, and a new
 * patient, registered through the identity feed, before each test.
 */
export function withFreshPatient(ctx: { db: Database }, set: (registry: Registry, patient: string) => void): void {
  let registry: Registry;
  before(() => {
    registry = testRegistry(ctx.db);
  });
  beforeEach(async () => {
    const patient = patientCx();
    await registry.registerPatient(patient);
    set(registry, patient);
  });
}
