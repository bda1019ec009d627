// A throwaway PKI made with openssl at test time: a CA, a server certificate for
// 127.0.0.1/localhost and a client certificate, all signed by the CA. Keys live in a
// temporary directory removed by cleanup(); nothing is ever written to the repository.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestPki {
  dir: string;
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** A second CA and its client certificate: valid TLS, but not trusted by the server. */
  strangerCaFile: string;
  strangerCertFile: string;
  strangerKeyFile: string;
  ca: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
  cleanup(): Promise<void>;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  await run('openssl', args, { cwd });
}

async function makeCa(dir: string, name: string): Promise<void> {
  await openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}-key.pem`, '-out', `${name}.pem`], dir);
}

async function makeLeaf(dir: string, ca: string, name: string, extensions: string): Promise<void> {
  await openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`], dir);
  await writeFile(path.join(dir, `${name}.ext`), extensions);
  await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}-key.pem`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`], dir);
}

export async function createTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'audit-pki-'));
  await makeCa(dir, 'ca');
  await makeLeaf(dir, 'ca', 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  await makeLeaf(dir, 'ca', 'client', 'extendedKeyUsage=clientAuth\n');
  await makeCa(dir, 'stranger-ca');
  await makeLeaf(dir, 'stranger-ca', 'stranger', 'extendedKeyUsage=clientAuth\n');
  const f = (n: string) => path.join(dir, n);
  return {
    dir,
    caFile: f('ca.pem'),
    serverCertFile: f('server.pem'),
    serverKeyFile: f('server-key.pem'),
    clientCertFile: f('client.pem'),
    clientKeyFile: f('client-key.pem'),
    strangerCaFile: f('stranger-ca.pem'),
    strangerCertFile: f('stranger.pem'),
    strangerKeyFile: f('stranger-key.pem'),
    ca: await readFile(f('ca.pem')),
    clientCert: await readFile(f('client.pem')),
    clientKey: await readFile(f('client-key.pem')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
