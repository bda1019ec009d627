/**
 * Composition root: opens the store, blobs and job queue the configuration names and
 * wires the registry and repository onto them. main.ts and integration tests share it.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createAuditService, type AuditService } from './audit/audit-service';
import { patientIdOf } from './audit/patient-identifier';
import { EreceptBridge } from './bridges/erecept/erecept-bridge';
import { RCIS_SYSTEM, RID_SYSTEM } from './domain/czech-identifiers';
import { openCommunities, type Communities } from './communities/communities';
import type { CommunityTransport } from './communities/ports';
import type { Config } from './config';
import { createJobQueue } from './jobs/create-job-queue';
import type { JobQueue } from './jobs/job-queue';
import { JOB_QUEUES } from './jobs/queue-names';
import type { Logger } from './logger';
import { Registry } from './registry/registry';
import { SqlRegistryStore } from './store/sql/registry/sql-registry-store';
import { SqlAuditEvents } from './store/sql/audit/sql-audit-events';
import { SqlAuditOutbox } from './store/sql/audit/sql-audit-outbox';
import { DocumentRepository } from './repository/document-repository';
import { RepositoryService } from './repository/repository-service';
import { openBlobStoreFromConfig } from './store/blobs';
import { openRemoteDocumentCache } from './store/remote-document-cache';
import type { RemoteDocumentCache } from './remote-documents/remote-document-cache';
import type { Database } from './store/sql/database';
import { migrate } from './store/sql/migrate';
import { PgliteDatabase } from './store/sql/pglite';
import { PostgresDatabase } from './store/sql/postgres';
import { whenDatabaseAnswers } from './store/sql/wait-for-database';
import { SqlSubscriptionStore } from './store/sql/subscriptions/sql-subscription-store';
import type { DeliveryJobs } from './subscriptions/delivery';
import { openSubscriptions } from './subscriptions/open-subscriptions';
import type { Subscriptions } from './subscriptions/subscriptions';

/** Which store the gateway runs on, as /health and the start-up log name it. */
export interface StoreDescription {
  backend: 'embedded-postgres' | 'postgres' | 'pglite';
  version?: string;
}

export interface Gateway {
  config: Config;
  store: StoreDescription;
  /** ATNA: the audit trail front ends record into, and the forwarder to the repositories. */
  audit: AuditService;
  db: Database;
  registry: Registry;
  repository: RepositoryService;
  jobs: JobQueue;
  /** The eRecept bridge to SÚKL's CÚER, when ERECEPT_URL is set. */
  erecept?: EreceptBridge;
  /** Documents read from other communities, kept encrypted with an expiry. */
  remoteDocuments: RemoteDocumentCache;
  /** Other communities: the directory, their health, and the fan-out that asks them. */
  communities: Communities;
  /** DSUBm subscriptions: their events commit with registry changes; delivery starts with the FHIR front end. */
  subscriptions: Subscriptions;
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** How this process calls other communities (XCA); without it, community calls run only in processes that have one. */
  communityTransport?: CommunityTransport;
}

async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (!config.databaseUrl) {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    return PgliteDatabase.open(path.join(config.dataDir, 'pglite'));
  }
  const t = config.timeouts;
  return new PostgresDatabase({
    connectionString: config.databaseUrl,
    maxConnections: config.databasePoolSize,
    timeouts: { connectMs: t.databaseConnectMs, statementMs: t.databaseStatementMs, queryMs: t.databaseQueryMs, transactionMs: t.databaseTransactionMs },
    onConnectionError: (err) => logger.warn({ err }, 'database connection lost; the pool opens a new one when needed'),
  });
}

/**
 * Migrations wait for a database that is not up yet. On PostgreSQL they run on a connection
 * of their own without statement timeouts: a migration over a large registry may take
 * longer than any request should.
 */
async function migrateWhenReady(db: Database, config: Config, logger: Logger): Promise<number[]> {
  const wait = {
    timeoutMs: config.timeouts.databaseStartupMs,
    onWait: (info: object) => logger.warn(info, 'database not answering yet; waiting before start-up continues'),
  };
  if (!config.databaseUrl) return migrate(db);
  const migrator = new PostgresDatabase({
    connectionString: config.databaseUrl,
    maxConnections: 1,
    timeouts: { connectMs: config.timeouts.databaseConnectMs },
    onConnectionError: (err) => logger.warn({ err }, 'database connection lost during migrations'),
  });
  try {
    return await whenDatabaseAnswers(() => migrate(migrator), wait);
  } finally {
    await migrator.close();
  }
}

