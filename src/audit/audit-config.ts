/**
 * Audit settings from the environment (see README.md in this folder). Parsed with the
 * rest of the configuration so a bad destination stops the gateway at start, not at
 * the first event.
 */
import os from 'node:os';
import { positiveIntegerSetting as positiveInt } from '../env-number';

export type AuditDestinationConfig =
  | { kind: 'syslog-tls' | 'syslog-udp'; name: string; host: string; port: number }
  | { kind: 'fhir'; name: string; url: string };

export interface AuditConfig {
  destinations: AuditDestinationConfig[];
  /** PEM files: CA for verifying repositories, client certificate and key (both or neither). */
  tls: { caFile?: string; certFile?: string; keyFile?: string; servername?: string };
  fhirBearerToken?: string;
  /** AuditSourceID / source.observer. */
  sourceId: string;
  /** AuditEnterpriseSiteID / source.site. */
  enterpriseSiteId: string;
  /** This gateway's name in syslog headers and in its own audit agent. */
  hostname: string;
  appName: string;
  udpMaxBytes: number;
  batchSize: number;
  pollMs: number;
  leaseMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  sendTimeoutMs: number;
  /** How long delivered outbox rows are kept (the events themselves stay). */
  sentRetentionMs: number;
}

type Env = Record<string, string | undefined>;

const NAME = /^[A-Za-z0-9._-]+$/;

/** `[name=]host:port`, host may be `[ipv6]`. */
function parseHostPort(spec: string, variable: string): { name?: string; host: string; port: number } {
  const eq = spec.indexOf('=');
  const name = eq > 0 ? spec.slice(0, eq) : undefined;
  if (name !== undefined && !NAME.test(name)) throw new Error(`${variable}: destination name "${name}" may only contain letters, digits, . _ -`);
  const address = eq > 0 ? spec.slice(eq + 1) : spec;
  const m = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(address);
  const port = Number(m?.[3]);
  if (!m || port < 1 || port > 65535) throw new Error(`${variable}: "${spec}" is not [name=]host:port`);
  return { ...(name ? { name } : {}), host: m[1] ?? m[2]!, port };
}

function parseUrl(spec: string, variable: string): { name?: string; url: string } {
  const m = /^([A-Za-z0-9._-]+)=(.*)$/.exec(spec);
  const url = m ? m[2]! : spec;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${variable}: "${spec}" is not [name=]URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${variable}: ${url} is not an http(s) URL`);
  return { ...(m ? { name: m[1]! } : {}), url: parsed.href.replace(/\/+$/, '') };
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function parseDestinations(env: Env): AuditDestinationConfig[] {
  const out: AuditDestinationConfig[] = [];
  for (const kind of ['syslog-tls', 'syslog-udp'] as const) {
    const variable = kind === 'syslog-tls' ? 'AUDIT_SYSLOG_TLS' : 'AUDIT_SYSLOG_UDP';
    for (const spec of list(env[variable])) {
      const { name, host, port } = parseHostPort(spec, variable);
      out.push({ kind, name: name ?? `${kind}:${host}:${port}`, host, port });
    }
  }
  for (const spec of list(env.AUDIT_FHIR_URL)) {
    const { name, url } = parseUrl(spec, 'AUDIT_FHIR_URL');
    out.push({ kind: 'fhir', name: name ?? `fhir:${url}`, url });
  }
  const seen = new Set<string>();
  for (const d of out) {
    if (seen.has(d.name)) throw new Error(`audit destination name "${d.name}" is used twice`);
    seen.add(d.name);
  }
  return out;
}

export function parseAuditConfig(env: Env, defaults: { homeCommunityId: string }): AuditConfig {
  const hostname = env.AUDIT_HOSTNAME || os.hostname();
  const tls = {
    ...(env.AUDIT_TLS_CA ? { caFile: env.AUDIT_TLS_CA } : {}),
    ...(env.AUDIT_TLS_CERT ? { certFile: env.AUDIT_TLS_CERT } : {}),
    ...(env.AUDIT_TLS_KEY ? { keyFile: env.AUDIT_TLS_KEY } : {}),
    ...(env.AUDIT_TLS_SERVERNAME ? { servername: env.AUDIT_TLS_SERVERNAME } : {}),
  };
  if (!tls.certFile !== !tls.keyFile) throw new Error('AUDIT_TLS_CERT and AUDIT_TLS_KEY go together');
  const retentionHours = Number(env.AUDIT_SENT_RETENTION_HOURS ?? 24);
  if (!(retentionHours >= 0)) throw new Error(`AUDIT_SENT_RETENTION_HOURS must be >= 0, got "${env.AUDIT_SENT_RETENTION_HOURS}"`);
  return {
    destinations: parseDestinations(env),
    tls,
    ...(env.AUDIT_FHIR_TOKEN ? { fhirBearerToken: env.AUDIT_FHIR_TOKEN } : {}),
    sourceId: env.AUDIT_SOURCE_ID || `hie-gateway@${hostname}`,
    enterpriseSiteId: env.AUDIT_ENTERPRISE_SITE_ID || defaults.homeCommunityId.replace(/^urn:oid:/, ''),
    hostname,
    appName: env.AUDIT_APP_NAME || 'hie-gateway',
    udpMaxBytes: positiveInt(env, 'AUDIT_SYSLOG_UDP_MAX_BYTES', 65_000),
    batchSize: positiveInt(env, 'AUDIT_BATCH_SIZE', 500),
    pollMs: positiveInt(env, 'AUDIT_POLL_MS', 500),
    leaseMs: positiveInt(env, 'AUDIT_LEASE_MS', 60_000),
    retryBaseMs: positiveInt(env, 'AUDIT_RETRY_BASE_MS', 1_000),
    retryMaxMs: positiveInt(env, 'AUDIT_RETRY_MAX_MS', 300_000),
    sendTimeoutMs: positiveInt(env, 'AUDIT_SEND_TIMEOUT_MS', 10_000),
    sentRetentionMs: retentionHours * 3_600_000,
  };
}
