// Publishing test documents over MHD to a running gateway (ITI-104 then ITI-65), over plain
// HTTP or HTTPS with a client certificate: each call makes new uniqueIds, so one gateway takes
// any number of them.
import { randomInt, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { uniqueOid } from './metadata-builders';

export const RID_SYSTEM = 'https://ncez.mzcr.cz/fhir/sid/rid';

/** A fresh RID: ten digits, a multiple of 13. */
export function newRid(): string {
  return String(13 * randomInt(Math.ceil(1e9 / 13), Math.floor(9_999_999_999 / 13)));
}

export interface ClientTls {
  ca: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request with Node's http(s) client (fetch cannot present a client certificate). */
export function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; tls?: ClientTls } = {}): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const transport = url.startsWith('https:') ? https : http;
    const req = transport.request(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, ...(init.tls ?? {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const FIXTURE = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'mhd', 'minimal-bundle.json');

export interface Published {
  rid: string;
  documentUniqueId: string;
  content: Buffer;
}

/** The ITI-65 Bundles under fixtures/mhd: Minimal metadata (the default) or Comprehensive (title, type, author...). */
export const COMPREHENSIVE_BUNDLE = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'mhd', 'comprehensive-bundle.json');

/** Feeds the patient (ITI-104) and publishes `content` for it (ITI-65, a Minimal-metadata Bundle unless `bundleFile` names another). */
export async function publishDocument(fhirBase: string, rid: string, content: Buffer, tls?: ClientTls, contentType = 'text/plain', bundleFile = FIXTURE): Promise<Published> {
  const json = { 'content-type': 'application/fhir+json' };
  const fed = await request(`${fhirBase}/Patient?identifier=${encodeURIComponent(`${RID_SYSTEM}|${rid}`)}`, {
    method: 'PUT', headers: json, body: JSON.stringify({ resourceType: 'Patient', identifier: [{ system: RID_SYSTEM, value: rid }], name: [{ family: 'Testová', given: ['Eva'] }] }), ...(tls ? { tls } : {}),
  });
  if (fed.status !== 200 && fed.status !== 201) throw new Error(`ITI-104 answered ${fed.status}: ${fed.body.toString()}`);
  // Fresh entryUUIDs (the fullUrls) too: the registry keeps them.
  const fresh = new Map<string, string>();
  const text = fs.readFileSync(bundleFile, 'utf8').replace(/urn:uuid:[0-9a-f-]{36}/g, (u) => fresh.get(u) ?? (fresh.set(u, `urn:uuid:${randomUUID()}`), fresh.get(u)!));
  const bundle = JSON.parse(text) as { entry: Array<{ resource: Record<string, unknown> & { resourceType: string } }> };
  const documentUniqueId = uniqueOid();
  for (const { resource } of bundle.entry) {
    if (resource.resourceType === 'List') (resource.identifier as Array<{ value: string }>)[0]!.value = `urn:oid:${uniqueOid()}`;
    if (resource.resourceType === 'DocumentReference') {
      (resource.masterIdentifier as { value: string }).value = `urn:oid:${documentUniqueId}`;
      const attachment = (resource.content as Array<{ attachment: { contentType: string; size?: number; hash?: string } }>)[0]!.attachment;
      attachment.contentType = contentType;
      // The fixture's size and hash describe its own bytes, not `content`.
      delete attachment.size;
      delete attachment.hash;
    }
    if (resource.resourceType === 'Binary') Object.assign(resource, { contentType, data: content.toString('base64') });
    if (resource.resourceType === 'Patient') resource.identifier = [{ system: RID_SYSTEM, value: rid }];
    // A Comprehensive Bundle names its patient by identifier rather than a Patient entry.
    const subject = resource.subject as { identifier?: { value: string } } | undefined;
    if (subject?.identifier) subject.identifier.value = rid;
  }
  const posted = await request(fhirBase, { method: 'POST', headers: json, body: JSON.stringify(bundle), ...(tls ? { tls } : {}) });
  if (posted.status !== 200) throw new Error(`ITI-65 answered ${posted.status}: ${posted.body.toString()}`);
  return { rid, documentUniqueId, content };
}
