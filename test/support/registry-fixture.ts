import { loadConfig } from '../../src/config';
import type { Database } from '../../src/store/sql/database';
import { Registry } from '../../src/registry/registry';

/** A registry on the Czech default profile over the given database. */
export function testRegistry(db: Database, env: Record<string, string> = {}): Registry {
  const config = loadConfig({ AUTH: 'off', ...env });
  return new Registry(db, {
    profile: config.profile,
    patientPolicy: { check: config.patientCheck, acceptedAuthorities: config.acceptedPatientAuthorities },
    homeCommunityId: config.homeCommunityId,
  });
}

export async function countRows(db: Database, table: string): Promise<number> {
  const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return r.rows[0]!.n;
}
