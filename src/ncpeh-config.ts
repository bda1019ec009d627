/**
 * This NCP's outbound eHDSI settings: the certificate and key it signs HCP and TRC assertions
 * with, its country, and the defaults of the HCP identity where the local caller states none
 * (hcp-of-caller.ts). Unset NCPEH_SIGNING_CERT_FILE: no outbound eHDSI, and foreign-NCP
 * directory entries answer as unavailable.
 */
import fs from 'node:fs';
import { EHDSI_FACILITY_TYPES } from './security/ehdsi';

export interface NcpehOutboundConfig {
  signingCertPem: string;
  signingKeyPem: string;
  /** ISO 3166 alpha-2 code of this NCP's country (NCPEH_COUNTRY, default CZ). */
  country: string;
  /** eHDSI facility type stated for callers (NCPEH_FACILITY_TYPE, default Hospital). */
  facilityType: string;
}

function read(env: Record<string, string | undefined>, name: string): string {
  const file = env[name];
  if (!file) throw new Error(`${name} is required when NCPEH_SIGNING_CERT_FILE is set`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${name}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

export function parseNcpehOutboundConfig(env: Record<string, string | undefined>): NcpehOutboundConfig | undefined {
  if (!env.NCPEH_SIGNING_CERT_FILE) return undefined;
  const country = env.NCPEH_COUNTRY ?? 'CZ';
  if (!/^[A-Z]{2}$/.test(country)) throw new Error(`NCPEH_COUNTRY must be an ISO 3166 alpha-2 code (got ${JSON.stringify(country)})`);
  const facilityType = env.NCPEH_FACILITY_TYPE ?? 'Hospital';
  if (!(EHDSI_FACILITY_TYPES as readonly string[]).includes(facilityType)) throw new Error(`NCPEH_FACILITY_TYPE must be one of ${EHDSI_FACILITY_TYPES.join(', ')} (got ${JSON.stringify(facilityType)})`);
  return { signingCertPem: read(env, 'NCPEH_SIGNING_CERT_FILE'), signingKeyPem: read(env, 'NCPEH_SIGNING_KEY_FILE'), country, facilityType };
}
