// The parties of the eHDSI tests: a foreign NCP (its signing certificate made with openssl,
// written to a file for NCPEH_TRUSTED_CERTS, and an issuer of its HCP and TRC assertions) and the
// health professionals they speak for.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEhdsiIssuer, type EhdsiAssertionIssuer, type HcpIdentity } from '../../../src/security/ehdsi';
import { signingKey } from '../../../src/security/saml';
import { ncpCertificate, type NcpCertificate } from './ncp-certificates';

/** A Danish doctor, as the Danish NCP's portal authenticated him. */
export const DANISH_DOCTOR: HcpIdentity = {
  nameId: 'house@ehdsi.dk.test',
  nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  name: 'Gregory House',
  role: { code: '221', displayName: 'Medical Doctors' },
  organization: 'Rigshospitalet',
  organizationId: 'urn:oid:1.2.208.176.1.1',
  facilityType: 'Hospital',
  permissions: ['urn:oasis:names:tc:xspa:1.0:subject:hl7:permission:PRD-006', 'urn:oasis:names:tc:xspa:1.0:subject:hl7:permission:PRD-010'],
  purposeOfUse: 'TREATMENT',
};

/** A Czech doctor asking a foreign NCP. */
export const CZECH_DOCTOR: HcpIdentity = {
  ...DANISH_DOCTOR,
  nameId: 'jan.kolar@fnmotol.cz',
  name: 'MUDr. Jan Kolář',
  organization: 'Fakultní nemocnice v Motole',
  organizationId: 'urn:oid:1.2.203.24341.11.2.1',
};

export interface TestNcp {
  cert: NcpCertificate;
  /** The signing certificate as a PEM file (for NCPEH_TRUSTED_CERTS). */
  certFile: string;
  issuer: EhdsiAssertionIssuer;
  /** An issuer of the same NCP whose clock says `now()` (expired or future assertions). */
  issuerAt(now: () => Date): EhdsiAssertionIssuer;
  cleanup(): Promise<void>;
}

export async function testNcp(country: string, homeCommunityId: string, commonName?: string): Promise<TestNcp> {
  const cert = await ncpCertificate(country, commonName);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ehdsi-ncp-'));
  const certFile = path.join(dir, `ncp-${country.toLowerCase()}.pem`);
  await writeFile(certFile, cert.certificatePem);
  const issuerAt = (now?: () => Date) => createEhdsiIssuer({ key: signingKey(cert.certificatePem, cert.privateKeyPem), country, homeCommunityId, ...(now ? { now } : {}) });
  return { cert, certFile, issuer: issuerAt(), issuerAt, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
