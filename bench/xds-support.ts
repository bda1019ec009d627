// What the XDS.b benchmarks share beyond bench/http-support.ts (the gateway process) and
// bench/support.ts (closed loop, statistics, results): keep-alive connections for the SOAP
// client, a cheap success check, and the bulk load of DocumentEntries for the query benchmark.
import http from 'node:http';
import path from 'node:path';
import { loadConfig } from '../src/config';
import type { Database } from '../src/store/sql/database';
import { migrate } from '../src/store/sql/migrate';
import { PgliteDatabase } from '../src/store/sql/pglite';
import { PostgresDatabase } from '../src/store/sql/postgres';
import { loadDocuments } from './document-loader';

/** One keep-alive connection per closed-loop caller (16 by default). */
export function keepAliveAgent(connections = 16): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
}

const SUCCESS = /status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"/;

/**
 * A reply counts only when it is HTTP 200 with a Success RegistryResponse: registry failures are
 * HTTP 200 too, so a status-code check alone would let a failing run pass for a fast one. The
 * text is matched, not parsed, to keep the load generator's CPU (the same 2 cores) for the gateway.
 */
export function succeeded(reply: { status: number; text: string }): boolean {
  return reply.status === 200 && SUCCESS.test(reply.text);
}

/** Fills the gateway's store before it starts (bench/http-support.ts beforeStart) with `docs` DocumentEntries. */
export function documentsLoader(docs: number, patients: number): (where: { databaseUrl?: string; dataDir: string }) => Promise<void> {
  return async (where) => {
    const db: Database = where.databaseUrl
      ? new PostgresDatabase({ connectionString: where.databaseUrl, maxConnections: 2 })
      : await PgliteDatabase.open(path.join(where.dataDir, 'pglite'));
    try {
      await migrate(db);
      const seconds = await loadDocuments(db, { docs, patients, authority: loadConfig({ AUTH: 'off' }).patientIdAuthority });
      if (seconds !== undefined) console.log(`\n  loaded ${docs} documents in ${seconds.toFixed(1)} s`);
    } finally {
      await db.close();
    }
  };
}
