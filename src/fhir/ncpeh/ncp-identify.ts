/**
 * POST /fhir/Patient/$ncp-identify: a local doctor identifies a foreign patient at the NCP of
 * the patient's country (XCPD ITI-55 through the NCPeH bridge). In: a Parameters resource
 *
 *   country    valueCode    ISO 3166 alpha-2 (AT, DK, ...) of the NCP; or
 *   hcid       valueUri     the NCP's homeCommunityId (urn:oid:…)
 *   identifier valueIdentifier, 1..*  the identifiers that country requires (system urn:oid:<authority>)
 *   given      valueString, 0..*;  family valueString;  gender valueCode (male | female | unknown);
 *   birthDate  valueDate
 *
 * Out: a searchset Bundle of the patients the NCP matched, each a Patient with the identifiers
 * the NCP knows them by (system urn:oid:<authority>): the doctor names the patient by one of
 * them in ITI-67 (`patient.identifier=urn:oid:…|…&hcid=<NCP>`) or ITI-18
 * ($XDSDocumentEntryPatientId on the Initiating Gateway with the NCP as home).
 */
import type Koa from 'koa';
import type { IdentifiedPatient, NcpIdentification } from '../../bridges/ncpeh/outbound/ncp-identification';
import { NcpCallError } from '../../bridges/ncpeh/soap-exchange';
import type { PatientDiscoveryRequest } from '../../bridges/ncpeh/xcpd/client';
import type { Demographics, InstanceIdentifier } from '../../bridges/ncpeh/xcpd/model';
import { isOidSyntax } from '../../domain/hl7v2';
import type { AuditedHandler } from '../http/audit';
import { FhirHttpError } from '../http/http-error';
import { BODY_LIMITS } from '../http/limits';
import { readResourceBody } from '../http/request-body';
import { sendResource } from '../http/respond';
import { mhdRequest } from '../http/services';

type Json = Record<string, unknown>;

const invalid = (diagnostics: string, expression?: string): FhirHttpError => FhirHttpError.of(400, 'invalid', diagnostics, expression);

function parametersOf(body: Json): Array<{ name: string; part: Json }> {
  if (body.resourceType !== 'Parameters') throw invalid('$ncp-identify takes a Parameters resource');
  const list = Array.isArray(body.parameter) ? (body.parameter as unknown[]) : [];
  return list.map((p, i) => {
    if (typeof p !== 'object' || p === null || typeof (p as Json).name !== 'string') throw invalid(`Parameters.parameter[${i}] has no name`, `Parameters.parameter[${i}]`);
    return { name: (p as Json).name as string, part: p as Json };
  });
}

function text(part: Json, key: string, name: string): string {
  const v = part[key];
  if (typeof v !== 'string' || v.trim() === '') throw invalid(`parameter ${name} needs a ${key}`, `Parameters.parameter.where(name='${name}')`);
  return v.trim();
}

function identifierOf(part: Json): InstanceIdentifier {
  const id = part.valueIdentifier as Json | undefined;
  const system = typeof id?.system === 'string' ? id.system : '';
  const value = typeof id?.value === 'string' ? id.value.trim() : '';
  const oid = system.startsWith('urn:oid:') ? system.slice(8) : '';
  if (!isOidSyntax(oid) || value === '') throw invalid('parameter identifier needs a valueIdentifier with system urn:oid:<assigning authority> and a value', "Parameters.parameter.where(name='identifier')");
  return { root: oid, extension: value };
}

const GENDERS: Record<string, Demographics['gender']> = { male: 'M', female: 'F', unknown: 'UN' };

interface IdentifyRequest {
  target: { homeCommunityId: string } | { country: string };
  discovery: PatientDiscoveryRequest;
}

