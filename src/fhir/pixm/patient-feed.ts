/**
 * ITI-104 Patient Identity Feed FHIR (PIXm 3): a conditional update
 * `PUT [base]/Patient?identifier=system|value` makes the patient known to the registry
 * (its patient checks), 201 when new and 200 when updated, answering with the Patient
 * as stored. The identifier system must map to an assigning authority of the affinity
 * domain (e.g. the Czech RID system), else XDSUnknownPatientId.
 *
 * The Patient's id is the gateway's (derived from the identifier, see
 * patient-resource-id.ts): a client-sent id is replaced, as on a FHIR create. Also read
 * by id and search by identifier, so the Location answered can be followed.
 * The feed is audited as ITI-104 (action C when new, U when updated) before it answers.
 */
import type Koa from 'koa';
import { FhirHttpError } from '../http/http-error';
import { BODY_LIMITS } from '../http/limits';
import { parseIdentifierToken, requirePatientCx, storedPatient, storedPatientById, type PatientResource } from './patients';
import { patientResourceId } from '../../domain/patient-resource-id';
import { readResourceBody } from '../http/request-body';
import { sendResource } from '../http/respond';
import type { AuditedHandler } from '../http/audit';
import { mhdRequest, routeParam, type MhdHandler } from '../http/services';

function identifierParameter(ctx: Koa.Context): string {
  const raw = ctx.query.identifier;
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (values.length !== 1) {
    throw FhirHttpError.of(400, 'invalid', 'ITI-104 updates one patient: PUT Patient?identifier=system|value with exactly one identifier');
  }
  return values[0]!;
}

/** The body must be a Patient that carries the identifier it is filed under. */
function checkBody(body: Record<string, unknown>, system: string, value: string): void {
  if (body.resourceType !== 'Patient') throw FhirHttpError.of(400, 'invalid', `PUT Patient takes a Patient, not a ${String(body.resourceType)}`);
  const identifiers = Array.isArray(body.identifier) ? (body.identifier as Array<{ system?: unknown; value?: unknown }>) : [];
  if (!identifiers.some((i) => i && i.system === system && i.value === value)) {
    throw FhirHttpError.of(400, 'invalid', `the Patient must carry the identifier ${system}|${value} that the request URL names`, 'Patient.identifier');
  }
}

export const putPatient: AuditedHandler = async (ctx, services, audit) => {
  const req = mhdRequest(ctx, services);
  const identifier = parseIdentifierToken(identifierParameter(ctx));
  const cx = requirePatientCx(identifier, req.mapping);
  audit.note({ patientId: cx });
  const body = await readResourceBody(ctx, BODY_LIMITS.resource, services.inputLimits);
  checkBody(body, identifier.system!, identifier.value!);
  const id = patientResourceId(cx);
  const { id: _clientId, ...rest } = body;
  const patient: PatientResource = { ...rest, resourceType: 'Patient', ...(id ? { id } : {}) };
  if (id) audit.note({ resource: `Patient/${id}` });
  // The feed and its audit record commit together.
  const { created } = await services.registry.registerPatient(cx, patient, { audit });
  if (id) ctx.set('Location', `${req.base}/Patient/${id}`);
  sendResource(ctx, created ? 201 : 200, patient);
};

export const readPatient: MhdHandler = async (ctx, services) => {
  const req = mhdRequest(ctx, services);
  const id = routeParam(ctx, 'id');
  const patient = await storedPatientById(id, services, req.mapping, req.principal);
  if (!patient) throw FhirHttpError.of(404, 'not-found', `Patient/${id} is not known`);
  sendResource(ctx, 200, patient);
};

/** GET Patient?identifier=system|value: a searchset of the fed patient, or an empty one. */
export const searchPatient: MhdHandler = async (ctx, services) => {
  const req = mhdRequest(ctx, services);
  const other = Object.keys(ctx.query).filter((k) => k !== 'identifier' && k !== '_format');
  if (other.length > 0) throw FhirHttpError.of(400, 'not-supported', `Patient search supports only identifier, not ${other.join(', ')}`);
  const cx = requirePatientCx(parseIdentifierToken(identifierParameter(ctx)), req.mapping);
  const patient = await storedPatient(cx, services, req.mapping, req.principal);
  const entry = patient ? [{ fullUrl: `${req.base}/Patient/${String(patient.id ?? '')}`, resource: patient, search: { mode: 'match' } }] : [];
  sendResource(ctx, 200, { resourceType: 'Bundle', type: 'searchset', total: entry.length, link: [{ relation: 'self', url: `${req.base}/Patient?${ctx.querystring}` }], entry });
};
