/**
 * PRPA_IN201306UV02, the XCPD response (ITI TF-2b 3.55.4.2): the acknowledgement of the query
 * message, one registrationEvent per patient found (its ids and the demographics eHDSI
 * requires: name, gender, birth date, address when known), the query ack and the echoed query.
 * Written by the responder, read by the outbound client.
 */
import { randomUUID } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { attr, xmlns, type XmlContent, type XmlElementSpec } from '../../../soap';
import { HL7, INTERACTION_CODE_SYSTEM, attr as hl7Attr, child, children, dateOfTs, ii, path, text, tsOfDate } from './hl7v3';
import type { DiscoveredPatient, InstanceIdentifier, Party, PatientDiscoveryQuery, PatientDiscoveryResult, QueryResponseCode } from './model';
import { nameSpec } from './query-message';
import { h, iiSpec, readParty, wrapperHead } from './wrapper';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
/** ITI TF-2b 3.55.4.2.2.6: the custodian's code says this gateway is not a health data locator. */
const NOT_HEALTH_DATA_LOCATOR = { code: 'NotHealthDataLocator', codeSystem: '1.3.6.1.4.1.19376.1.2.27.2' };

function addressSpec(a: NonNullable<DiscoveredPatient['demographics']['address']>): XmlElementSpec {
  return h(
    'addr',
    {},
    a.streetAddressLine !== undefined && h('streetAddressLine', {}, a.streetAddressLine),
    a.city !== undefined && h('city', {}, a.city),
    a.postalCode !== undefined && h('postalCode', {}, a.postalCode),
    a.country !== undefined && h('country', {}, a.country),
  );
}

function patientSpec(p: DiscoveredPatient, community: string): XmlElementSpec {
  const d = p.demographics;
  return h(
    'subject',
    { typeCode: 'SUBJ', contextConductionInd: 'false' },
    h(
      'registrationEvent',
      { classCode: 'REG', moodCode: 'EVN' },
      h('id', { nullFlavor: 'NA' }),
      h('statusCode', { code: 'active' }),
      h(
        'subject1',
        { typeCode: 'SBJ' },
        h(
          'patient',
          { classCode: 'PAT' },
          ...p.identifiers.map((id) => iiSpec('id', id)),
          h('statusCode', { code: 'active' }),
          h(
            'patientPerson',
            { classCode: 'PSN', determinerCode: 'INSTANCE' },
            nameSpec('name', d),
            d.gender !== undefined && h('administrativeGenderCode', { code: d.gender }),
            d.birthDate !== undefined && h('birthTime', { value: tsOfDate(d.birthDate) }),
            d.address !== undefined && addressSpec(d.address),
          ),
          h(
            'subjectOf1',
            {},
            h(
              'queryMatchObservation',
              { classCode: 'COND', moodCode: 'EVN' },
              h('code', { code: 'IHE_PDQ' }),
              h('value', { value: '100' }, xmlns('xsi', XSI), attr(XSI, 'xsi:type', 'INT')),
            ),
          ),
        ),
      ),
      h('custodian', { typeCode: 'CST' }, h('assignedEntity', { classCode: 'ASSIGNED' }, h('id', { root: community }), h('code', NOT_HEALTH_DATA_LOCATOR))),
    ),
  );
}

export interface ResponseContext {
  /** This gateway as the responding device and community. */
  responder: Party;
  now: Date;
  /** The received queryByParameter, echoed as it came. */
  queryByParameter?: Element;
}

