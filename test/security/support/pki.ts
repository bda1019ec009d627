// A throwaway PKI for the security suites, made with the openssl CLI at test time in a
// temporary directory that cleanup() removes: keys are never written to the repository.
//
// Unlike the audit suites' certificates (plain `openssl x509 -req`), the central CA here
// is a real `openssl ca` with its database (index.txt, serial, crlnumber), because
// revocation needs one: `openssl ca -revoke` marks a certificate in index.txt and
// `openssl ca -gencrl` signs a CRL listing every revoked entry.
//
//   central CA  "Test HIE Root CA"   server certificate (127.0.0.1, localhost),
//                                    one client certificate per hospital node,
//                                    /O=Nemocnice Test/CN=<node>.hospital.test, clientAuth;
//                                    some revoked from the start (node-3 by default)
//   stranger CA "Stranger Root CA"   one client certificate, "stranger": a valid
//                                    certificate the gateway does not trust
//
// Both CAs keep a CRL (crlFile); the stranger's is there for suites that trust both CAs.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A certificate with its key, as files (for configs) and PEM buffers (for tls options). */
export interface Credentials {
  /** Short name: the node name ("node-1") or "server" / "stranger". */
  name: string;
  /** OpenSSL one-line subject, e.g. "/O=Nemocnice Test/CN=node-1.hospital.test". */
  subject: string;
  commonName: string;
  organization: string;
  /** Upper-case hex, as Node reports it in getPeerCertificate().serialNumber. */
  serialNumber: string;
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
}

export interface CertificateAuthority {
  name: string;
  subject: string;
  /** The CA certificate (PEM). */
  caFile: string;
  ca: Buffer;
  /** The CA's current CRL (PEM): rewritten in place by revoke() / issueCrl(). */
  crlFile: string;
}

export interface CrlOptions {
  /** thisUpdate / lastUpdate of the CRL. Default: now. */
  lastUpdate?: Date;
  /** nextUpdate of the CRL; a date in the past makes a stale CRL. Default: one day after lastUpdate. */
  nextUpdate?: Date;
}

export interface Pki {
  dir: string;
  /** The central CA: signs the server and the hospital nodes; the one the gateway trusts. */
  central: CertificateAuthority;
  caFile: string;
  ca: Buffer;
  /** Central CA's CRL file, rewritten in place by revoke() / issueCrl(). */
  crlFile: string;
  /** Contents of crlFile as of the last revoke() / issueCrl(). */
  readonly crl: Buffer;
  server: Credentials;
  serverCertFile: string;
  serverKeyFile: string;
  /** Every hospital node's name, in creation order. */
  readonly nodes: readonly string[];
  /** Credentials of a node (or of "stranger"); throws for an unknown name. */
  client(name: string): Credentials;
  /** Whether the node has been revoked (at creation or by revoke()). */
  isRevoked(name: string): boolean;
  /** The first node not revoked at creation (node-1 by default). */
  readonly good: Credentials;
  /** The first node revoked at creation (node-3 by default). */
  readonly revoked: Credentials;
  /** Client certificate of the untrusted stranger CA. */
  stranger: Credentials;
  strangerCa: CertificateAuthority;
  /** Revokes a node's certificate in the central CA and re-issues crlFile. */
  revoke(name: string, reason?: RevocationReason): Promise<void>;
  /** Re-issues the central CA's CRL (same revocations), e.g. with a nextUpdate in the past. */
  issueCrl(options?: CrlOptions): Promise<void>;
  /** Issues one more client certificate from the central CA, e.g. for a node added mid-test. */
  addNode(name: string): Promise<Credentials>;
  cleanup(): Promise<void>;
}

export type RevocationReason = 'unspecified' | 'keyCompromise' | 'CACompromise' | 'affiliationChanged' | 'superseded' | 'cessationOfOperation';

export interface PkiOptions {
  /** Hospital node names; each gets CN=<name>.hospital.test. Default node-1, node-2, node-3. */
  nodes?: readonly string[];
  /** Nodes revoked in the initial CRL. Default node-3. */
  revoked?: readonly string[];
  /** Organization (O) of the node certificates. Default "Nemocnice Test". */
  organization?: string;
}

