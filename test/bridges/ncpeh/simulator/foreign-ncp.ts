// TEST ONLY, not product code: a foreign National Contact Point for the NCPeH bridge's tests.
// An HTTPS server (mutual TLS: the test's CA, client certificate required) running the npm
// `soap` package's server from foreign-ncp.wsdl, with the three operations an NCP answers the
// Czech NCP: XCPD (identify), ITI-38 (find documents), ITI-39 (retrieve). It knows one patient
// and their documents, and checks the eHDSI security header of every request on its own (with
// xml-crypto, not the gateway's verifier): each assertion signed by the Czech NCP's certificate,
// the TRC present for ITI-38/39, naming the HCP assertion in Advice and the patient. Its
// answers are written here as plain templates, so the gateway's readers are tested against
// messages they did not write.
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import * as soap from 'soap';
import { SignedXml } from 'xml-crypto';

const WSDL = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', '..', 'test', 'bridges', 'ncpeh', 'simulator', 'foreign-ncp.wsdl'), 'utf8');
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const HL7 = 'urn:hl7-org:v3';
const RIM = 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0';
const SUCCESS = 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success';

export interface SimulatedDocument {
  uniqueId: string;
  classCode: string;
  mimeType: string;
  content: Buffer;
}

export interface ForeignNcpOptions {
  /** OID of the NCP's community (and gateway device). */
  communityId: string;
  repositoryUniqueId: string;
  /** Server certificate and key, the CA client certificates must chain to. */
  tls: { cert: Buffer; key: Buffer; ca: Buffer };
  /** The certificate the Czech NCP signs its assertions with. */
  trustedSignerPem: string;
  patient: { root: string; extension: string; given: string; family: string; gender: 'M' | 'F'; birthDate: string };
  documents: SimulatedDocument[];
}

export interface SeenRequest {
  operation: 'CrossGatewayPatientDiscovery' | 'CrossGatewayQuery' | 'CrossGatewayRetrieve';
  /** NameQualifiers of the assertions that verified, in header order. */
  assertions: string[];
  /** The TRC's patient, for ITI-38/39. */
  trcPatient?: string;
  /** What the HCP assertion says of the professional. */
  hcp?: { nameId?: string; role?: string; organization?: string; purposeOfUse?: string };
  clientCertificateCn?: string;
}

