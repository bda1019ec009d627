/**
 * sourcePatientId + sourcePatientInfo <-> the Patient that DocumentReference.context.
 * sourcePatientInfo references (contained under the Comprehensive option).
 *
 * Patient.identifier[0] is sourcePatientId (CX); the demographics map to the PID lines
 * XDS keeps in sourcePatientInfo: PID-3 identifiers, PID-5 names (XPN), PID-7 birth date,
 * PID-8 sex, PID-11 addresses (XAD). Other PID fields have no Patient element here and
 * are not carried. sourcePatientInfo is written (with a PID-3 line for every identifier,
 * as ITI TF-3 recommends) only when the Patient says more than sourcePatientId alone.
 */
import { normalizeCx } from '../../../domain/hl7v2';
import type { Address, HumanName, Patient } from './fhir-types';
import { sourceCxToIdentifier, sourceIdentifierToCx } from './patient-ids';
import { at, type Problems } from './problems';
import type { Terminology } from './terminology';
import { components, joinComponents } from './v2-components';

const SEX_TO_GENDER: Readonly<Record<string, Patient['gender']>> = { M: 'male', F: 'female', O: 'other', A: 'other', U: 'unknown', N: 'unknown' };
const GENDER_TO_SEX: Readonly<Record<string, string>> = { male: 'M', female: 'F', other: 'O', unknown: 'U' };

function pidLines(info: string[] | undefined, field: number): string[] {
  const prefix = `PID-${field}|`;
  return (info ?? []).filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
}

function xpnToName(xpn: string): HumanName {
  const c = components(xpn);
  const given = [c[1], ...(c[2] ? c[2].split(' ') : [])].filter((g): g is string => !!g);
  return { ...(c[0] ? { family: c[0] } : {}), ...(given.length ? { given } : {}), ...(c[3] ? { suffix: c[3].split(' ') } : {}), ...(c[4] ? { prefix: c[4].split(' ') } : {}) };
}

function nameToXpn(n: HumanName): string {
  const given = Array.isArray(n.given) ? n.given : [];
  return joinComponents([n.family, given[0], given.slice(1).join(' '), (n.suffix ?? []).join(' '), (n.prefix ?? []).join(' ')]);
}

function xadToAddress(xad: string): Address {
  const c = components(xad);
  const line = [c[0], c[1]].filter((l): l is string => !!l);
  return { ...(line.length ? { line } : {}), ...(c[2] ? { city: c[2] } : {}), ...(c[3] ? { state: c[3] } : {}), ...(c[4] ? { postalCode: c[4] } : {}), ...(c[5] ? { country: c[5] } : {}) };
}

function addressToXad(a: Address): string {
  const line = Array.isArray(a.line) ? a.line : [];
  return joinComponents([line[0], line.slice(1).join(' '), a.city, a.state, a.postalCode, a.country]);
}

/** PID-7 DTM (date part) <-> FHIR date, at the precision given. */
function dtmToDate(dtm: string): string | undefined {
  const m = /^(\d{4})(\d{2})?(\d{2})?/.exec(dtm);
  return m ? [m[1], m[2], m[3]].filter(Boolean).join('-') : undefined;
}

export function sourcePatientToResource(sourcePatientId: string | undefined, info: string[] | undefined, id: string, terminology: Terminology): Patient | undefined {
  if (!sourcePatientId && !info?.length) return undefined;
  const cxs = [sourcePatientId, ...pidLines(info, 3)].filter((c): c is string => !!c);
  const seen = new Set<string>();
  const identifier = cxs.flatMap((cx) => {
    const key = normalizeCx(cx) ?? cx;
    if (seen.has(key)) return [];
    seen.add(key);
    const i = sourceCxToIdentifier(cx, terminology);
    return i ? [i] : [];
  });
  const name = pidLines(info, 5).map(xpnToName);
  const birth = pidLines(info, 7)[0];
  const birthDate = birth ? dtmToDate(birth) : undefined;
  const gender = SEX_TO_GENDER[pidLines(info, 8)[0] ?? ''];
  const address = pidLines(info, 11).map(xadToAddress);
  return {
    resourceType: 'Patient',
    id,
    ...(identifier.length ? { identifier } : {}),
    ...(name.length ? { name } : {}),
    ...(gender ? { gender } : {}),
    ...(birthDate ? { birthDate } : {}),
    ...(address.length ? { address } : {}),
  };
}

export function resourceToSourcePatient(patient: Patient, path: string, problems: Problems, terminology: Terminology): { sourcePatientId?: string; sourcePatientInfo?: string[] } {
  const identifiers = Array.isArray(patient.identifier) ? patient.identifier : [];
  const cxs: string[] = [];
  identifiers.forEach((identifier, i) => {
    const r = sourceIdentifierToCx(identifier, terminology);
    if (r.ok) cxs.push(r.cx);
    else problems.error(at(path, 'identifier', i), r.reason);
  });
  const names = (Array.isArray(patient.name) ? patient.name : []).map(nameToXpn).filter((x) => x !== '');
  const birth = typeof patient.birthDate === 'string' ? patient.birthDate.replace(/-/g, '').slice(0, 8) : undefined;
  if (birth !== undefined && !/^\d{4}(\d{2}){0,2}$/.test(birth)) problems.error(at(path, 'birthDate'), `"${patient.birthDate}" is not a FHIR date`);
  const sex = typeof patient.gender === 'string' ? GENDER_TO_SEX[patient.gender] : undefined;
  const addresses = (Array.isArray(patient.address) ? patient.address : []).map(addressToXad).filter((x) => x !== '');

  const out: { sourcePatientId?: string; sourcePatientInfo?: string[] } = {};
  if (cxs[0]) out.sourcePatientId = cxs[0];
  const demographics = names.length > 0 || !!birth || !!sex || addresses.length > 0;
  if (demographics || cxs.length > 1) {
    out.sourcePatientInfo = [
      ...cxs.map((cx) => `PID-3|${cx}`),
      ...names.map((n) => `PID-5|${n}`),
      ...(birth ? [`PID-7|${birth}`] : []),
      ...(sex ? [`PID-8|${sex}`] : []),
      ...addresses.map((a) => `PID-11|${a}`),
    ];
  }
  return out;
}
