/**
 * The listening server: plain HTTP (loopback, or behind a TLS-terminating proxy), or HTTPS
 * when TLS_CERT/TLS_KEY are set, asking hospital nodes for client certificates when
 * TLS_CLIENT_CA is set. A refused client certificate never reaches the application, so the
 * refusal is audited here; SIGHUP re-reads certificate, key and CRL without a restart.
 */
import http from 'node:http';
import https from 'node:https';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { SecurityLayer } from '../security/security-layer';
import { httpsServerOptions, onClientCertificateRejected, reloadTlsContext } from '../security/tls';

export type GatewayServer = http.Server | https.Server;

export function createServer(config: Pick<Config, 'security'>, handler: http.RequestListener, security: SecurityLayer, logger: Logger): GatewayServer {
  const tls = config.security.tls;
  if (!tls) return http.createServer(handler);
  const server = https.createServer(httpsServerOptions(tls), handler);
  if (tls.clientCaFile) {
    onClientCertificateRejected(server, (event) => {
      security
        .recordFailure({ mechanism: 'certificate', reason: event.reason, ...(event.address ? { address: event.address } : {}), ...(event.subject ? { claimedSubject: `${event.subject} (claimed)` } : {}) })
        .catch((err: unknown) => logger.error({ err }, 'could not record a refused client certificate in the audit trail'));
    });
  }
  process.on('SIGHUP', () => {
    try {
      reloadTlsContext(server, tls);
      // New settings apply to new connections: idle keep-alive ones (a node revoked a moment
      // ago, say) are closed so that their next request goes through the new CRL.
      server.closeIdleConnections();
      logger.info('TLS certificate, key and CRL reloaded');
    } catch (err) {
      logger.error({ err }, 'TLS reload failed; the previous certificates stay in use');
    }
  });
  return server;
}
