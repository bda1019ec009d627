/**
 * Clients refused for their certificate, reported for the audit trail (ATNA: node
 * authentication failure). They are refused in the TLS layer before any HTTP request
 * exists, so the HTTP audit never sees them; they surface as the server's 'tlsClientError':
 *
 * - no certificate: OpenSSL fails the handshake (ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE);
 *   the socket is still open, so its address is known.
 * - a certificate that fails verification (revoked, unknown CA, expired, stale CRL, wrong
 *   purpose...): the handshake completes, Node records the OpenSSL verify code in
 *   socket.authorizationError and destroys the socket, which then closes with "socket hang
 *   up" (ECONNRESET). By then the socket has let go of its peer certificate and address:
 *   the address is kept from the TCP connection (see addressOf), the subject is lost.
 *
 * Other TLS errors (a scanner or load-balancer probe closing mid-handshake, plain HTTP sent
 * to the port, no common protocol version) are not about client certificates and are not
 * reported here.
 */
import type https from 'node:https';
import type net from 'node:net';
import type tls from 'node:tls';

/** Reason of a refusal for want of a client certificate. */
export const NO_CLIENT_CERTIFICATE = 'NO_CLIENT_CERTIFICATE';

export interface ClientCertificateRejection {
  /** Remote IP address of the client, when it could be recovered. */
  address?: string;
  /**
   * OpenSSL verification code as Node names it (CERT_REVOKED, UNABLE_TO_VERIFY_LEAF_SIGNATURE,
   * CERT_HAS_EXPIRED, CRL_HAS_EXPIRED, UNABLE_TO_GET_CRL, INVALID_PURPOSE, ...), or
   * NO_CLIENT_CERTIFICATE, or the Node error code of another certificate-related handshake failure.
   */
  reason: string;
  /** CN the client's certificate claims: only known when the socket still held it. Unverified. */
  subject?: string;
}

/**
 * Handshake failures (unknown CA, revoked, no certificate) happen before any HTTP request:
 * reports them with the client's address and a reason code. A listener that throws does not
 * disturb the server (the error is reported on process 'warning' instead).
 */
export function onClientCertificateRejected(server: https.Server, listener: (event: ClientCertificateRejection) => void): void {
  const addresses = new WeakMap<net.Socket, string>();
  // The TCP socket, before TLS wraps it: its address is read now, while it has one.
  server.on('connection', (raw: net.Socket) => {
    if (raw.remoteAddress) addresses.set(raw, raw.remoteAddress);
  });
  server.on('tlsClientError', (err: Error & { code?: string }, socket: tls.TLSSocket) => {
    const reason = reasonOf(err, socket);
    if (!reason) return;
    const address = socket.remoteAddress ?? addressOf(socket, addresses);
    const subject = claimedSubject(socket);
    try {
      listener({ ...(address ? { address } : {}), reason, ...(subject ? { subject } : {}) });
    } catch (listenerErr) {
      process.emitWarning(`client certificate rejection listener failed: ${(listenerErr as Error).message}`);
    }
  });
}

function reasonOf(err: Error & { code?: string }, socket: tls.TLSSocket): string | undefined {
  // Set by Node from the OpenSSL verify result before it destroyed the socket.
  if (socket.authorizationError) return String(socket.authorizationError);
  if (err.code === 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE') return NO_CLIENT_CERTIFICATE;
  // e.g. a CertificateVerify signature that does not match the certificate's key.
  if (err.code && /CERTIFICATE|SIGNATURE/.test(err.code)) return err.code;
  return undefined;
}

/**
 * A TLS server socket wraps the accepted TCP socket, which Node keeps as `_parent` (not a
 * documented property: if it ever goes, the address is missing from the event, nothing else).
 */
function addressOf(socket: tls.TLSSocket, addresses: WeakMap<net.Socket, string>): string | undefined {
  const parent = (socket as unknown as { _parent?: unknown })._parent;
  return parent && typeof parent === 'object' ? addresses.get(parent as net.Socket) : undefined;
}

function claimedSubject(socket: tls.TLSSocket): string | undefined {
  try {
    const cn = socket.getPeerCertificate()?.subject?.CN as string | string[] | undefined;
    return Array.isArray(cn) ? cn[cn.length - 1] : cn || undefined;
  } catch {
    return undefined;
  }
}
