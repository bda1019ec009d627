/**
 * TLS options for the gateway's outbound calls (audit repositories, other communities'
 * gateways): TLS 1.2 at least, the server verified against the configured CA bundle, and
 * the gateway's own certificate presented when the peer requires mutual TLS.
 */
import type tls from 'node:tls';
import { readTlsFile } from './files';
import type { OutboundTlsConfig } from './config';
import { MIN_TLS_VERSION } from './secure-context';

const read = (file: string, what: string): Buffer => readTlsFile(file, what, 'outbound TLS');

/** Options for tls.connect or an https.Agent (both accept tls.ConnectionOptions). Reads the files now, so a missing one fails the start, not the first call. */
export function outboundTlsOptions(config: OutboundTlsConfig): tls.ConnectionOptions {
  if (!config.certFile !== !config.keyFile) throw new Error('outbound TLS: certFile and keyFile go together');
  return {
    minVersion: MIN_TLS_VERSION,
    // Explicit, whatever NODE_TLS_REJECT_UNAUTHORIZED says: an unverified peer could be
    // anyone, and would receive the patient data sent to it.
    rejectUnauthorized: true,
    ...(config.caFile ? { ca: read(config.caFile, 'caFile') } : {}),
    ...(config.certFile ? { cert: read(config.certFile, 'certFile') } : {}),
    ...(config.keyFile ? { key: read(config.keyFile, 'keyFile') } : {}),
    ...(config.servername ? { servername: config.servername } : {}),
  };
}
