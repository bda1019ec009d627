/**
 * Process entry: config -> store -> app -> listen, and a graceful stop on SIGTERM/SIGINT.
 * With WORKERS > 1 the first process supervises that many workers (worker-supervisor.ts).
 * The embedded PostgreSQL server (no DATABASE_URL) belongs to the first process: it starts
 * before any worker and stops after the last.
 */
import cluster from 'node:cluster';
import { ehdsiTransportOf, ncpIdentificationOf } from './bridges/ncpeh/outbound/ncpeh-outbound';
import { CommunityDirectory } from './communities/community-directory';
import { loadConfig } from './config';
import { MappingsByBase } from './fhir/http/fhir-base';
import { MhdTransport } from './fhir/mhd/remote/mhd-transport';
import { openGateway } from './gateway';
import { XcaTransport } from './xca/initiating-gateway/xca-transport';
import { createApp } from './http/app';
import { createServer } from './http/server';
import { createLogger } from './logger';
import { EndpointTransport } from './remote-mhd/endpoint-transport';
import { MhdClient } from './remote-mhd/mhd-client';
import { startEmbeddedStore } from './embedded-store';
import { superviseWorkers } from './worker-supervisor';

async function main(): Promise<void> {
  const loaded = loadConfig();
  // A bad community directory stops the start here, before any store is started for nothing.
  if (loaded.communitiesFile) CommunityDirectory.load(loaded.communitiesFile);
  // So does a signing key that does not belong to its certificate (NCPEH_SIGNING_*).
  const ehdsi = ehdsiTransportOf(loaded.ncpeh, loaded.homeCommunityId);
  const logger = createLogger(loaded.logLevel);
  const store = await startEmbeddedStore(loaded, logger);
  const config = store.config;
  if (config.workers > 1 && cluster.isPrimary) {
    superviseWorkers(config.workers, logger, store);
    return;
  }
  // Other communities: XCA (ITI-38/39) where the directory gives XCA endpoints, their MHD server otherwise.
  // Foreign countries' NCPs (directory entries with `ehdsi`): XCA with this NCP's HCP + TRC assertions.
  const communityTransport = new EndpointTransport({
    xca: new XcaTransport(),
    mhd: new MhdTransport(new MhdClient(), new MappingsByBase(config.profile.patientIdSystems)),
    ...(ehdsi ? { ehdsi } : {}),
  });
  const gw = await openGateway(config, logger, { communityTransport }).catch(async (err: unknown) => {
    await store.stop();
    throw err;
  });
  const ncpeh = ncpIdentificationOf(config.ncpeh, config.homeCommunityId, gw.communities.directory, gw.audit.trail);
  const { app, security, attach } = createApp(gw, logger, ncpeh ? { ncpeh } : {});
  const server = createServer(config, app.callback(), security, logger);
  attach(server);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  logger.info({ host: config.host, port: config.port, tls: Boolean(config.security.tls), auth: config.security.auth, store: gw.store.backend, jobs: gw.jobs.backend, dataDir: config.dataDir }, 'hie-gateway listening');

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
      gw.close().then(() => store.stop()).then(
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
