// Runs a suite against the whole gateway over real HTTP: openGateway + createApp listening
// on 127.0.0.1 port 0 with a temporary DATA_DIR, once per store (embedded PGlite, and
// PostgreSQL in a fresh schema of its own: search_path in the connection URL).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { openGateway, type Gateway } from '../../src/gateway';
import { createApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import type { StoreKind } from './databases';
import { createPgSchema } from './pg-schema';
import { needService } from './services';

export interface HttpGatewayContext {
  kind: StoreKind;
  gw: Gateway;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** `${baseUrl}/fhir` */
  fhir: string;
  dataDir: string;
}

/** Around the gateway's life: e.g. a filesystem mounted into DATA_DIR before it opens, unmounted after it closed. */
export interface DataDirHooks {
  beforeOpen?: (dataDir: string, mocha: Mocha.Context) => Promise<void>;
  afterClose?: (dataDir: string) => Promise<void>;
}

/** Declares `body` once per store; `ctx` is filled in `before` and torn down in `after`. */
/** `env` may be a function, called in `before`, for settings known only then (a provider's port). */
/** `kinds`: the stores to run on, for a suite whose subject does not depend on the store (default both). */
export function describeEachStoreOverHttp(title: string, body: (ctx: HttpGatewayContext) => void, env: Record<string, string> | (() => Record<string, string>) = {}, hooks: DataDirHooks = {}, kinds: readonly StoreKind[] = ['pglite', 'postgres']): void {
  for (const kind of kinds) {
    describe(`${title} [${kind}]`, function () {
      this.timeout(60_000);
      const ctx = { kind } as HttpGatewayContext;
      let server: http.Server | undefined;
      let dropSchema: (() => Promise<void>) | undefined;
      before(async function () {
        const databaseEnv: Record<string, string> = {};
        if (kind === 'postgres') {
          const schema = await createPgSchema(await needService(this, 'postgres'));
          dropSchema = schema.drop;
          databaseEnv.DATABASE_URL = schema.url;
        }
        ctx.dataDir = await mkdtemp(path.join(os.tmpdir(), 'hie-mhd-http-'));
        await hooks.beforeOpen?.(ctx.dataDir, this);
        // Suites fire requests faster than one client may by default; the rate limit has tests of its own.
        const config = loadConfig({ AUTH: 'off', HOST: '127.0.0.1', PORT: '0', DATA_DIR: ctx.dataDir, DATABASE_POOL_SIZE: '4', RATE_LIMIT: 'off', ...databaseEnv, ...(typeof env === 'function' ? env() : env) });
        const logger = createLogger('silent');
        ctx.gw = await openGateway(config, logger);
        const { app, attach } = createApp(ctx.gw, logger);
        server = http.createServer(app.callback());
        attach(server);
        await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
        ctx.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        ctx.fhir = `${ctx.baseUrl}/fhir`;
      });
      after(async () => {
        if (server) {
          server.closeAllConnections();
          await new Promise((resolve) => server!.close(resolve));
        }
        await ctx.gw?.close();
        if (ctx.dataDir) await hooks.afterClose?.(ctx.dataDir);
        await dropSchema?.();
        if (ctx.dataDir) await rm(ctx.dataDir, { recursive: true, force: true });
      });
      body(ctx);
    });
  }
}

/** Row counts of the registry and repository tables, and document blobs on disk: what "nothing stored" compares. */
export async function storedCounts(ctx: HttpGatewayContext): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['document_entries', 'submission_sets', 'folders', 'associations', 'repository_documents', 'patients']) {
    const r = await ctx.gw.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    counts[table] = r.rows[0]!.n;
  }
  counts.blobs = await countFiles(path.join(ctx.dataDir, 'blobs'));
  return counts;
}

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    n += e.isDirectory() ? await countFiles(path.join(dir, e.name)) : 1;
  }
  return n;
}
