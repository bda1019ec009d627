/**
 * The secure-context part of the listener's TLS options (certificate, key, client CAs,
 * CRLs, protocol floor), read from the configured files. Shared by the initial
 * https.ServerOptions and by reloads, so a reload cannot drift from what the server
 * started with (server.setSecureContext resets every option it is not given: a reload
 * without minVersion would silently fall back to Node's default floor).
 */
import tls from 'node:tls';
import { readTlsFile } from './files';
import type { TlsListenerConfig } from './config';
import { splitPemCrls } from './crl';

const read = (file: string, what: string): Buffer => readTlsFile(file, what, 'TLS listener');

/** TLS 1.0/1.1 are deprecated (RFC 8996); IHE ATNA requires at least TLS 1.2. */
export const MIN_TLS_VERSION = 'TLSv1.2';

export function listenerSecureContextOptions(config: TlsListenerConfig): tls.SecureContextOptions {
  if (config.crlFile && !config.clientCaFile) {
    // A CRL only matters for client certificates; without clientCaFile none are requested,
    // and silently ignoring the CRL would look like revocation checking that isn't there.
    throw new Error(`TLS listener: crlFile (${config.crlFile}) requires clientCaFile`);
  }
  const options: tls.SecureContextOptions = {
    cert: read(config.certFile, 'certFile'),
    key: read(config.keyFile, 'keyFile'),
    minVersion: MIN_TLS_VERSION,
  };
  if (config.clientCaFile) {
    // `ca` replaces Node's public root store for verifying clients: only this bundle's CAs
    // can vouch for a client, never some public CA.
    options.ca = read(config.clientCaFile, 'clientCaFile');
  }
  if (config.crlFile) {
    const crls = splitPemCrls(read(config.crlFile, 'crlFile'));
    // An unreadable or empty CRL file must stop the start (or the reload), not quietly
    // turn revocation checking off.
    if (crls.length === 0) throw new Error(`TLS listener: crlFile ${config.crlFile} holds no PEM CRL ("-----BEGIN X509 CRL-----")`);
    options.crl = crls;
  }
  try {
    // Build it once here so a bad file (unparsable CRL, key not matching the certificate)
    // fails with the file names in the message, before the server or the reload uses it.
    tls.createSecureContext(options);
  } catch (err) {
    const files = [config.certFile, config.keyFile, config.clientCaFile, config.crlFile].filter(Boolean).join(', ');
    throw new Error(`TLS listener: cannot use ${files}: ${(err as Error).message}`, { cause: err });
  }
  return options;
}
