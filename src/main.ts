/**
 * Process entry: config -> store -> app -> listen, and a graceful stop on SIGTERM/SIGINT.
 * With WORKERS > 1 the first process supervises that many workers (worker-supervisor.ts).
 */
import cluster from 'node:cluster';
import { loadConfig } from './config';
import { openGateway } from './gateway';
import { createApp } from './http/app';
import { createServer } from './http/server';
import { createLogger } from './logger';
import { superviseWorkers } from './worker-supervisor';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (config.workers > 1 && cluster.isPrimary) {
    superviseWorkers(config.workers, logger);
    return;
  }
  const gw = await openGateway(config, logger);
  const { app, security } = createApp(gw, logger);
  const server = createServer(config, app.callback(), security, logger);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  logger.info({ host: config.host, port: config.port, tls: Boolean(config.security.tls), auth: config.security.auth, store: gw.db.kind, jobs: gw.jobs.backend, dataDir: config.dataDir }, 'hie-gateway listening');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.warn('grace period over, closing remaining connections');
      server.closeAllConnections();
    }, config.shutdownGraceMs);
    force.unref();
    server.close(() => {
      gw.close().then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (err: unknown) => {
          logger.error({ err }, 'error while closing');
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  // pino may not exist yet (bad config): plain stderr.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