function requestOf(body: Json): IdentifyRequest {
  const params = parametersOf(body);
  const known = new Set(['country', 'hcid', 'identifier', 'given', 'family', 'gender', 'birthDate']);
  const unknown = params.find((p) => !known.has(p.name));
  if (unknown) throw invalid(`parameter ${unknown.name} is not a parameter of $ncp-identify (${[...known].join(', ')})`);
  const one = (name: string) => {
    const found = params.filter((p) => p.name === name);
    if (found.length > 1) throw invalid(`parameter ${name} may be given once`);
    return found[0]?.part;
  };
  const country = one('country');
  const hcid = one('hcid');
  if ((country === undefined) === (hcid === undefined)) throw invalid('$ncp-identify needs either country or hcid: the NCP to ask');
  const code = country && text(country, 'valueCode' in country ? 'valueCode' : 'valueString', 'country');
  if (code !== undefined && !/^[A-Z]{2}$/.test(code)) throw invalid(`country "${code}" is not an ISO 3166 alpha-2 code`);
  const identifiers = params.filter((p) => p.name === 'identifier').map((p) => identifierOf(p.part));
  if (identifiers.length === 0) throw invalid('$ncp-identify needs at least one identifier: the ones the patient\'s country requires');
  const gender = one('gender');
  const genderCode = gender && text(gender, 'valueCode', 'gender');
  if (genderCode !== undefined && !GENDERS[genderCode]) throw invalid(`gender "${genderCode}" is not male, female or unknown`);
  const birth = one('birthDate');
  const birthDate = birth && text(birth, 'valueDate', 'birthDate');
  if (birthDate !== undefined && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(birthDate)) throw invalid(`birthDate "${birthDate}" is not a FHIR date`);
  const family = one('family');
  const given = params.filter((p) => p.name === 'given').map((p) => text(p.part, 'valueString', 'given'));
  return {
    target: code !== undefined ? { country: code } : { homeCommunityId: text(hcid!, 'valueUri', 'hcid') },
    discovery: {
      identifiers,
      demographics: {
        ...(given.length ? { given } : {}),
        ...(family ? { family: text(family, 'valueString', 'family') } : {}),
        ...(genderCode ? { gender: GENDERS[genderCode]! } : {}),
        ...(birthDate ? { birthDate } : {}),
      },
    },
  };
}

function patientResource(p: IdentifiedPatient): Json {
  const d = p.demographics;
  const gender = d.gender === 'M' ? 'male' : d.gender === 'F' ? 'female' : d.gender === 'UN' ? 'unknown' : undefined;
  return {
    resourceType: 'Patient',
    identifier: p.identifiers.filter((i) => i.extension).map((i) => ({ system: `urn:oid:${i.root}`, value: i.extension })),
    ...(d.family || d.given ? { name: [{ ...(d.family ? { family: d.family } : {}), ...(d.given ? { given: d.given } : {}) }] } : {}),
    ...(gender ? { gender } : {}),
    ...(d.birthDate ? { birthDate: d.birthDate } : {}),
  };
}

function bridgeOf(ncpeh: NcpIdentification | undefined): NcpIdentification {
  if (!ncpeh) throw FhirHttpError.of(501, 'not-supported', 'cross-border patient identification is not configured on this gateway (NCPEH_SIGNING_CERT_FILE)');
  return ncpeh;
}

export const ncpIdentify: AuditedHandler = async (ctx: Koa.Context, services, audit) => {
  const { principal } = mhdRequest(ctx, services);
  const ncpeh = bridgeOf(services.ncpeh);
  ncpeh.requireMayIdentify(principal);
  const request = requestOf(await readResourceBody(ctx, BODY_LIMITS.resource, services.inputLimits));
  const ncp = ncpeh.ncp(request.target);
  if (!ncp?.ehdsi) throw FhirHttpError.of(404, 'not-found', `no foreign NCP for ${'country' in request.target ? `country ${request.target.country}` : request.target.homeCommunityId} in the community directory`);
  audit.note({ communities: [{ endpoint: ncp.ehdsi.xcpdUrl, homeCommunityId: ncp.homeCommunityId, country: ncp.ehdsi.country }] });
  let patients: IdentifiedPatient[];
  try {
    patients = await ncpeh.identify({ ...ncp, ehdsi: ncp.ehdsi }, principal, request.discovery);
  } catch (err) {
    if (!(err instanceof NcpCallError)) throw err;
    throw err.transient
      ? new FhirHttpError(503, [{ severity: 'error', code: 'transient', diagnostics: `the NCP of ${ncp.ehdsi.country} did not answer: ${err.message}` }], { 'Retry-After': '30' })
      : FhirHttpError.of(502, 'exception', `the NCP of ${ncp.ehdsi.country} refused the identification: ${err.message}`);
  }
  if (patients.length === 1) audit.note({ patientId: patients[0]!.patientId });
  await audit.succeeded();
  sendResource(ctx, 200, {
    resourceType: 'Bundle',
    type: 'searchset',
    total: patients.length,
    entry: patients.map((p) => ({ resource: patientResource(p), search: { mode: 'match' } })),
  });
};
