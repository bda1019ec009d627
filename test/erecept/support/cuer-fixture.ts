// TEST ONLY: the CÚER simulator with a PKI made by openssl for the run (workplace TLS client
// certificate, signing certificate, a stranger's), the Basic password in a file, and the
// ERECEPT_* settings that point a gateway at it. Call within a describe: registers its hooks.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createPki, type Pki } from '../../security/support/pki';
import { CuerSimulator } from './cuer-simulator';

export const CUER_USER = 'b2b0c6a4-0d7e-4d0c-9c55-2a7a4f0e0001';

export interface CuerFixture {
  readonly pki: Pki;
  readonly sim: CuerSimulator;
  readonly password: string;
  /** ERECEPT_* for a gateway using the simulator (read once the hooks ran). */
  env(): Record<string, string>;
}

export function cuerFixture(): CuerFixture {
  const password = `heslo-k-CUER-${randomUUID()}`;
  const state = {} as { pki: Pki; sim: CuerSimulator; passwordFile: string };
  before(async () => {
    state.pki = await createPki({ nodes: ['workplace', 'signer'], revoked: [] });
    state.passwordFile = path.join(state.pki.dir, 'cuer-password');
    await writeFile(state.passwordFile, `${password}\n`, { mode: 0o600 });
    state.sim = new CuerSimulator({ serverCert: state.pki.server.cert, serverKey: state.pki.server.key, clientCa: state.pki.ca, user: CUER_USER, password, signingCert: state.pki.client('signer').cert });
    await state.sim.start();
  });
  after(async () => {
    await state.sim?.stop();
    await state.pki?.cleanup();
  });
  return {
    get pki() {
      return state.pki;
    },
    get sim() {
      return state.sim;
    },
    password,
    env: () => ({
      ERECEPT_URL: `${state.sim.url}/cuer/Lekar`,
      ERECEPT_PHARMACIST_URL: `${state.sim.url}/cuer/Lekarnik`,
      ERECEPT_TLS_CERT_FILE: state.pki.client('workplace').certFile,
      ERECEPT_TLS_KEY_FILE: state.pki.client('workplace').keyFile,
      ERECEPT_TLS_CA_FILE: state.pki.caFile,
      ERECEPT_USER: CUER_USER,
      ERECEPT_PASSWORD_FILE: state.passwordFile,
      ERECEPT_SIGN_CERT_FILE: state.pki.client('signer').certFile,
      ERECEPT_SIGN_KEY_FILE: state.pki.client('signer').keyFile,
      ERECEPT_PHARMACY_CODE: '11223344',
      ERECEPT_READ_ATTEMPTS: '2',
      ERECEPT_TIMEOUT_MS: '3000',
      ERECEPT_RETRY_AFTER_SECONDS: '17',
    }),
  };
}
