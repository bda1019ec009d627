/**
 * https.ServerOptions for the gateway's HTTPS listener, with mutual TLS when a client CA
 * bundle is configured.
 *
 * Why the refusal is left to Node (rejectUnauthorized: true) rather than done by us in the
 * HTTP layer (rejectUnauthorized: false, then 403 or a close when !socket.authorized):
 *
 * - It fails closed by construction. These options alone refuse a client without a valid
 *   certificate; nothing depends on a guard being installed next to them, on the order of
 *   'secureConnection' listeners, or on every entry point (requests, upgrades, CONNECT,
 *   later protocols) remembering to check. A missing guard would let every client in.
 * - The HTTP parser never sees a byte from an unauthenticated peer: Node destroys the
 *   socket as soon as the handshake's verification result is known, before it hands the
 *   connection to the HTTP server, so no request is parsed and no response (not even a 403)
 *   is written. A client without any certificate gets a proper TLS alert from OpenSSL
 *   (handshake_failure in TLS 1.2, certificate_required in TLS 1.3).
 *
 * The cost: when Node destroys the socket it also drops the peer certificate, so the audit
 * event of a refused client (onClientCertificateRejected) carries the address and the
 * reason (CERT_REVOKED, UNABLE_TO_VERIFY_LEAF_SIGNATURE, ...) but not the subject the
 * client claimed. That subject is unverified anyway (anyone can put any name in a
 * certificate of an unknown CA), so the audit loses little by not repeating it.
 *
 * What clients see: OpenSSL completes the handshake before Node refuses (Node's verify
 * callback accepts and checks afterwards), so a revoked or unknown-CA client sees no TLS
 * alert: with TLS 1.3 its handshake succeeds and its first read gets ECONNRESET ("socket
 * hang up"); with TLS 1.2 the connection closes before it is established (ECONNRESET).
 */
import type https from 'node:https';
import type { TlsListenerConfig } from './config';
import { listenerSecureContextOptions } from './secure-context';

/**
 * https.ServerOptions for node:https.createServer: cert/key, and for mTLS requestCert +
 * rejectUnauthorized + ca + crl; TLS >= 1.2. Reads the files synchronously, so a missing
 * or bad file fails the start.
 */
export function httpsServerOptions(config: TlsListenerConfig): https.ServerOptions {
  const options: https.ServerOptions = listenerSecureContextOptions(config);
  if (config.clientCaFile) {
    options.requestCert = true;
    options.rejectUnauthorized = true;
  }
  return options;
}
