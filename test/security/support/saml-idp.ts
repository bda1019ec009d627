// A throwaway SAML identity provider for the XUA (ITI-40) suites: it makes a key pair and a
// self-signed certificate at test time (openssl in a temporary directory, removed at once; the
// private key then lives only in memory, nothing is ever committed), builds XUA assertions,
// signs them the way real IdPs do (exclusive C14N, enveloped signature right after Issuer,
// RSA-SHA256 / SHA-256, the certificate in KeyInfo) and wraps them in SOAP 1.2 / WS-Security.
//
//   const idp = await createSamlIdp();
//   const envelope = soapEnvelope(securityHeader(idp.signedAssertion({ audiences: ['urn:gw'] })), { action, body });
//   ... gateway configured with XUA trusted certificate idp.certificatePem and audience 'urn:gw'
//   await idp.cleanup();
import { execFile } from 'node:child_process';
import crypto, { type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { DIGEST_ALGORITHMS, SIGNATURE_ALGORITHMS } from '../../../src/security/saml/algorithms';

const run = promisify(execFile);

export const NS = {
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  saml2: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  hl7: 'urn:hl7-org:v3',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xs: 'http://www.w3.org/2001/XMLSchema',
} as const;

/** Algorithm URIs, for SignOptions. */
export const ALGORITHM = {
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha384: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  ecdsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  ecdsaSha384: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha384: 'http://www.w3.org/2001/04/xmldsig-more#sha384',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  excC14nWithComments: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  c14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
} as const;

/** The audience assertions name unless told otherwise; configure the gateway with it. */
export const TEST_AUDIENCE = 'urn:hie-gateway:test';

export interface CodedValue {
  code: string;
  codeSystem?: string;
  codeSystemName?: string;
  displayName?: string;
}

/** The XUA attributes (ITI TF-2 3.40.4.1.2) an assertion can carry. */
export interface XuaAttributes {
  /** urn:oasis:names:tc:xspa:1.0:subject:subject-id */
  subjectName?: string;
  /** urn:oasis:names:tc:xspa:1.0:subject:organization */
  organization?: string;
  /** urn:oasis:names:tc:xspa:1.0:subject:organization-id */
  organizationId?: string;
  /** urn:oasis:names:tc:xacml:2.0:subject:role, written as <Role xmlns="urn:hl7-org:v3" xsi:type="CE" .../> */
  role?: CodedValue;
  /** urn:oasis:names:tc:xspa:1.0:subject:purposeofuse, one <PurposeOfUse xsi:type="CE"/> per value */
  purposeOfUse?: CodedValue[];
  /** urn:oasis:names:tc:xacml:2.0:resource:resource-id: a patient CX; limits access to that patient. */
  resourceId?: string;
  /** urn:ihe:iti:xca:2010:homeCommunityId */
  homeCommunityId?: string;
}

/**
 * What signedAssertion() puts in when `attributes` is not given: a physician acting for treatment,
 * no patient context (resourceId would limit access to one patient), not an emergency.
 */
export const DEFAULT_XUA_ATTRIBUTES: Readonly<XuaAttributes> = Object.freeze({
  subjectName: 'MUDr. Jan Kolář',
  organization: 'Nemocnice Test',
  organizationId: 'urn:oid:1.2.203.999.1',
  role: { code: '158965000', codeSystem: '2.16.840.1.113883.6.96', codeSystemName: 'SNOMED_CT', displayName: 'Medical practitioner' },
  purposeOfUse: [{ code: 'TREATMENT', codeSystem: '2.16.840.1.113883.3.18.7.1', codeSystemName: 'nhin-purpose', displayName: 'Treatment' }],
  homeCommunityId: 'urn:oid:1.2.203.999.100',
});

export interface AssertionOptions {
  /** Assertion ID (an NCName). Default: a fresh `_<uuid>`. */
  id?: string;
  /** Issuer. Default: the IdP's issuer. */
  issuer?: string;
  /** Subject/NameID text. Default: 'UID=kolar.jan'. */
  subject?: string;
  /** Default: now. */
  issueInstant?: Date;
  /** Conditions NotBefore. Default: a minute ago; null leaves it out. */
  notBefore?: Date | null;
  /** Conditions NotOnOrAfter. Default: in five minutes; null leaves it out. */
  notOnOrAfter?: Date | null;
  /** SubjectConfirmationData NotOnOrAfter. Default: notOnOrAfter; null leaves SubjectConfirmationData out. */
  confirmationNotOnOrAfter?: Date | null;
  /** Audiences of one AudienceRestriction. Default: [TEST_AUDIENCE]; [] leaves AudienceRestriction out. */
  audiences?: string[];
  /** XUA attributes; replaces DEFAULT_XUA_ATTRIBUTES entirely (spread them to extend). */
  attributes?: XuaAttributes;
  /** Raw saml2:Attribute elements appended to the AttributeStatement (prefixes saml2, xsi, xs are declared). */
  extraAttributesXml?: string;
  /** Version attribute. Default: '2.0'. */
  version?: string;
}

export interface SignOptions {
  /** Default: RSA-SHA256 for an RSA IdP, ECDSA-SHA256 for an EC one. */
  signatureAlgorithm?: string;
  /** Default: SHA-256. */
  digestAlgorithm?: string;
  /** Reference transforms. Default: enveloped-signature, exclusive C14N. */
  transforms?: string[];
  /** SignedInfo CanonicalizationMethod. Default: exclusive C14N. */
  canonicalizationAlgorithm?: string;
  /** KeyInfo content: this IdP's certificate (default), none, or another PEM certificate. */
  keyInfo?: 'certificate' | 'none' | { certificatePem: string };
  /** `URI=""` (the whole document) instead of `#<ID>`. */
  emptyReferenceUri?: boolean;
}

export interface SamlIdp {
  /** Issuer (entity id) written into assertions. */
  readonly issuer: string;
  /** The signing certificate, PEM: what the gateway must trust. */
  readonly certificatePem: string;
  readonly keyType: 'rsa' | 'ec';
  /** An unsigned XUA assertion (saml2:Assertion element text). */
  assertion(options?: AssertionOptions): string;
  /** Signs assertion XML (its root must be the saml2:Assertion with an ID); returns the signed element text. */
  sign(assertionXml: string, options?: SignOptions): string;
  /** assertion() then sign(). */
  signedAssertion(options?: AssertionOptions & { signing?: SignOptions }): string;
  /** Nothing is left on disk after creation; kept so suites can treat the IdP like other fixtures. Idempotent. */
  cleanup(): Promise<void>;
}

export interface SamlIdpOptions {
  /** Default: 'https://idp.test/<random>' so two IdPs never share an issuer. */
  issuer?: string;
  /** Default: 'rsa' (2048 bits). 'ec' is P-256. */
  keyType?: 'rsa' | 'ec';
  /** Certificate subject CN. Default: 'Test XUA IdP'. */
  commonName?: string;
  /** RSA modulus length. Default: 2048. */
  rsaBits?: number;
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** SAML wants UTC with Z and no more than millisecond precision. */
function samlTime(d: Date): string {
  return d.toISOString();
}

function stringAttribute(name: string, value: string | undefined): string {
  if (value === undefined) return '';
  return (
    `<saml2:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">` +
    `<saml2:AttributeValue xsi:type="xs:string">${escapeXml(value)}</saml2:AttributeValue></saml2:Attribute>`
  );
}

function codedAttribute(name: string, element: string, values: readonly CodedValue[] | undefined): string {
  if (!values || values.length === 0) return '';
  const items = values
    .map((v) => {
      const attrs = [`code="${escapeXml(v.code)}"`];
      if (v.codeSystem !== undefined) attrs.push(`codeSystem="${escapeXml(v.codeSystem)}"`);
      if (v.codeSystemName !== undefined) attrs.push(`codeSystemName="${escapeXml(v.codeSystemName)}"`);
      if (v.displayName !== undefined) attrs.push(`displayName="${escapeXml(v.displayName)}"`);
      return `<saml2:AttributeValue><${element} xmlns="${NS.hl7}" xsi:type="CE" ${attrs.join(' ')}/></saml2:AttributeValue>`;
    })
    .join('');
  return `<saml2:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${items}</saml2:Attribute>`;
}

/** Builds an unsigned XUA assertion; `defaultIssuer` is used when options.issuer is not given. */
export function buildAssertion(defaultIssuer: string, options: AssertionOptions = {}): string {
  const now = Date.now();
  const id = options.id ?? `_${crypto.randomUUID()}`;
  const issueInstant = options.issueInstant ?? new Date(now);
  const notBefore = options.notBefore === undefined ? new Date(now - 60_000) : options.notBefore;
  const notOnOrAfter = options.notOnOrAfter === undefined ? new Date(now + 300_000) : options.notOnOrAfter;
  const confirmationEnd = options.confirmationNotOnOrAfter === undefined ? notOnOrAfter : options.confirmationNotOnOrAfter;
  const audiences = options.audiences ?? [TEST_AUDIENCE];
  const a = options.attributes ?? DEFAULT_XUA_ATTRIBUTES;

  const confirmationData =
    confirmationEnd === null ? '' : `<saml2:SubjectConfirmationData NotOnOrAfter="${samlTime(confirmationEnd)}"/>`;
  const conditionAttrs = [notBefore ? ` NotBefore="${samlTime(notBefore)}"` : '', notOnOrAfter ? ` NotOnOrAfter="${samlTime(notOnOrAfter)}"` : ''].join('');
  const audienceRestriction =
    audiences.length === 0 ? '' : `<saml2:AudienceRestriction>${audiences.map((x) => `<saml2:Audience>${escapeXml(x)}</saml2:Audience>`).join('')}</saml2:AudienceRestriction>`;
  const attributes = [
    stringAttribute('urn:oasis:names:tc:xspa:1.0:subject:subject-id', a.subjectName),
    stringAttribute('urn:oasis:names:tc:xspa:1.0:subject:organization', a.organization),
    stringAttribute('urn:oasis:names:tc:xspa:1.0:subject:organization-id', a.organizationId),
    stringAttribute('urn:ihe:iti:xca:2010:homeCommunityId', a.homeCommunityId),
    codedAttribute('urn:oasis:names:tc:xacml:2.0:subject:role', 'Role', a.role ? [a.role] : undefined),
    codedAttribute('urn:oasis:names:tc:xspa:1.0:subject:purposeofuse', 'PurposeOfUse', a.purposeOfUse),
    stringAttribute('urn:oasis:names:tc:xacml:2.0:resource:resource-id', a.resourceId),
    options.extraAttributesXml ?? '',
  ].join('');

  return (
    `<saml2:Assertion xmlns:saml2="${NS.saml2}" xmlns:xsi="${NS.xsi}" xmlns:xs="${NS.xs}" ID="${escapeXml(id)}" IssueInstant="${samlTime(issueInstant)}" Version="${escapeXml(options.version ?? '2.0')}">` +
    `<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${escapeXml(options.issuer ?? defaultIssuer)}</saml2:Issuer>` +
    `<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${escapeXml(options.subject ?? 'UID=kolar.jan')}</saml2:NameID>` +
    `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">${confirmationData}</saml2:SubjectConfirmation></saml2:Subject>` +
    `<saml2:Conditions${conditionAttrs}>${audienceRestriction}</saml2:Conditions>` +
    `<saml2:AuthnStatement AuthnInstant="${samlTime(issueInstant)}"><saml2:AuthnContext>` +
    `<saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef>` +
    `</saml2:AuthnContext></saml2:AuthnStatement>` +
    (attributes ? `<saml2:AttributeStatement>${attributes}</saml2:AttributeStatement>` : '') +
    `</saml2:Assertion>`
  );
}

function signAssertion(assertionXml: string, key: KeyObject, certificatePem: string, keyType: 'rsa' | 'ec', options: SignOptions): string {
  const keyInfo = options.keyInfo ?? 'certificate';
  const sig = new SignedXml({
    privateKey: key,
    publicCert: keyInfo === 'none' ? undefined : keyInfo === 'certificate' ? certificatePem : keyInfo.certificatePem,
    signatureAlgorithm: options.signatureAlgorithm ?? (keyType === 'ec' ? ALGORITHM.ecdsaSha256 : ALGORITHM.rsaSha256),
    canonicalizationAlgorithm: options.canonicalizationAlgorithm ?? ALGORITHM.excC14n,
  });
  // xml-crypto's own implementations where it has one (so the verifier is checked against an
  // independent signer, and SHA-1 can still be produced to be refused); the verifier's plug-ins
  // only for what xml-crypto lacks (SHA-384, RSA-SHA384, ECDSA).
  for (const [uri, impl] of Object.entries(DIGEST_ALGORITHMS)) sig.HashAlgorithms[uri] ??= impl;
  for (const [uri, impl] of Object.entries(SIGNATURE_ALGORITHMS)) sig.SignatureAlgorithms[uri] ??= impl;
  sig.addReference({
    xpath: '/*',
    transforms: options.transforms ?? [ALGORITHM.envelopedSignature, ALGORITHM.excC14n],
    digestAlgorithm: options.digestAlgorithm ?? ALGORITHM.sha256,
    isEmptyUri: options.emptyReferenceUri ?? false,
  });
  // SAML's schema puts ds:Signature right after Issuer.
  sig.computeSignature(assertionXml, { prefix: 'ds', location: { reference: "/*/*[local-name(.)='Issuer']", action: 'after' } });
  return sig.getSignedXml();
}

export async function createSamlIdp(options: SamlIdpOptions = {}): Promise<SamlIdp> {
  const keyType = options.keyType ?? 'rsa';
  const { privateKey } =
    keyType === 'ec' ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }) : crypto.generateKeyPairSync('rsa', { modulusLength: options.rsaBits ?? 2048 });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'saml-idp-'));
  let certificatePem: string;
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const subject = `/O=Test IdP/CN=${options.commonName ?? 'Test XUA IdP'}`;
    await run('openssl', ['req', '-x509', '-new', '-key', keyFile, '-subj', subject, '-days', '2', '-sha256', '-out', certFile]);
    certificatePem = await readFile(certFile, 'utf8');
  } finally {
    // The key is needed in memory only: it does not outlive this function on disk.
    await rm(dir, { recursive: true, force: true });
  }
  const issuer = options.issuer ?? `https://idp.test/${crypto.randomUUID()}`;

  const idp: SamlIdp = {
    issuer,
    certificatePem,
    keyType,
    assertion: (o = {}) => buildAssertion(issuer, o),
    sign: (xml, o = {}) => signAssertion(xml, privateKey, certificatePem, keyType, o),
    signedAssertion: (o = {}) => idp.sign(idp.assertion(o), o.signing ?? {}),
    cleanup: async () => {
      await rm(dir, { recursive: true, force: true });
    },
  };
  return idp;
}

