// Shared pieces of the MHD-over-HTTP tests: the fixtures with fresh identifiers (so one
// database takes a fixture many times), FHIR XML through the fhir package, and requests.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Fhir } from 'fhir';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export const RID_SYSTEM = 'https://ncez.mzcr.cz/fhir/sid/rid';
/** The patient of every fixture. */
export const RID = '7608139877';
export const FHIR_JSON = 'application/fhir+json';
export const FHIR_XML = 'application/fhir+xml';
export const XDS_CODE_SYSTEM = 'https://profiles.ihe.net/ITI/TF/Volume3/ch-4.2.html#4.2.4.1';
export const APPROVED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved';
export const DEPRECATED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated';

export type Json = Record<string, any>;

export const fhirJs = new Fhir();

export function fixture(name: string): Json {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures', 'mhd', name), 'utf8'));
}

let oidCounter = 0;
function freshOid(): string {
  oidCounter += 1;
  return `urn:oid:2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`)}${oidCounter}`.slice(0, 60);
}

/**
 * The fixture with new entryUUIDs (every urn:uuid, consistently, so references still
 * resolve) and new uniqueIds (DocumentReference.masterIdentifier, List identifier use usual).
 */
export function withFreshIds(bundle: Json): Json {
  const uuids = new Map<string, string>();
  const remap = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(/urn:uuid:[0-9a-f-]{36}/gi, (u) => {
        if (!uuids.has(u)) uuids.set(u, `urn:uuid:${randomUUID()}`);
        return uuids.get(u)!;
      });
    }
    if (Array.isArray(value)) return value.map(remap);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remap(v)]));
    return value;
  };
  const out = remap(bundle) as Json;
  for (const e of out.entry ?? []) {
    const r = e.resource;
    if (r?.resourceType === 'DocumentReference' && r.masterIdentifier) r.masterIdentifier.value = freshOid();
    if (r?.resourceType === 'List') for (const id of r.identifier ?? []) if (id.use === 'usual') id.value = freshOid();
  }
  return out;
}

/** A fresh copy of a fixture Bundle. */
export function freshBundle(name: 'comprehensive-bundle.json' | 'minimal-bundle.json'): Json {
  return withFreshIds(fixture(name));
}

export const toXml = (resource: object): string => fhirJs.objToXml(resource);
export const fromXml = (xml: string): Json => fhirJs.xmlToObj(xml) as Json;

/** The bytes of the Binary entry a DocumentReference's attachment.url points at. */
export function documentBytes(bundle: Json, documentIndex = 1): Buffer {
  const url = bundle.entry[documentIndex].resource.content[0].attachment.url;
  const binary = bundle.entry.find((e: Json) => e.fullUrl === url).resource;
  return Buffer.from(binary.data, 'base64');
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as FHIR JSON or XML by its Content-Type; undefined for anything else. */
  resource?: Json;
}

export async function request(url: string, init: RequestInit & { json?: object; xml?: object } = {}): Promise<Reply> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json) {
    headers.set('Content-Type', FHIR_JSON);
    body = JSON.stringify(init.json);
  } else if (init.xml) {
    headers.set('Content-Type', FHIR_XML);
    body = toXml(init.xml);
  }
  const res = await fetch(url, { ...init, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const resource = type.startsWith(FHIR_JSON) ? JSON.parse(text) : type.startsWith(FHIR_XML) ? fromXml(text) : undefined;
  return { status: res.status, headers: res.headers, text, ...(resource ? { resource } : {}) };
}

/** ITI-104: feeds the fixtures' patient. */
export function feedPatient(fhir: string, value = RID): Promise<Reply> {
  return request(`${fhir}/Patient?identifier=${encodeURIComponent(`${RID_SYSTEM}|${value}`)}`, {
    method: 'PUT',
    json: { resourceType: 'Patient', identifier: [{ system: RID_SYSTEM, value }], name: [{ family: 'Nováková', given: ['Jana'] }], gender: 'female', birthDate: '1976-08-13' },
  });
}

/** The XDS codes and FHIRPaths of an OperationOutcome, for one comparison. */
export function issuesOf(outcome: Json | undefined): Array<[string | undefined, string | undefined]> {
  return (outcome?.issue ?? []).map((i: Json) => [i.details?.coding?.find((c: Json) => c.system === XDS_CODE_SYSTEM)?.code, i.expression?.[0]]);
}
