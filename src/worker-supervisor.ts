/**
 * WORKERS > 1: this process only supervises; the gateway runs in that many worker processes
 * sharing the listening port (node:cluster hands connections round-robin). One Node process
 * uses one core for JavaScript, and under load the gateway is CPU-bound there (SOAP parsing,
 * FHIR mapping, TLS); several use every core. Everything the workers share lives in
 * PostgreSQL, Redis and the blob directory, which are safe for several processes (migrations
 * take an advisory lock, audit forwarding leases its records), so workers need nothing from
 * each other. Per-client rate limits count per worker.
 *
 * A worker that dies is replaced, whatever killed it: at once after a worker that ran a while,
 * with capped exponential backoff after one that died soon after starting (a database
 * still down makes each start wait out DATABASE_STARTUP_TIMEOUT_MS, a broken configuration
 * fails at once; neither is a reason to stop the gateway, and the backoff keeps a broken
 * one from spinning). SIGTERM/SIGINT stop every worker gracefully (each finishes its
 * requests) and cancel pending restarts before the supervisor exits; SIGHUP (TLS reload)
 * is passed on.
 */
import cluster, { type Worker } from 'node:cluster';
import { cappedBackoffMs } from './backoff';
import type { Logger } from './logger';
import type { StoreProcess } from './embedded-store';

/** A worker that ran at least this long was healthy: the next restart is immediate again. */
const STABLE_UPTIME_MS = 10_000;
const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;

/** `store`: the embedded PostgreSQL server the workers share, if any; it stops after the last worker. */
export function superviseWorkers(count: number, logger: Logger, store: Pick<StoreProcess, 'workerEnv' | 'stop'>): void {
  let stopping = false;
  /** Workers in a row that died before STABLE_UPTIME_MS. */
  let quickFailures = 0;
  const started = new Map<Worker, number>();
  const pendingRestarts = new Set<NodeJS.Timeout>();
  const fork = () => started.set(cluster.fork(store.workerEnv), Date.now());
  for (let i = 0; i < count; i++) fork();

  const exitIfDone = () => {
    if (started.size === 0 && pendingRestarts.size === 0) {
      logger.info('all workers stopped');
      // The embedded PostgreSQL server, if the supervisor runs one, outlives every worker.
      store.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'error while stopping the embedded PostgreSQL');
          process.exit(1);
        },
      );
    }
  };

  cluster.on('exit', (worker, code, signal) => {
    const uptime = Date.now() - (started.get(worker) ?? 0);
    started.delete(worker);
    if (stopping) {
      exitIfDone();
      return;
    }
    quickFailures = uptime < STABLE_UPTIME_MS ? quickFailures + 1 : 0;
    const delayMs = quickFailures === 0 ? 0 : cappedBackoffMs(quickFailures - 1, FIRST_RESTART_DELAY_MS, MAX_RESTART_DELAY_MS);
    logger.error({ pid: worker.process.pid, code, signal, uptimeMs: uptime, restartInMs: delayMs }, 'worker exited; starting a new one');
    const timer = setTimeout(() => {
      pendingRestarts.delete(timer);
      if (!stopping) fork();
    }, delayMs);
    pendingRestarts.add(timer);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, workers: started.size }, 'stopping workers');
    for (const t of pendingRestarts) clearTimeout(t);
    pendingRestarts.clear();
    for (const w of started.keys()) w.process.kill('SIGTERM');
    exitIfDone();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    for (const w of started.keys()) w.process.kill('SIGHUP');
  });
}