/** The XML declaration xml-crypto may leave on a signed document would be out of place inside a header. */
function withoutXmlDeclaration(xml: string): string {
  return xml.replace(/^\s*<\?xml[^?]*\?>\s*/, '');
}

export interface SecurityHeaderOptions {
  /** env:mustUnderstand="true" on the header (WS-Security practice). Default: true. */
  mustUnderstand?: boolean;
}

/** The wsse:Security header block holding the given assertion(s), to go inside an env:Header. */
export function securityHeader(assertionXml: string | readonly string[], options: SecurityHeaderOptions = {}): string {
  const assertions = (typeof assertionXml === 'string' ? [assertionXml] : assertionXml).map(withoutXmlDeclaration).join('');
  const mustUnderstand = options.mustUnderstand ?? true;
  // env is declared here as well, so the block stays well-formed wherever it is pasted.
  return `<wsse:Security xmlns:wsse="${NS.wsse}" xmlns:env="${NS.soap12}"${mustUnderstand ? ' env:mustUnderstand="true"' : ''}>${assertions}</wsse:Security>`;
}

export interface EnvelopeOptions {
  /** WS-Addressing Action; with it, a MessageID and an anonymous ReplyTo are added too. */
  action?: string;
  /** WS-Addressing To. */
  to?: string;
  /** Further header blocks (raw XML). */
  headers?: string;
  /** Body content (raw XML). Default: empty. */
  body?: string;
}

