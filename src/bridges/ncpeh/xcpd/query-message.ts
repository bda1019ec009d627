/**
 * PRPA_IN201305UV02, the XCPD query (ITI TF-2b 3.55.4.1): written for outbound discovery,
 * read by the responder. The parameter list holds the patient's identifiers (livingSubjectId)
 * and demographics, in the order HL7's schema fixes.
 */
import type { Element } from '@xmldom/xmldom';
import { HL7, INTERACTION_CODE_SYSTEM, attr, child, children, dateOfTs, ii, path, text, tsOfDate } from './hl7v3';
import { XcpdQueryError, type Demographics, type InstanceIdentifier, type PatientDiscoveryQuery } from './model';
import { h, iiSpec, readParty, wrapperHead } from './wrapper';
import type { XmlElementSpec } from '../../../soap';

const GENDERS: ReadonlySet<string> = new Set(['M', 'F', 'UN']);

function parameter(name: string, semantics: string, ...values: XmlElementSpec[]): XmlElementSpec {
  return h(name, {}, ...values, h('semanticsText', {}, semantics));
}

export function nameSpec(tag: string, d: Demographics): XmlElementSpec | undefined {
  if (!d.family && !d.given?.length) return undefined;
  return h(tag, {}, ...(d.given ?? []).map((g) => h('given', {}, g)), d.family !== undefined && h('family', {}, d.family));
}

/** The query message; `now` and the ids are the caller's so a retry can repeat them. */
export function writeQuery(q: PatientDiscoveryQuery, now: Date): XmlElementSpec {
  const d = q.demographics;
  const params = [
    d.gender && parameter('livingSubjectAdministrativeGender', 'LivingSubject.administrativeGender', h('value', { code: d.gender })),
    d.birthDate && parameter('livingSubjectBirthTime', 'LivingSubject.birthTime', h('value', { value: tsOfDate(d.birthDate) })),
    ...q.identifiers.map((id) => parameter('livingSubjectId', 'LivingSubject.id', iiSpec('value', id))),
    ...[nameSpec('value', d)].filter((x): x is XmlElementSpec => x !== undefined).map((v) => parameter('livingSubjectName', 'LivingSubject.name', v)),
  ].filter((x): x is XmlElementSpec => !!x);
  return h(
    'PRPA_IN201305UV02',
    { ITSVersion: 'XML_1.0' },
    ...wrapperHead('PRPA_IN201305UV02', q.messageId, now, q.receiver, q.sender),
    h(
      'controlActProcess',
      { classCode: 'CACT', moodCode: 'EVN' },
      h('code', { code: 'PRPA_TE201305UV02', codeSystem: INTERACTION_CODE_SYSTEM }),
      queryByParameter(q.queryId, params),
    ),
  );
}

function queryByParameter(queryId: InstanceIdentifier, params: XmlElementSpec[]): XmlElementSpec {
  return h(
    'queryByParameter',
    {},
    iiSpec('queryId', queryId),
    h('statusCode', { code: 'new' }),
    h('responseModalityCode', { code: 'R' }),
    h('responsePriorityCode', { code: 'I' }),
    h('parameterList', {}, ...params),
  );
}

function readDemographics(list: Element | undefined): Demographics {
  const gender = attr(path(list, 'livingSubjectAdministrativeGender', 'value'), 'code');
  const birth = attr(path(list, 'livingSubjectBirthTime', 'value'), 'value');
  const name = path(list, 'livingSubjectName', 'value');
  const given = children(name, 'given').map(text).filter((g): g is string => !!g);
  const family = text(child(name, 'family'));
  if (gender !== undefined && !GENDERS.has(gender)) throw new XcpdQueryError(`administrative gender ${gender} is not M, F or UN`);
  const birthDate = birth === undefined ? undefined : dateOfTs(birth);
  if (birth !== undefined && !birthDate) throw new XcpdQueryError(`birth time ${birth} is not an HL7 TS`);
  return {
    ...(given.length ? { given } : {}),
    ...(family ? { family } : {}),
    ...(gender ? { gender: gender as Demographics['gender'] } : {}),
    ...(birthDate ? { birthDate } : {}),
  };
}

/** Reads the query; XcpdQueryError for what makes it no query this responder can answer. */
export function readQuery(message: Element | undefined): PatientDiscoveryQuery {
  if (!message || message.namespaceURI !== HL7 || message.localName !== 'PRPA_IN201305UV02') throw new XcpdQueryError('the body is not a PRPA_IN201305UV02 message');
  const messageId = ii(child(message, 'id'));
  if (!messageId) throw new XcpdQueryError('the message has no id');
  const qbp = path(message, 'controlActProcess', 'queryByParameter');
  const queryId = ii(child(qbp, 'queryId'));
  if (!qbp || !queryId) throw new XcpdQueryError('the message has no queryByParameter with a queryId');
  const sender = readParty(message, 'sender');
  const receiver = readParty(message, 'receiver');
  if (!sender || !receiver) throw new XcpdQueryError('the message names no sender or receiver device');
  const list = child(qbp, 'parameterList');
  const identifiers = children(list, 'livingSubjectId').flatMap((p) => children(p, 'value').map(ii)).filter((x): x is InstanceIdentifier => !!x?.extension);
  return { messageId, queryId, sender, receiver, identifiers, demographics: readDemographics(list) };
}

/** The queryByParameter element of a received query, to echo in the response (ITI TF-2b 3.55.4.2.2). */
export function queryByParameterOf(message: Element): Element | undefined {
  return path(message, 'controlActProcess', 'queryByParameter');
}