const NODE_DOMAIN = 'hospital.test';
const DAYS = '2';

async function openssl(args: string[], cwd: string): Promise<string> {
  try {
    return (await run('openssl', args, { cwd })).stdout;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`openssl ${args.slice(0, 2).join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

/** openssl's -crl_lastupdate / -crl_nextupdate format (GeneralizedTime). */
function generalizedTime(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

// Everything `openssl ca` and `openssl req` need, so no system openssl.cnf is involved.
// unique_subject = no: a node may be re-issued with the subject of a revoked certificate.
function caConfig(): string {
  return `[ ca ]
default_ca = CA_default

[ CA_default ]
dir = .
database = ./index.txt
new_certs_dir = ./newcerts
certificate = ./ca.pem
private_key = ./ca-key.pem
serial = ./serial
crlnumber = ./crlnumber
default_md = sha256
default_days = ${DAYS}
default_crl_days = 1
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none

[ policy_any ]
organizationName = optional
commonName = supplied

[ req ]
distinguished_name = req_dn
prompt = no

[ req_dn ]
CN = unused

[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ server_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
authorityKeyIdentifier = keyid

[ client_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid

[ crl_ext ]
authorityKeyIdentifier = keyid
`;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** One `openssl ca` in its own directory. */
class OpensslCa implements CertificateAuthority {
  readonly caFile: string;
  readonly crlFile: string;
  ca: Buffer = Buffer.alloc(0);
  crl: Buffer = Buffer.alloc(0);

  private constructor(
    readonly dir: string,
    readonly name: string,
    readonly subject: string,
  ) {
    this.caFile = path.join(dir, 'ca.pem');
    this.crlFile = path.join(dir, 'crl.pem');
  }

  static async create(parent: string, name: string, subject: string, firstSerial: string): Promise<OpensslCa> {
    const dir = path.join(parent, name);
    await mkdir(path.join(dir, 'newcerts'), { recursive: true });
    await writeFile(path.join(dir, 'ca.cnf'), caConfig());
    await writeFile(path.join(dir, 'index.txt'), '');
    await writeFile(path.join(dir, 'serial'), `${firstSerial}\n`);
    await writeFile(path.join(dir, 'crlnumber'), '01\n');
    const ca = new OpensslCa(dir, name, subject);
    await openssl(['req', '-config', 'ca.cnf', '-x509', ...EC_KEY, '-days', DAYS, '-subj', subject, '-extensions', 'v3_ca', '-keyout', 'ca-key.pem', '-out', 'ca.pem'], dir);
    ca.ca = await readFile(ca.caFile);
    return ca;
  }

  /** Key, CSR and certificate signed by this CA; files named <name>.pem / <name>-key.pem. */
  async issue(name: string, organization: string, commonName: string, extensions: 'server_ext' | 'client_ext'): Promise<Credentials> {
    const subject = `/O=${organization}/CN=${commonName}`;
    await openssl(['req', '-config', 'ca.cnf', '-new', ...EC_KEY, '-subj', subject, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`], this.dir);
    await openssl(['ca', '-batch', '-config', 'ca.cnf', '-notext', '-preserveDN', '-extensions', extensions, '-in', `${name}.csr`, '-out', `${name}.pem`], this.dir);
    const serial = (await openssl(['x509', '-in', `${name}.pem`, '-noout', '-serial'], this.dir)).trim().replace(/^serial=/, '');
    const certFile = path.join(this.dir, `${name}.pem`);
    const keyFile = path.join(this.dir, `${name}-key.pem`);
    return {
      name,
      subject,
      commonName,
      organization,
      serialNumber: serial.toUpperCase(),
      certFile,
      keyFile,
      cert: await readFile(certFile),
      key: await readFile(keyFile),
    };
  }

  async revoke(credentials: Credentials, reason: RevocationReason): Promise<void> {
    await openssl(['ca', '-batch', '-config', 'ca.cnf', '-revoke', credentials.certFile, '-crl_reason', reason], this.dir);
  }

  /** Signs a CRL of every certificate revoked so far (index.txt) and rewrites crlFile. */
  async issueCrl(options: CrlOptions = {}): Promise<void> {
    const args = ['ca', '-batch', '-config', 'ca.cnf', '-gencrl', '-crlexts', 'crl_ext', '-out', 'crl.pem'];
    if (options.lastUpdate) args.push('-crl_lastupdate', generalizedTime(options.lastUpdate));
    if (options.nextUpdate) args.push('-crl_nextupdate', generalizedTime(options.nextUpdate));
    await openssl(args, this.dir);
    this.crl = await readFile(this.crlFile);
  }
}