export interface ForeignNcp {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

function fault(reason: string): never {
  // The soap package turns a thrown { Fault } into a SOAP 1.2 fault when the binding is SOAP 1.2.
  throw { Fault: { Code: { Value: 'soap:Sender' }, Reason: { Text: reason }, statusCode: 500 } };
}

const byTag = (parent: Element | Document | undefined, ns: string, local: string): Element[] => (parent ? Array.from((parent as Element).getElementsByTagNameNS(ns, local)) : []);
const firstText = (parent: Element | undefined, ns: string, local: string): string | undefined => byTag(parent, ns, local)[0]?.textContent?.trim();

interface CheckedHeader {
  kinds: string[];
  trcPatient?: string;
  hcp?: SeenRequest['hcp'];
}

function hcpOf(a: Element): NonNullable<SeenRequest['hcp']> {
  const attribute = (name: string) => firstText(byTag(a, SAML, 'Attribute').find((at) => at.getAttribute('Name') === name), SAML, 'AttributeValue');
  const coded = (local: string) => byTag(a, HL7, local)[0]?.getAttribute('code') ?? undefined;
  const out: NonNullable<SeenRequest['hcp']> = {};
  const nameId = firstText(a, SAML, 'NameID');
  const organization = attribute('urn:oasis:names:tc:xspa:1.0:subject:organization');
  const role = coded('Role');
  const purposeOfUse = coded('PurposeOfUse');
  if (nameId) out.nameId = nameId;
  if (role) out.role = role;
  if (organization) out.organization = organization;
  if (purposeOfUse) out.purposeOfUse = purposeOfUse;
  return out;
}

/** The simulator's own check of the eHDSI header: signatures by the trusted key, TRC bound to the HCP assertion. */
function checkHeader(xml: string, trustedSignerPem: string, needTrc: boolean): CheckedHeader {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const assertions = byTag(doc as unknown as Element, SAML, 'Assertion');
  const kinds: string[] = [];
  let hcpId: string | undefined;
  let hcp: SeenRequest['hcp'];
  let trc: Element | undefined;
  for (const a of assertions) {
    const signature = Array.from(a.childNodes).find((n) => (n as Element).localName === 'Signature') as Element | undefined;
    if (!signature) fault('an assertion is not signed');
    const sig = new SignedXml({ publicCert: trustedSignerPem, getCertFromKeyInfo: () => null });
    sig.loadSignature(signature);
    if (!sig.checkSignature(a.toString())) fault('an assertion signature does not verify');
    const kind = byTag(a, SAML, 'Issuer')[0]?.getAttribute('NameQualifier') ?? '';
    kinds.push(kind);
    if (kind === 'urn:ehdsi:assertions:hcp') {
      hcpId = a.getAttribute('ID') ?? undefined;
      hcp = hcpOf(a);
    }
    if (kind === 'urn:ehdsi:assertions:trc') trc = a;
  }
  if (!hcpId) fault('no HCP assertion');
  if (!needTrc) return { kinds, ...(hcp ? { hcp } : {}) };
  if (!trc) fault('no TRC assertion');
  if (firstText(trc, SAML, 'AssertionIDRef') !== hcpId) fault('the TRC does not refer to the HCP assertion');
  const patient = byTag(trc, SAML, 'Attribute').find((at) => at.getAttribute('Name') === 'urn:oasis:names:tc:xspa:1.0:subject:subject-id');
  return { kinds, trcPatient: firstText(patient, SAML, 'AttributeValue'), ...(hcp ? { hcp } : {}) };
}

function discoveryAnswer(o: ForeignNcpOptions, requestXml: string): string {
  const doc = new DOMParser().parseFromString(requestXml, 'text/xml');
  const messageId = byTag(doc as unknown as Element, HL7, 'PRPA_IN201305UV02').flatMap((m) => Array.from(m.childNodes).filter((n) => (n as Element).localName === 'id') as Element[])[0];
  const asked = byTag(doc as unknown as Element, HL7, 'livingSubjectId').flatMap((p) => byTag(p, HL7, 'value')).map((v) => `${v.getAttribute('root')}|${v.getAttribute('extension')}`);
  const p = o.patient;
  const found = asked.includes(`${p.root}|${p.extension}`);
  const subject = found
    ? `<subject typeCode="SUBJ"><registrationEvent classCode="REG" moodCode="EVN"><id nullFlavor="NA"/><statusCode code="active"/><subject1 typeCode="SBJ"><patient classCode="PAT"><id root="${p.root}" extension="${p.extension}"/><statusCode code="active"/><patientPerson classCode="PSN" determinerCode="INSTANCE"><name><given>${p.given}</given><family>${p.family}</family></name><administrativeGenderCode code="${p.gender}"/><birthTime value="${p.birthDate.replace(/-/g, '')}"/></patientPerson></patient></subject1><custodian typeCode="CST"><assignedEntity classCode="ASSIGNED"><id root="${o.communityId}"/></assignedEntity></custodian></registrationEvent></subject>`
    : '';
  return (
    `<id root="${o.communityId}" extension="resp-${Date.now()}"/><creationTime value="20260101000000"/><interactionId root="2.16.840.1.113883.1.6" extension="PRPA_IN201306UV02"/>` +
    `<processingCode code="P"/><processingModeCode code="T"/><acceptAckCode code="NE"/>` +
    `<sender typeCode="SND"><device classCode="DEV" determinerCode="INSTANCE"><id root="${o.communityId}"/></device></sender>` +
    `<acknowledgement><typeCode code="AA"/><targetMessage><id root="${messageId?.getAttribute('root')}" extension="${messageId?.getAttribute('extension')}"/></targetMessage></acknowledgement>` +
    `<controlActProcess classCode="CACT" moodCode="EVN"><code code="PRPA_TE201306UV02" codeSystem="2.16.840.1.113883.1.6"/>${subject}<queryAck><queryResponseCode code="${found ? 'OK' : 'NF'}"/></queryAck></controlActProcess>`
  );
}

function classification(scheme: string, id: string, object: string, code: string, codingScheme: string): string {
  return `<rim:Classification id="${id}" classificationScheme="${scheme}" classifiedObject="${object}" nodeRepresentation="${code}"><rim:Slot name="codingScheme"><rim:ValueList><rim:Value>${codingScheme}</rim:Value></rim:ValueList></rim:Slot><rim:Name><rim:LocalizedString value="${code}"/></rim:Name></rim:Classification>`;
}

function extrinsicObject(o: ForeignNcpOptions, d: SimulatedDocument, i: number): string {
  const id = `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const p = o.patient;
  return (
    `<rim:ExtrinsicObject id="${id}" mimeType="${d.mimeType}" objectType="urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1" status="urn:oasis:names:tc:ebxml-regrep:StatusType:Approved" home="urn:oid:${o.communityId}">` +
    `<rim:Slot name="creationTime"><rim:ValueList><rim:Value>20260101120000</rim:Value></rim:ValueList></rim:Slot>` +
    `<rim:Slot name="languageCode"><rim:ValueList><rim:Value>en-GB</rim:Value></rim:ValueList></rim:Slot>` +
    `<rim:Slot name="repositoryUniqueId"><rim:ValueList><rim:Value>${o.repositoryUniqueId}</rim:Value></rim:ValueList></rim:Slot>` +
    `<rim:Slot name="sourcePatientId"><rim:ValueList><rim:Value>${p.extension}^^^&amp;${p.root}&amp;ISO</rim:Value></rim:ValueList></rim:Slot>` +
    `<rim:Name><rim:LocalizedString value="document ${i}"/></rim:Name>` +
    classification('urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a', `c${i}a`, id, d.classCode, '2.16.840.1.113883.6.1') +
    classification('urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f', `c${i}b`, id, 'N', '2.16.840.1.113883.5.25') +
    classification('urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d', `c${i}c`, id, 'urn:epsos:ps:2010', 'eHDSI formatCodes') +
    classification('urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1', `c${i}d`, id, '22232009', '2.16.840.1.113883.6.96') +
    classification('urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead', `c${i}e`, id, '394802001', '2.16.840.1.113883.6.96') +
    classification('urn:uuid:f0306f51-975f-434e-a61c-c59651d33983', `c${i}f`, id, d.classCode, '2.16.840.1.113883.6.1') +
    `<rim:ExternalIdentifier id="e${i}a" registryObject="${id}" identificationScheme="urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427" value="${p.extension}^^^&amp;${p.root}&amp;ISO"><rim:Name><rim:LocalizedString value="XDSDocumentEntry.patientId"/></rim:Name></rim:ExternalIdentifier>` +
    `<rim:ExternalIdentifier id="e${i}b" registryObject="${id}" identificationScheme="urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab" value="${d.uniqueId}"><rim:Name><rim:LocalizedString value="XDSDocumentEntry.uniqueId"/></rim:Name></rim:ExternalIdentifier>` +
    `</rim:ExtrinsicObject>`
  );
}

function queryAnswer(o: ForeignNcpOptions, requestXml: string): string {
  const doc = new DOMParser().parseFromString(requestXml, 'text/xml');
  const slots = byTag(doc as unknown as Element, RIM, 'Slot');
  const classSlot = slots.find((s) => s.getAttribute('name') === '$XDSDocumentEntryClassCode');
  const wanted = byTag(classSlot, RIM, 'Value').map((v) => /'([^'^]+)/.exec(v.textContent ?? '')?.[1]);
  const docs = o.documents.filter((d) => wanted.length === 0 || wanted.includes(d.classCode));
  return `<rim:RegistryObjectList xmlns:rim="${RIM}">${docs.map((d) => extrinsicObject(o, d, o.documents.indexOf(d))).join('')}</rim:RegistryObjectList>`;
}

function retrieveAnswer(o: ForeignNcpOptions, requestXml: string): string {
  const doc = new DOMParser().parseFromString(requestXml, 'text/xml');
  const ids = byTag(doc as unknown as Element, 'urn:ihe:iti:xds-b:2007', 'DocumentUniqueId').map((e) => e.textContent?.trim());
  const docs = o.documents.filter((d) => ids.includes(d.uniqueId));
  return (
    `<rs:RegistryResponse xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="${SUCCESS}"/>` +
    docs
      .map(
        (d) =>
          `<DocumentResponse><HomeCommunityId>urn:oid:${o.communityId}</HomeCommunityId><RepositoryUniqueId>${o.repositoryUniqueId}</RepositoryUniqueId>` +
          `<DocumentUniqueId>${d.uniqueId}</DocumentUniqueId><mimeType>${d.mimeType}</mimeType><Document>${d.content.toString('base64')}</Document></DocumentResponse>`,
      )
      .join('')
  );
}

export async function startForeignNcp(o: ForeignNcpOptions): Promise<ForeignNcp> {
  const seen: SeenRequest[] = [];
  const raw = new WeakMap<object, string>();
  const server = https.createServer({ cert: o.tls.cert, key: o.tls.key, ca: o.tls.ca, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' });

  const handle = (operation: SeenRequest['operation'], needTrc: boolean, answer: (xml: string) => Record<string, unknown>) => (_args: unknown, _cb: unknown, _headers: unknown, req: object) => {
    const xml = raw.get(req) ?? '';
    const checked = checkHeader(xml, o.trustedSignerPem, needTrc);
    const p = o.patient;
    if (needTrc && checked.trcPatient !== `${p.extension}^^^&${p.root}&ISO`) fault(`the TRC names ${checked.trcPatient}, not the patient asked about`);
    const cert = (req as { socket: { getPeerCertificate(): { subject?: { CN?: string } } } }).socket.getPeerCertificate();
    seen.push({ operation, assertions: checked.kinds, ...(checked.trcPatient ? { trcPatient: checked.trcPatient } : {}), ...(checked.hcp ? { hcp: checked.hcp } : {}), ...(cert.subject?.CN ? { clientCertificateCn: cert.subject.CN } : {}) });
    return answer(xml);
  };

  const services = {
    ForeignNcp_Service: {
      ForeignNcp_Port: {
        CrossGatewayPatientDiscovery: handle('CrossGatewayPatientDiscovery', false, (xml) => ({ attributes: { ITSVersion: 'XML_1.0' }, $xml: discoveryAnswer(o, xml) })),
        CrossGatewayQuery: handle('CrossGatewayQuery', true, (xml) => ({ attributes: { status: SUCCESS }, $xml: queryAnswer(o, xml) })),
        CrossGatewayRetrieve: handle('CrossGatewayRetrieve', true, (xml) => ({ $xml: retrieveAnswer(o, xml) })),
      },
    },
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const soapServer = soap.listen(server, { path: '/ncp', services, xml: WSDL, forceSoap12Headers: true } as soap.IServerOptions);
  soapServer.log = (type: string, data: unknown, req: unknown) => {
    if (type === 'received' && typeof data === 'string' && req) raw.set(req as object, data);
  };
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/ncp`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
