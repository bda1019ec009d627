/**
 * Reads the parts of a *signed* assertion the verifier needs, from the canonical XML the
 * signature check returned. Only the paths SAML defines are followed (Assertion/Subject/NameID,
 * Assertion/AttributeStatement/Attribute, ...), never a descendant search: assertions nested in
 * Advice are signed by someone else and say nothing about this caller.
 */
import type { Element } from '@xmldom/xmldom';
import { parseDateTime } from './date-time';
import { attribute, childrenNamed, elementChildren, hasName, optionalChild, parseSignedXml, requiredChild, simpleText } from './dom';
import { XuaError } from './errors';
import { NS } from './namespaces';

export interface TimeWindow {
  notBefore?: Date;
  notOnOrAfter?: Date;
}

export interface SignedAssertion {
  id: string;
  issuer: string;
  /** Issuer's NameQualifier attribute (eHDSI tells its assertion kinds apart by it). */
  issuerNameQualifier?: string;
  issueInstant: Date;
  /** Subject/NameID text. */
  subject: string;
  /** Subject/NameID Format, when given. */
  subjectFormat?: string;
  /** AssertionIDRef values of Advice: the assertions this one refers to (an eHDSI TRC names its HCP assertion). */
  adviceAssertionIdRefs: string[];
  /** Conditions NotBefore/NotOnOrAfter. */
  conditions: TimeWindow;
  /** Audience values of each AudienceRestriction (each restriction must be met on its own). */
  audienceRestrictions: string[][];
  /** The window of each SubjectConfirmationData. */
  confirmations: TimeWindow[];
  /** AttributeValue elements by Attribute Name, across all AttributeStatements, in document order. */
  attributes: Map<string, Element[]>;
}

function text(el: Element, what: string): string {
  const value = simpleText(el)?.trim();
  if (!value) throw new XuaError(`${what} is empty or not text`);
  return value;
}

function timeWindow(el: Element, what: string): TimeWindow {
  const window: TimeWindow = {};
  const notBefore = attribute(el, 'NotBefore');
  const notOnOrAfter = attribute(el, 'NotOnOrAfter');
  if (notBefore !== undefined) window.notBefore = parseDateTime(notBefore, `${what} NotBefore`);
  if (notOnOrAfter !== undefined) window.notOnOrAfter = parseDateTime(notOnOrAfter, `${what} NotOnOrAfter`);
  return window;
}

/** Conditions children this verifier understands; anything else makes validity indeterminate (SAML core 2.5.1), which is refused. */
const KNOWN_CONDITIONS: ReadonlySet<string> = new Set(['AudienceRestriction', 'OneTimeUse', 'ProxyRestriction']);

function readConditions(assertion: Element): Pick<SignedAssertion, 'conditions' | 'audienceRestrictions'> {
  const conditions = optionalChild(assertion, NS.saml2, 'Conditions');
  if (!conditions) return { conditions: {}, audienceRestrictions: [] };
  const audienceRestrictions: string[][] = [];
  for (const child of elementChildren(conditions)) {
    if (child.namespaceURI !== NS.saml2 || !KNOWN_CONDITIONS.has(child.localName ?? '')) {
      throw new XuaError(`unsupported condition <${child.tagName}>`);
    }
    if (child.localName === 'AudienceRestriction') {
      const audiences = childrenNamed(child, NS.saml2, 'Audience').map((a) => text(a, 'Audience'));
      if (audiences.length === 0) throw new XuaError('AudienceRestriction names no Audience');
      audienceRestrictions.push(audiences);
    }
  }
  return { conditions: timeWindow(conditions, 'Conditions'), audienceRestrictions };
}

function readSubject(assertion: Element): Pick<SignedAssertion, 'subject' | 'subjectFormat' | 'confirmations'> {
  const subject = optionalChild(assertion, NS.saml2, 'Subject');
  // XUA identifies the user by the Subject: an assertion about nobody authenticates nobody.
  if (!subject) throw new XuaError('the assertion has no Subject');
  if (childrenNamed(subject, NS.saml2, 'EncryptedID').length > 0) throw new XuaError('an encrypted Subject NameID is not supported');
  const nameId = requiredChild(subject, NS.saml2, 'NameID');
  const confirmations = childrenNamed(subject, NS.saml2, 'SubjectConfirmation').map((sc) => {
    const data = optionalChild(sc, NS.saml2, 'SubjectConfirmationData');
    return data ? timeWindow(data, 'SubjectConfirmationData') : {};
  });
  const format = attribute(nameId, 'Format');
  return { subject: text(nameId, 'Subject NameID'), ...(format ? { subjectFormat: format } : {}), confirmations };
}

/** Advice/AssertionIDRef only: assertions embedded in Advice are someone else's statements and are not read. */
function readAdviceRefs(assertion: Element): string[] {
  const advice = optionalChild(assertion, NS.saml2, 'Advice');
  return advice ? childrenNamed(advice, NS.saml2, 'AssertionIDRef').map((r) => text(r, 'AssertionIDRef')) : [];
}

function readAttributes(assertion: Element): Map<string, Element[]> {
  const byName = new Map<string, Element[]>();
  for (const statement of childrenNamed(assertion, NS.saml2, 'AttributeStatement')) {
    for (const attr of childrenNamed(statement, NS.saml2, 'Attribute')) {
      const name = attribute(attr, 'Name');
      if (!name) throw new XuaError('a saml2:Attribute has no Name');
      const values = childrenNamed(attr, NS.saml2, 'AttributeValue');
      byName.set(name, [...(byName.get(name) ?? []), ...values]);
    }
  }
  return byName;
}

/**
 * Parses the signed canonical XML and reads it. `expectedId` is the ID of the assertion found in
 * the header: the signed root must be that assertion, which (IDs being unique in the message)
 * makes it the very element the header presented.
 */
export function readSignedAssertion(signedXml: string, expectedId: string): SignedAssertion {
  const root = parseSignedXml(signedXml).documentElement!;
  if (!hasName(root, NS.saml2, 'Assertion')) throw new XuaError(`the signature covers <${root.tagName}>, not a SAML 2.0 assertion`);
  const id = root.getAttribute('ID');
  if (id !== expectedId) throw new XuaError('the signed assertion is not the assertion in the header');
  if (root.getAttribute('Version') !== '2.0') throw new XuaError(`assertion Version ${JSON.stringify(root.getAttribute('Version'))} is not 2.0`);
  const issueInstant = attribute(root, 'IssueInstant');
  if (issueInstant === undefined) throw new XuaError('the assertion has no IssueInstant');
  const issuer = requiredChild(root, NS.saml2, 'Issuer');
  const nameQualifier = attribute(issuer, 'NameQualifier');
  return {
    id,
    issuer: text(issuer, 'Issuer'),
    ...(nameQualifier ? { issuerNameQualifier: nameQualifier } : {}),
    issueInstant: parseDateTime(issueInstant, 'IssueInstant'),
    ...readSubject(root),
    adviceAssertionIdRefs: readAdviceRefs(root),
    ...readConditions(root),
    attributes: readAttributes(root),
  };
}
