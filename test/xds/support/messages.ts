// The XDS.b messages the tests send, built from fixtures/xds: fresh identifiers each time, the
// document parts as MTOM attachments or inline base64, and lookups of what got registered.
import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import type { RegistryObject } from '../../../src/domain/metadata';
import { SYSTEM_PRINCIPAL } from '../../../src/domain/principal';
import { StoredQueryId } from '../../../src/domain/stored-query-catalog';
import type { Gateway } from '../../../src/gateway';
import type { OutboundAttachment } from '../../../src/soap';
import { XCA_PATHS } from '../../../src/xca/routes';
import { XDS_TRANSACTIONS } from '../../../src/xds/actions';
import { XDS_PATHS } from '../../../src/xds/routes';
import { TEST_AUTHORITY } from '../../support/metadata-builders';
import { escapeXml, fillFixture, xml, type FixtureValue } from './fixtures';
import { sendSoap, type SendOptions, type SoapReply } from './soap-client';
import { validateStoredQuery } from '../../../src/xds/stored-query-request';

export { XDS_TRANSACTIONS };

let oidCounter = 0;
/** A unique OID (document, submission set and folder uniqueIds). */
export function oid(): string {
  oidCounter += 1;
  return `2.25.${Date.now()}${randomInt(1_000_000)}.${oidCounter}`;
}

/** A fresh patient CX in the profile's assigning authority; fed to the registry unless `known` is false. */
export async function newPatient(gw: Gateway, known = true): Promise<string> {
  const cx = `${1_000_000_000 + randomInt(8_999_999_999)}^^^&${TEST_AUTHORITY}&ISO`;
  if (known) await gw.registry.registerPatient(cx);
  return cx;
}

export function sha1(content: Buffer | string): string {
  return createHash('sha1').update(content).digest('hex');
}

export type Packaging = 'mtom' | 'inline';

export interface DocumentPart {
  /** xdsb:Document/@id: the id of its ExtrinsicObject in the metadata. */
  id: string;
  content: Buffer;
  mimeType?: string;
}

/** xdsb:Document elements for the {{DOCUMENTS}} placeholder, and their MIME parts when MTOM. */
export function documentParts(docs: DocumentPart[], packaging: Packaging): { markup: FixtureValue; attachments: OutboundAttachment[] } {
  const attachments: OutboundAttachment[] = [];
  const markup = docs.map((d) => {
    if (packaging === 'inline') return `<xdsb:Document id="${escapeXml(d.id)}">${d.content.toString('base64')}</xdsb:Document>`;
    const contentId = `${randomUUID()}@test.hie-gateway.cz`;
    attachments.push({ contentId, contentType: d.mimeType ?? 'text/plain', content: d.content });
    return `<xdsb:Document id="${escapeXml(d.id)}"><xop:Include href="cid:${encodeURIComponent(contentId)}"/></xdsb:Document>`;
  });
  return { markup: xml(markup.join('\n      ')), attachments };
}

/** The SOAP endpoints fixtures are sent to: XDS.b's two and the XCA gateways. */
const ENDPOINT_PATHS = { ...XDS_PATHS, respondingGateway: XCA_PATHS.respondingGateway, initiatingGateway: XCA_PATHS.initiatingGateway } as const;

export type Endpoint = keyof typeof ENDPOINT_PATHS;

/** Sends a fixture to an endpoint with MESSAGE_ID and TO filled in. */
export function sendFixture(baseUrl: string, endpoint: Endpoint, fixture: string, values: Record<string, FixtureValue>, opts: SendOptions = {}): Promise<SoapReply> {
  const url = `${baseUrl}${ENDPOINT_PATHS[endpoint]}`;
  return sendSoap(url, fillFixture(fixture, { MESSAGE_ID: randomUUID(), TO: url, ...values }), opts);
}

export interface SingleSubmission {
  patient: string;
  docUid: string;
  ssUid: string;
  content: Buffer;
}

export interface ProvideSingleOptions {
  patient: string;
  /** The document's uniqueId; default a new one (another submission set is always new). */
  docUid?: string;
  packaging?: Packaging;
  content?: Buffer;
  /** Hash in the metadata; default the content's SHA-1. */
  hash?: string;
  size?: number;
  /** Markup for {{EXTRA_OBJECTS}} (a relationship association). */
  extra?: string;
  /** false: metadata without the xdsb:Document. */
  withDocument?: boolean;
  /** More xdsb:Document parts (e.g. one with no metadata). */
  extraDocuments?: DocumentPart[];
}

