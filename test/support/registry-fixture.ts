import { loadConfig } from '../../src/config';
import type { Database } from '../../src/store/sql/database';
import { Registry } from '../../src/registry/registry';
import { runStoredQuery } from '../../src/registry/stored-query-executor';
import { SqlRegistryStore } from '../../src/store/sql/registry/sql-registry-store';
import { patientCx } from './metadata-builders';

/** A registry on the Czech default profile over the given database. */
export function testRegistry(db: Database, env: Record<string, string> = {}): Registry {
  const config = loadConfig({ AUTH: 'off', ...env });
  return Registry.fromConfig(new SqlRegistryStore(db), config);
}

/** The registry's stored-query executor over the given database, without a Registry around it. */
export function runStoredQueryOn(db: Database, ...query: Parameters<typeof runStoredQuery> extends [unknown, ...infer Rest] ? Rest : never): ReturnType<typeof runStoredQuery> {
  return runStoredQuery(new SqlRegistryStore(db).session, ...query);
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