/** The response to `query` (undefined when the message could not even be read: ack AE without target ids). */
export function writeResponse(query: PatientDiscoveryQuery | undefined, result: PatientDiscoveryResult, ctx: ResponseContext): XmlElementSpec {
  const ackType = result.code === 'AE' || result.code === 'QE' ? 'AE' : 'AA';
  const receiver: Party = query?.sender ?? { deviceId: '2.25' };
  const community = ctx.responder.communityId ?? ctx.responder.deviceId;
  const echoed: XmlContent[] = ctx.queryByParameter ? [ctx.queryByParameter] : [];
  return h(
    'PRPA_IN201306UV02',
    { ITSVersion: 'XML_1.0' },
    ...wrapperHead('PRPA_IN201306UV02', { root: randomUUID() }, ctx.now, receiver, ctx.responder),
    h(
      'acknowledgement',
      {},
      h('typeCode', { code: ackType }),
      h('targetMessage', {}, query ? iiSpec('id', query.messageId) : h('id', { nullFlavor: 'UNK' })),
      result.error &&
        h('acknowledgementDetail', { typeCode: 'E' }, h('code', { code: result.error.code, codeSystem: '1.3.6.1.4.1.19376.1.2.27.3' }), h('text', {}, result.error.text)),
    ),
    h(
      'controlActProcess',
      { classCode: 'CACT', moodCode: 'EVN' },
      h('code', { code: 'PRPA_TE201306UV02', codeSystem: INTERACTION_CODE_SYSTEM }),
      ...result.patients.map((p) => patientSpec(p, community)),
      h('queryAck', {}, query ? iiSpec('queryId', query.queryId) : h('queryId', { nullFlavor: 'UNK' }), h('queryResponseCode', { code: result.code })),
      ...echoed,
    ),
  );
}

function readPatient(patient: Element): DiscoveredPatient {
  const person = child(patient, 'patientPerson');
  const name = child(person, 'name');
  const given = children(name, 'given').map(text).filter((g): g is string => !!g);
  const family = text(child(name, 'family'));
  const gender = hl7Attr(child(person, 'administrativeGenderCode'), 'code');
  const birthDate = dateOfTs(hl7Attr(child(person, 'birthTime'), 'value'));
  const addr = child(person, 'addr');
  const address = addr && {
    ...(text(child(addr, 'streetAddressLine')) ? { streetAddressLine: text(child(addr, 'streetAddressLine'))! } : {}),
    ...(text(child(addr, 'city')) ? { city: text(child(addr, 'city'))! } : {}),
    ...(text(child(addr, 'postalCode')) ? { postalCode: text(child(addr, 'postalCode'))! } : {}),
    ...(text(child(addr, 'country')) ? { country: text(child(addr, 'country'))! } : {}),
  };
  return {
    identifiers: children(patient, 'id').map(ii).filter((x): x is InstanceIdentifier => !!x),
    demographics: {
      ...(given.length ? { given } : {}),
      ...(family ? { family } : {}),
      ...(gender === 'M' || gender === 'F' || gender === 'UN' ? { gender } : {}),
      ...(birthDate ? { birthDate } : {}),
      ...(address && Object.keys(address).length ? { address } : {}),
    },
  };
}

const CODES: ReadonlySet<string> = new Set(['OK', 'NF', 'AE', 'QE']);

export interface ReadResponse extends PatientDiscoveryResult {
  /** The message id the acknowledgement names (to match it to the query sent). */
  targetMessageId?: InstanceIdentifier;
  responder?: Party;
}

/** Reads a response; an unreadable one throws (the caller treats it as a failed exchange). */
export function readResponse(message: Element | undefined): ReadResponse {
  if (!message || message.namespaceURI !== HL7 || message.localName !== 'PRPA_IN201306UV02') throw new Error('the response body is not a PRPA_IN201306UV02 message');
  const ack = child(message, 'acknowledgement');
  const cap = child(message, 'controlActProcess');
  const responseCode = hl7Attr(path(cap, 'queryAck', 'queryResponseCode'), 'code');
  const ackType = hl7Attr(child(ack, 'typeCode'), 'code');
  const code: QueryResponseCode = responseCode && CODES.has(responseCode) ? (responseCode as QueryResponseCode) : ackType === 'AA' ? 'OK' : 'AE';
  const detail = child(ack, 'acknowledgementDetail');
  const patients = children(cap, 'subject').flatMap((s) => {
    const p = path(s, 'registrationEvent', 'subject1', 'patient');
    return p ? [readPatient(p)] : [];
  });
  const targetMessageId = ii(path(ack, 'targetMessage', 'id'));
  const responder = readParty(message, 'sender');
  return {
    code: ackType === 'AE' && code === 'OK' ? 'AE' : code,
    patients,
    ...(detail ? { error: { code: hl7Attr(child(detail, 'code'), 'code') ?? 'unknown', text: text(child(detail, 'text')) ?? '' } } : {}),
    ...(targetMessageId ? { targetMessageId } : {}),
    ...(responder ? { responder } : {}),
  };
}