/** The filled iti41-single.xml (one discharge summary) and its MIME parts, for tests that alter or cut the message. */
export function singleSubmission(o: ProvideSingleOptions, to = 'http://localhost/xds/repository'): { envelope: string; attachments: OutboundAttachment[]; submitted: SingleSubmission } {
  const content = o.content ?? Buffer.from(`Propouštěcí zpráva ${randomUUID()}\nDiagnóza: I21.0 Akutní infarkt myokardu.\nDoporučení: kontrola v kardiologické ambulanci za 14 dní.\n`);
  const docs: DocumentPart[] = [...(o.withDocument === false ? [] : [{ id: 'Dokument01', content }]), ...(o.extraDocuments ?? [])];
  const parts = documentParts(docs, o.packaging ?? 'mtom');
  const submitted = { patient: o.patient, docUid: o.docUid ?? oid(), ssUid: oid(), content };
  const envelope = fillFixture('iti41-single.xml', {
    MESSAGE_ID: randomUUID(),
    TO: to,
    PATIENT: o.patient,
    SS_UID: submitted.ssUid,
    DOC_UID: submitted.docUid,
    HASH: o.hash ?? sha1(content),
    SIZE: o.size ?? content.length,
    EXTRA_OBJECTS: xml(o.extra ?? ''),
    DOCUMENTS: parts.markup,
  });
  return { envelope, attachments: parts.attachments, submitted };
}

/** ITI-41 of iti41-single.xml. */
export async function provideSingle(baseUrl: string, o: ProvideSingleOptions, opts: Omit<SendOptions, 'attachments'> = {}): Promise<{ reply: SoapReply; submitted: SingleSubmission }> {
  const url = `${baseUrl}/xds/repository`;
  const { envelope, attachments, submitted } = singleSubmission(o, url);
  return { reply: await sendSoap(url, envelope, { ...opts, attachments }), submitted };
}

/** The registered object with this uniqueId (DocumentEntry, or with `by` another kind), asked of the registry directly. */
export async function registered(gw: Gateway, uniqueId: string, by: 'GetDocuments' | 'GetFolders' = 'GetDocuments'): Promise<RegistryObject & { entryUuid: string }> {
  const param = by === 'GetDocuments' ? '$XDSDocumentEntryUniqueId' : '$XDSFolderUniqueId';
  const r = await gw.registry.query(validateStoredQuery({ queryId: StoredQueryId[by], returnType: 'LeafClass', params: { [param]: [[uniqueId]] } }), SYSTEM_PRINCIPAL);
  if (r.objects.length === 0) throw new Error(`${uniqueId} is not registered`);
  return r.objects[0]! as RegistryObject & { entryUuid: string };
}

/** A rim:Slot with ITI-18 values written as given (already quoted). */
export function slot(name: string, ...values: string[]): string {
  return `<rim:Slot name="${escapeXml(name)}"><rim:ValueList>${values.map((v) => `<rim:Value>${escapeXml(v)}</rim:Value>`).join('')}</rim:ValueList></rim:Slot>`;
}

/** ITI-18 value syntax for strings: quoted, quotes doubled; several make a list. */
export function quoted(...values: string[]): string {
  const q = values.map((v) => `'${v.replace(/'/g, "''")}'`);
  return q.length === 1 ? q[0]! : `(${q.join(',')})`;
}

/** ITI-18 through iti18-stored-query.xml, or ITI-51 through iti51-multi-patient-query.xml. */
export function storedQuery(baseUrl: string, queryId: string, returnType: string, slots: string[], transaction: 'ITI-18' | 'ITI-51' = 'ITI-18', opts: SendOptions = {}): Promise<SoapReply> {
  const fixture = transaction === 'ITI-18' ? 'iti18-stored-query.xml' : 'iti51-multi-patient-query.xml';
  return sendFixture(baseUrl, 'registry', fixture, { QUERY_ID: queryId, RETURN_TYPE: returnType, SLOTS: xml(slots.join('\n        ')) }, opts);
}

/** xdsb:DocumentRequest elements for iti43-retrieve-many.xml and iti39-cross-gateway-retrieve.xml. */
export function documentRequests(refs: { homeCommunityId?: string; repositoryUniqueId: string; documentUniqueId: string }[]): FixtureValue {
  const home = (r: { homeCommunityId?: string }) => (r.homeCommunityId !== undefined ? `<xdsb:HomeCommunityId>${escapeXml(r.homeCommunityId)}</xdsb:HomeCommunityId>` : '');
  return xml(refs.map((r) => `<xdsb:DocumentRequest>${home(r)}<xdsb:RepositoryUniqueId>${escapeXml(r.repositoryUniqueId)}</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>${escapeXml(r.documentUniqueId)}</xdsb:DocumentUniqueId></xdsb:DocumentRequest>`).join(''));
}

/** ids (LeafClass or ObjectRef) of the objects of an AdhocQueryResponse list. */
export function idsOf(objects: Element[]): string[] {
  return objects.map((o) => o.getAttribute('id') ?? '');
}