export async function createPki(options: PkiOptions = {}): Promise<Pki> {
  const nodes = [...(options.nodes ?? ['node-1', 'node-2', 'node-3'])];
  const initiallyRevoked = [...(options.revoked ?? ['node-3'])];
  const organization = options.organization ?? 'Nemocnice Test';
  for (const r of initiallyRevoked) if (!nodes.includes(r)) throw new Error(`createPki: revoked node ${r} is not among the nodes`);
  if (nodes.includes('stranger') || nodes.includes('server')) throw new Error('createPki: "stranger" and "server" are reserved names');

  const dir = await mkdtemp(path.join(os.tmpdir(), 'security-pki-'));
  try {
    const central = await OpensslCa.create(dir, 'central', `/O=${organization}/CN=Test HIE Root CA`, '1000');
    const server = await central.issue('server', organization, 'localhost', 'server_ext');
    const clients = new Map<string, Credentials>();
    for (const n of nodes) clients.set(n, await central.issue(n, organization, `${n}.${NODE_DOMAIN}`, 'client_ext'));
    const revokedNames = new Set<string>();
    for (const r of initiallyRevoked) {
      await central.revoke(clients.get(r)!, 'keyCompromise');
      revokedNames.add(r);
    }
    await central.issueCrl();

    const strangerCa = await OpensslCa.create(dir, 'stranger-ca', '/O=Stranger Health/CN=Stranger Root CA', '2000');
    const stranger = await strangerCa.issue('stranger', 'Stranger Health', `stranger.${NODE_DOMAIN}`, 'client_ext');
    await strangerCa.issueCrl();

    const client = (name: string): Credentials => {
      if (name === 'stranger') return stranger;
      const c = clients.get(name);
      if (!c) throw new Error(`no client certificate named ${name}; nodes: ${[...clients.keys()].join(', ')}`);
      return c;
    };
    // A PKI without a good or a revoked node is allowed; reading the missing one is the error.
    const first = (revoked: boolean): Credentials => {
      const n = nodes.find((x) => initiallyRevoked.includes(x) === revoked);
      if (!n) throw new Error(`createPki: no node ${revoked ? 'revoked' : 'left unrevoked'} at creation`);
      return clients.get(n)!;
    };

    return {
      dir,
      central,
      caFile: central.caFile,
      ca: central.ca,
      crlFile: central.crlFile,
      get crl() {
        return central.crl;
      },
      server,
      serverCertFile: server.certFile,
      serverKeyFile: server.keyFile,
      get nodes() {
        return [...clients.keys()];
      },
      client,
      isRevoked: (name) => revokedNames.has(name),
      get good() {
        return first(false);
      },
      get revoked() {
        return first(true);
      },
      stranger,
      strangerCa,
      async revoke(name, reason = 'keyCompromise') {
        if (name === 'stranger') throw new Error('the stranger belongs to another CA; revoke() is for central nodes');
        if (revokedNames.has(name)) throw new Error(`${name} is already revoked`);
        await central.revoke(client(name), reason);
        revokedNames.add(name);
        await central.issueCrl();
      },
      issueCrl: (crlOptions) => central.issueCrl(crlOptions),
      async addNode(name) {
        if (clients.has(name) || name === 'stranger' || name === 'server') throw new Error(`a certificate named ${name} exists already`);
        const c = await central.issue(name, organization, `${name}.${NODE_DOMAIN}`, 'client_ext');
        clients.set(name, c);
        return c;
      },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
