/**
 * Composition of the audit layer for the gateway: the trail front ends write to, the
 * forwarder and its jobs, and the health report. Order of use (gateway.ts):
 *   const audit = createAuditService(config, { events, outbox, jobs, logger });   // registers the job handler
 *   await jobs.start(); audit.start();
 *   ... audit.trail.rows(input) / audit.trail.record(input, tx?) ...
 *   on shutdown: await audit.close() (stops polling, waits for running forwarding), then jobs.close(), db.close().
 */
import type { AffinityProfile } from '../domain/affinity-profile';
import type { AuditConfig } from './audit-config';
import type { AuditContext } from './audit-input';
import { auditHealth, type AuditDestinationHealth } from './audit-health';
import { AuditForwardingJobs, type AuditJobQueue, type AuditLog } from './audit-jobs';
import { AuditSpool } from './audit-spool';
import { AuditTrail } from './audit-trail';
import { createAuditSenders } from './create-senders';
import { AuditForwarder } from './forwarder';
import type { AuditEventStore, AuditOutboxStore } from './ports';
import { SpoolReplay } from './spool-replay';

/** The settings the audit layer reads (a part of the gateway's Config). */
export interface AuditSettings {
  audit: AuditConfig;
  profile: Pick<AffinityProfile, 'patientIdSystems'>;
}

export interface AuditService {
  trail: AuditTrail;
  forwarder: AuditForwarder;
  /** Per-destination outbox state for /health and /metrics. */
  health(): Promise<AuditDestinationHealth[]>;
  start(): void;
  /** Stops polling, waits for forwarding in progress, closes repository connections. */
  close(): Promise<void>;
}

function auditContextOf(config: AuditSettings): AuditContext {
  return {
    sourceId: config.audit.sourceId,
    enterpriseSiteId: config.audit.enterpriseSiteId,
    hostname: config.audit.hostname,
    patientIdSystems: config.profile.patientIdSystems,
  };
}

export interface AuditServiceDeps {
  /** The audit events (store/sql/audit in the gateway). */
  events: AuditEventStore;
  /** The outbox the forwarders claim from (store/sql/audit in the gateway). */
  outbox: AuditOutboxStore;
  jobs: AuditJobQueue;
  logger: AuditLog;
  /** Directory of the spool for records the database can't take while it is down; unset: no spool (a record that can't be written fails its request). */
  spoolDir?: string;
}

/** How often the spool is checked for records to move into the audit store. */
const SPOOL_REPLAY_MS = 1_000;

export function createAuditService(config: AuditSettings, deps: AuditServiceDeps): AuditService {
  const a = config.audit;
  const senders = createAuditSenders(a, config.profile.patientIdSystems);
  const forwarder = new AuditForwarder(deps.outbox, senders, {
    batchSize: a.batchSize,
    leaseMs: a.leaseMs,
    retry: { baseMs: a.retryBaseMs, maxMs: a.retryMaxMs },
  });
  const spool = deps.spoolDir ? new AuditSpool(deps.spoolDir) : undefined;
  const trail = new AuditTrail(auditContextOf(config), forwarder.destinations, deps.events, spool);
  const replay = spool ? new SpoolReplay(spool, deps.events, trail.outboxOptions, deps.logger, SPOOL_REPLAY_MS) : undefined;
  const jobs = new AuditForwardingJobs(deps.outbox, deps.jobs, forwarder, { pollMs: a.pollMs, drainBudgetMs: 5_000, sentRetentionMs: a.sentRetentionMs }, deps.logger);
  if (senders.length > 0) jobs.register();
  return {
    trail,
    forwarder,
    health: () => auditHealth(deps.outbox, forwarder.destinations),
    start: () => {
      replay?.start();
      if (senders.length > 0) jobs.start();
    },
    async close() {
      await replay?.stop();
      await spool?.close();
      await jobs.stop();
      await forwarder.close();
    },
  };
}
