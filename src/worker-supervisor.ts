/**
 * WORKERS > 1: this process only supervises; the gateway runs in that many worker processes
 * sharing the listening port (node:cluster hands connections round-robin). One Node process
 * uses one core for JavaScript, and under load the gateway is CPU-bound there (SOAP parsing,
 * FHIR mapping, TLS); several use every core. Everything the workers share lives in
 * PostgreSQL, Redis and the blob directory, which are safe for several processes (migrations
 * take an advisory lock, audit forwarding leases its records), so workers need nothing from
 * each other. Per-client rate limits count per worker.
 *
 * A worker that dies is replaced; SIGTERM/SIGINT stop every worker gracefully (each finishes
 * its requests) before the supervisor exits; SIGHUP (TLS reload) is passed on.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './logger';
import type { StoreProcess } from './store/embedded-postgres/embedded-store';

/** A worker that keeps dying this soon after its start is not restarted again and again. */
const MIN_UPTIME_MS = 5_000;

/** `store`: the embedded PostgreSQL server the workers share, if any; it stops after the last worker. */
export function superviseWorkers(count: number, logger: Logger, store: Pick<StoreProcess, 'workerEnv' | 'stop'>): void {
  let stopping = false;
  let exitCode = 0;
  const started = new Map<Worker, number>();
  const fork = () => started.set(cluster.fork(store.workerEnv), Date.now());
  const exit = () => {
    store.stop().then(
      () => process.exit(exitCode),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping the embedded PostgreSQL');
        process.exit(1);
      },
    );
  };
  for (let i = 0; i < count; i++) fork();

  cluster.on('exit', (worker, code, signal) => {
    const uptime = Date.now() - (started.get(worker) ?? 0);
    started.delete(worker);
    if (stopping) {
      if (started.size === 0) {
        logger.info('all workers stopped');
        exit();
      }
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal, uptimeMs: uptime }, 'worker exited');
    if (uptime < MIN_UPTIME_MS) {
      // Most likely it cannot start at all (configuration, database): stop rather than loop.
      logger.error('worker failed right after starting; stopping the gateway');
      stopping = true;
      exitCode = 1;
      for (const w of started.keys()) w.process.kill('SIGTERM');
      if (started.size === 0) exit();
      return;
    }
    fork();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, workers: started.size }, 'stopping workers');
    for (const w of started.keys()) w.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    for (const w of started.keys()) w.process.kill('SIGHUP');
  });
}
