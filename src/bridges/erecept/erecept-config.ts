/**
 * The eRecept bridge's settings (ERECEPT_*). SÚKL's CÚER takes a workplace: a client
 * certificate for mutual TLS, a CÚER user and password for HTTP Basic, and the certificate and
 * key that sign the messages that change a prescription. File contents are read once here so a
 * missing file stops start-up instead of the first prescription; the password and keys are
 * held as values that print as "[redacted]" so no log line or error carries them.
 */
import fs from 'node:fs';
import { positiveIntegerSetting } from '../../env-number';

/** A secret that never shows up in logs, JSON or util.inspect. */
export class Secret {
  readonly #value: Buffer;
  constructor(value: Buffer) {
    this.#value = value;
  }
  reveal(): Buffer {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[redacted]';
  }
}

export interface EreceptConfig {
  /** CÚER prescriber service (CUERLekar) URL. */
  prescriberUrl: string;
  /** CÚER pharmacist service (CUERLekarnik) URL; default: the prescriber URL. */
  pharmacistUrl: string;
  /** The workplace's TLS client certificate and key (PEM), and the CA that signs CÚER's server certificate. */
  tls: { cert: Buffer; key: Secret; ca?: Buffer };
  /** HTTP Basic: the CÚER user (also the prescriber's and pharmacist's CÚER id in messages) and password. */
  user: string;
  password: Secret;
  /** Signing certificate (PEM, sent in KeyInfo) and key: XML signature of changing messages. */
  signing: { cert: Buffer; key: Secret };
  /** The pharmacy's code in dispense messages (ERECEPT_PHARMACY_CODE). */
  pharmacyCode?: string;
  /** SW_Klienta of every message. */
  clientSoftware: string;
  timeoutMs: number;
  /** Attempts of a read (safe to repeat); writes are sent once. */
  readAttempts: number;
  /** Retry-After (seconds) answered when CÚER cannot be reached. */
  retryAfterSeconds: number;
}

function required(env: Record<string, string | undefined>, name: string): string {
  const v = env[name];
  if (!v) throw new Error(`${name} is required when ERECEPT_URL is set`);
  return v;
}

function readFile(env: Record<string, string | undefined>, name: string): Buffer {
  const file = required(env, name);
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${name}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/** Undefined when ERECEPT_URL is unset: the bridge is off and its routes answer 501. */
export function parseEreceptConfig(env: Record<string, string | undefined>): EreceptConfig | undefined {
  const prescriberUrl = env.ERECEPT_URL;
  if (!prescriberUrl) return undefined;
  if (!/^https:\/\//.test(prescriberUrl)) throw new Error('ERECEPT_URL must be an https:// URL (CÚER requires mutual TLS)');
  // The password file holds the password alone; a trailing newline is an editor's, not the password's.
  const password = readFile(env, 'ERECEPT_PASSWORD_FILE').toString('utf8').replace(/\r?\n$/, '');
  return {
    prescriberUrl,
    pharmacistUrl: env.ERECEPT_PHARMACIST_URL || prescriberUrl,
    tls: {
      cert: readFile(env, 'ERECEPT_TLS_CERT_FILE'),
      key: new Secret(readFile(env, 'ERECEPT_TLS_KEY_FILE')),
      ...(env.ERECEPT_TLS_CA_FILE ? { ca: readFile(env, 'ERECEPT_TLS_CA_FILE') } : {}),
    },
    user: required(env, 'ERECEPT_USER'),
    password: new Secret(Buffer.from(password, 'utf8')),
    signing: {
      cert: readFile(env, 'ERECEPT_SIGN_CERT_FILE'),
      key: new Secret(readFile(env, 'ERECEPT_SIGN_KEY_FILE')),
    },
    ...(env.ERECEPT_PHARMACY_CODE ? { pharmacyCode: env.ERECEPT_PHARMACY_CODE } : {}),
    clientSoftware: env.ERECEPT_CLIENT_SW || 'hie-gateway',
    timeoutMs: positiveIntegerSetting(env, 'ERECEPT_TIMEOUT_MS', 10_000),
    readAttempts: positiveIntegerSetting(env, 'ERECEPT_READ_ATTEMPTS', 3),
    retryAfterSeconds: positiveIntegerSetting(env, 'ERECEPT_RETRY_AFTER_SECONDS', 30),
  };
}
