/** The verified client certificate of a connection, as the identity of the calling node. */
import type net from 'node:net';
import tls from 'node:tls';

export interface ClientCertificateIdentity {
  /** The subject's common name (CN): the node's name, e.g. "node-1.hospital.test". */
  subject: string;
  /** The subject's organization (O), when present. */
  organization?: string;
  /** Subject DN as an RFC 4514 string, most specific first: "CN=node-1.hospital.test,O=Nemocnice Test". */
  subjectDn: string;
  /** Issuer DN, same form. */
  issuerDn: string;
  /** Upper-case hex, without separators. */
  serialNumber: string;
  /** SHA-256 of the DER certificate, colon-separated upper-case hex (as Node prints it). */
  fingerprint256: string;
}

// Per connection, not per request: a keep-alive connection serves many requests with one
// certificate, and parsing it again for each would be waste. (The certificate cannot change
// under the cache: OpenSSL 3 refuses client-initiated renegotiation by default.)
const identities = new WeakMap<tls.TLSSocket, ClientCertificateIdentity | undefined>();

/**
 * The verified peer certificate of a request's socket (tls.TLSSocket with authorized ===
 * true), or undefined when there is none or it is not authorized.
 */
export function clientCertificateOf(socket: net.Socket): ClientCertificateIdentity | undefined {
  // `authorized` is only true when Node verified the peer's chain against the listener's
  // client CAs and CRLs; a certificate the client merely sent proves nothing.
  if (!(socket instanceof tls.TLSSocket) || socket.authorized !== true) return undefined;
  if (identities.has(socket)) return identities.get(socket);
  const identity = readIdentity(socket);
  identities.set(socket, identity);
  return identity;
}

function readIdentity(socket: tls.TLSSocket): ClientCertificateIdentity | undefined {
  const x509 = socket.getPeerX509Certificate();
  if (!x509) return undefined; // a server that does not request certificates is "authorized" on some Node versions
  const names: { CN?: string | string[]; O?: string | string[] } = socket.getPeerCertificate().subject ?? {};
  const cn = lastValue(names.CN);
  // A certificate without a CN names nobody this gateway can audit or authorize.
  if (!cn) return undefined;
  const organization = lastValue(names.O);
  return {
    subject: cn,
    ...(organization ? { organization } : {}),
    subjectDn: rfc4514(x509.subject),
    issuerDn: rfc4514(x509.issuer),
    serialNumber: x509.serialNumber.toUpperCase(),
    fingerprint256: x509.fingerprint256,
  };
}

/** Node gives repeated attributes as arrays; the last one is the most specific (RFC 6125 6.4.4). */
function lastValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/**
 * X509Certificate.subject / .issuer are one RDN per line, most significant first, values
 * already escaped per RFC 2253 (and control characters escaped, so a line break always
 * separates RDNs). RFC 4514 lists them the other way round, comma-separated.
 */
function rfc4514(multiline: string): string {
  return multiline
    .split('\n')
    .filter((rdn) => rdn !== '')
    .reverse()
    .map((rdn) => rdn.replace(/ \+ /g, '+'))
    .join(',');
}