/** A SOAP 1.2 envelope carrying `securityHeaderXml` (see securityHeader()) in its env:Header. */
export function soapEnvelope(securityHeaderXml: string, options: EnvelopeOptions = {}): string {
  const addressing = options.action
    ? `<wsa:Action env:mustUnderstand="true">${escapeXml(options.action)}</wsa:Action>` +
      `<wsa:MessageID>urn:uuid:${crypto.randomUUID()}</wsa:MessageID>` +
      `<wsa:ReplyTo><wsa:Address>http://www.w3.org/2005/08/addressing/anonymous</wsa:Address></wsa:ReplyTo>`
    : '';
  const to = options.to ? `<wsa:To env:mustUnderstand="true">${escapeXml(options.to)}</wsa:To>` : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<env:Envelope xmlns:env="${NS.soap12}" xmlns:wsa="${NS.wsa}">` +
    `<env:Header>${addressing}${to}${options.headers ?? ''}${securityHeaderXml}</env:Header>` +
    `<env:Body>${options.body ?? ''}</env:Body></env:Envelope>`
  );
}

/**
 * Puts a security header into an existing SOAP envelope text (a fixture, say): first thing in its
 * Header, or in a new Header before the Body.
 */
export function insertSecurityHeader(envelopeXml: string, securityHeaderXml: string): string {
  const header = /<([A-Za-z_][\w.-]*:)?Header(\s[^>]*)?>/.exec(envelopeXml);
  if (header && !header[0].endsWith('/>')) {
    const at = header.index + header[0].length;
    return envelopeXml.slice(0, at) + securityHeaderXml + envelopeXml.slice(at);
  }
  const body = /<([A-Za-z_][\w.-]*:)?Body[\s>/]/.exec(envelopeXml);
  if (!body) throw new Error('insertSecurityHeader: no SOAP Body found');
  const prefix = body[1] ?? '';
  if (header) return envelopeXml.replace(header[0], `<${prefix}Header>${securityHeaderXml}</${prefix}Header>`);
  return `${envelopeXml.slice(0, body.index)}<${prefix}Header>${securityHeaderXml}</${prefix}Header>${envelopeXml.slice(body.index)}`;
}

/** Parses an envelope (as xmldom, like the gateway) and returns its first wsse:Security header element. */
export function parseSecurityHeader(envelopeXml: string): Element {
  const doc = new DOMParser({
    onError: (level, message) => {
      throw new Error(`envelope is not well-formed (${level}): ${message}`);
    },
  }).parseFromString(envelopeXml, 'text/xml');
  const security = doc.getElementsByTagNameNS(NS.wsse, 'Security').item(0);
  if (!security) throw new Error('parseSecurityHeader: no wsse:Security in the envelope');
  return security;
}