const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
/** Older than any in-flight upload: a blob this old without an index row is an orphan. */
const ORPHAN_AGE_MS = 6 * 60 * 60 * 1000;

export async function openGateway(config: Config, logger: Logger, options: GatewayOptions = {}): Promise<Gateway> {
  const db = await openDatabase(config, logger);
  const applied = await migrateWhenReady(db, config, logger);
  if (applied.length > 0) logger.info({ applied }, 'database migrations applied');
  const blobs = await openBlobStoreFromConfig(config);
  const repository = new RepositoryService(db, new DocumentRepository(blobs, { inlineUpTo: config.documentInlineMaxBytes }), config.repositoryUniqueId);
  const remoteDocuments = await openRemoteDocumentCache(db, config);
  const registry = Registry.fromConfig(new SqlRegistryStore(db), config);
  const queueOptions = {
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
    redisTimeouts: { connectMs: config.timeouts.redisConnectMs, commandMs: config.timeouts.redisCommandMs },
    onError: (err: Error) => logger.error({ err }, 'job queue error'),
  };
  const jobs = createJobQueue(queueOptions);
  // Calls to other communities have a queue of their own: many at once (they wait on the
  // network), and neither they nor the audit forwarding can hold the other up.
  const communityJobs = createJobQueue({ ...queueOptions, queueName: JOB_QUEUES.communities, concurrency: config.communityCallConcurrency });
  // Registered before the queue starts, so the forwarding and community-call jobs have their handlers.
  const audit = createAuditService(config, { events: new SqlAuditEvents(db), outbox: new SqlAuditOutbox(db), jobs, logger, spoolDir: path.join(config.dataDir, 'audit-spool') });
  const communities = openCommunities(config, communityJobs, audit.trail, logger, options.communityTransport);
  const subscriptionJobs = createJobQueue<DeliveryJobs>({ ...queueOptions, queueName: JOB_QUEUES.subscriptions, concurrency: 32 });
  const subscriptions = openSubscriptions(config.subscriptions, new SqlSubscriptionStore(db), subscriptionJobs, audit.trail, logger);
  registry.observeChanges(subscriptions.subscriptions.observer());
  await jobs.start();
  await communityJobs.start();
  await subscriptionJobs.start();
  audit.start();
  const sweeper = setInterval(() => {
    repository.sweepOrphans(ORPHAN_AGE_MS).then(
      (r) => r.removedBlobs + r.removedTemp > 0 && logger.info(r, 'orphan blobs removed'),
      (err: unknown) => logger.error({ err }, 'orphan blob sweep failed'),
    );
    remoteDocuments.sweepOrphans(ORPHAN_AGE_MS).then(
      (r) => r.removedBlobs + r.removedTemp > 0 && logger.info(r, 'orphan remote-cache blobs removed'),
      (err: unknown) => logger.error({ err }, 'orphan remote-cache blob sweep failed'),
    );
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();
  const store: StoreDescription = config.embeddedPostgresVersion
    ? { backend: 'embedded-postgres', version: config.embeddedPostgresVersion }
    : { backend: db.kind };
  const systems = config.profile.patientIdSystems;
  // The audit record names a CÚER patient by RID, else by rodné číslo (the číslo pojištěnce).
  const erecept = config.erecept
    ? new EreceptBridge(config.erecept, (p) => {
        if ('rid' in p && p.rid) return patientIdOf({ system: RID_SYSTEM, value: p.rid }, systems);
        return 'cp' in p && p.cp ? patientIdOf({ system: RCIS_SYSTEM, value: p.cp }, systems) : undefined;
      })
    : undefined;
  return {
    config,
    store,
    audit,
    db,
    registry,
    repository,
    jobs,
    ...(erecept ? { erecept } : {}),
    remoteDocuments,
    communities,
    subscriptions: subscriptions.subscriptions,
    async close() {
      clearInterval(sweeper);
      erecept?.close();
      communities.close();
      await subscriptions.close();
      await subscriptionJobs.close();
      await communityJobs.close();
      await audit.close();
      await jobs.close();
      await repository.close();
      await remoteDocuments.close();
      await db.close();
    },
  };
}
