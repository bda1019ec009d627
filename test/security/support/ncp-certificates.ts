// Signing certificates of test NCPs, made with the openssl CLI at test time: an RSA key in
// memory and a self-signed certificate whose subject names the country (eHDSI NCP certificates
// carry C=<country>, which is how the gateway knows the requesting country). The key file lives
// only while openssl needs it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { generateKeyPairSync } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface NcpCertificate {
  country: string;
  certificatePem: string;
  privateKeyPem: string;
}

export async function ncpCertificate(country: string, commonName = `ncp.${country.toLowerCase()}.test`): Promise<NcpCertificate> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ncp-cert-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    await writeFile(keyFile, privateKeyPem, { mode: 0o600 });
    await run('openssl', ['req', '-x509', '-new', '-key', keyFile, '-subj', `/C=${country}/O=NCP ${country}/CN=${commonName}`, '-days', '2', '-sha256', '-out', certFile]);
    return { country, certificatePem: await readFile(certFile, 'utf8'), privateKeyPem };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
