// The portal tests' world: an OpenID provider with patients who sign in in the browser, a
// gateway process (real PostgreSQL schema) with the portal on, and the MHD calls
// (ITI-65/67/68) whose audit records the patients then read.
import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '../../../src/audit/fhir-audit-event';
import { SqlAuditEvents } from '../../../src/store/sql/audit/sql-audit-events';
import { PostgresDatabase } from '../../../src/store/sql/postgres';
import { freePort, startGateway, type GatewayProcess } from '../../support/gateway-process';
import { COMPREHENSIVE_BUNDLE, newRid, publishDocument, RID_SYSTEM, type Published } from '../../support/mhd-publish';
import { createPgSchema, type PgSchema } from '../../support/pg-schema';
import { DEFAULT_AUDIENCE, startOidcProvider, type TestOidcProvider } from '../../security/support/oidc-provider';

const CZ_PURPOSE = 'https://hl7.cz/fhir/hie/CodeSystem/cz-purposeOfUse-cs';
const PORTAL_CLIENT = 'hie-portal';

export const HOSPITAL = { id: '27520536', name: 'Nemocnice Na Kraji' };
export const RESCUE = { id: '00090638', name: 'Zdravotnická záchranná služba' };

export interface PortalWorld {
  base: string;
  idp: TestOidcProvider;
  gateway: GatewayProcess;
  schema: PgSchema;
  rids: { a: string; b: string; c: string };
  documents: { a: Published[]; b: Published[] };
  close(): Promise<void>;
}

function doctorClaims(name: string, org: { id: string; name: string }) {
  return { extensions: { ihe_iua: { subject_name: name, subject_organization: org.name, subject_organization_id: org.id, subject_role: { code: '223', display: 'lékař' } } } };
}

async function fhirGet(url: string, token: string): Promise<Response> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json' } });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return res;
}

/** ITI-67 by a hospital doctor, then ITI-68 of every found document by the rescue service in an emergency. */
async function readAsClinicians(world: { base: string; idp: TestOidcProvider }, rid: string): Promise<void> {
  const fhir = `${world.base}/fhir`;
  const doctor = await world.idp.token({ scope: 'system/*.*', claims: doctorClaims('MUDr. Jana Nováková', HOSPITAL), purposeOfUse: { system: CZ_PURPOSE, code: 'NORM' } });
  const bundle = (await (await fhirGet(`${fhir}/DocumentReference?status=current&patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${rid}`)}`, doctor)).json()) as {
    entry?: { resource: { content: { attachment: { url: string } }[] } }[];
  };
  const rescuer = await world.idp.token({ scope: 'system/*.*', claims: doctorClaims('MUDr. Karel Rychlý', RESCUE), purposeOfUse: { system: CZ_PURPOSE, code: 'EMER' } });
  for (const e of bundle.entry ?? []) await (await fhirGet(e.resource.content[0]!.attachment.url, rescuer)).arrayBuffer();
}

export async function startPortalWorld(postgresUrl: string): Promise<PortalWorld> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const rids = { a: newRid(), b: newRid(), c: newRid() };
  const patient = (rid: string) => `${RID_SYSTEM}|${rid}`;
  const idp = await startOidcProvider({
    audience: DEFAULT_AUDIENCE,
    ttlSeconds: 1800,
    webClient: { clientId: PORTAL_CLIENT, redirectUri: `${base}/portal/callback`, postLogoutRedirectUri: `${base}/portal` },
    accounts: {
      'pacient-a': { patient: patient(rids.a), name: 'Eva Testová' },
      'zastupce-a': { patient: patient(rids.a), name: 'Eva Testová', act: { sub: 'zastupce-1', name: 'Petr Testový' } },
      'pacient-b': { patient: patient(rids.b), name: 'Adam Zkušební' },
      'pacient-c': { patient: patient(rids.c), name: 'Cyril Vzorový' },
      'pacient-a-kratce': { patient: patient(rids.a), name: 'Eva Testová', accessTokenTtlSeconds: 4 },
    },
  });
  const schema = await createPgSchema(postgresUrl, 'portal');
  const gateway = await startGateway({
    PORT: String(port),
    DATABASE_URL: schema.url,
    // The MHD calls below publish anonymously (loopback); tokens, when sent, are verified and name the caller.
    AUTH: 'off',
    OAUTH_ISSUERS: idp.issuer,
    OAUTH_AUDIENCE: DEFAULT_AUDIENCE,
    EMERGENCY_ACCESS: 'allow',
    PORTAL_CLIENT_ID: PORTAL_CLIENT,
    PORTAL_CLIENT_SECRET: idp.webClientSecret!,
    PORTAL_REDIRECT_URL: `${base}/portal/callback`,
    LOG_LEVEL: 'warn',
  });
  const fhir = `${base}/fhir`;
  const documents = {
    a: [await publishDocument(fhir, rids.a, Buffer.from('Propouštěcí zpráva'), undefined, 'text/plain', COMPREHENSIVE_BUNDLE), await publishDocument(fhir, rids.a, Buffer.from('Laboratorní výsledky'))],
    b: [await publishDocument(fhir, rids.b, Buffer.from('Ambulantní zpráva'))],
  };
  await readAsClinicians({ base, idp }, rids.a);
  await publishDocument(fhir, rids.c, Buffer.from('Zpráva'));
  return {
    base,
    idp,
    gateway,
    schema,
    rids,
    documents,
    async close() {
      await gateway.stop();
      await idp.close();
      await schema.drop();
    },
  };
}

/** `count` document reads of the patient (CX), spread over the last 60 days, written straight into the gateway's audit store. */
export async function seedReads(schema: PgSchema, patientCx: string, count: number): Promise<void> {
  const db = new PostgresDatabase({ connectionString: schema.url, maxConnections: 2 });
  const store = new SqlAuditEvents(db);
  const now = Date.now();
  try {
    for (let start = 0; start < count; start += 1000) {
      const records = Array.from({ length: Math.min(1000, count - start) }, (_, j) => {
        const i = start + j;
        const org = i % 3 === 0 ? RESCUE : HOSPITAL;
        const event: AuditEvent = {
          resourceType: 'AuditEvent',
          id: randomUUID(),
          type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' },
          subtype: [{ system: 'urn:ihe:event-type-code', code: 'ITI-68' }, { system: 'https://hl7.cz/fhir/hie/CodeSystem/cz-atc-cs', code: 'ATC_DOC_READ' }],
          action: 'R',
          recorded: new Date(now - 60_000 - Math.floor((i / count) * 60 * 86_400_000)).toISOString(),
          outcome: i % 97 === 0 ? '4' : '0',
          purposeOfEvent: [{ coding: [{ system: CZ_PURPOSE, code: i % 50 === 0 ? 'EMER' : 'NORM' }] }],
          agent: [
            { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'RESP' }] }, who: { identifier: { value: `lekar-${i % 7}` } }, name: `MUDr. Lékař ${i % 7}`, requestor: true },
            { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleClass', code: 'PROV' }] }, who: { identifier: { value: org.id }, display: org.name }, requestor: false },
          ],
          source: { observer: { display: 'seed' } },
        };
        return { event, patientId: patientCx, destinations: [] as string[] };
      });
      await store.write(records);
    }
  } finally {
    await db.close();
  }
}
