/**
 * The FHIR facade of the eRecept bridge (routes in src/transactions/erecept.ts):
 *
 *   POST /fhir/MedicationRequest                   prescribe (CÚER ZalozitPredpis); 201, id = ID_Dokladu
 *   GET  /fhir/MedicationRequest/{id}              read (NacistPredpis)
 *   GET  /fhir/MedicationRequest?patient:identifier=system|value[&status=active|completed|cancelled]
 *                                                  a patient's prescriptions (NacistSeznamPredpisuPacienta)
 *   PUT  /fhir/MedicationRequest/{id}              change (ZmenitPredpis)
 *   POST /fhir/MedicationRequest/{id}/$cancel      cancel (ZrusitPredpis); Parameters "reason" (valueString) optional
 *   POST /fhir/MedicationDispense                  dispense (ZalozitVydej); 201
 *
 * Without ERECEPT_URL the bridge is off and every one of them answers 501 (the interactions
 * exist in this server but are not configured). CÚER's failures become OperationOutcomes in
 * cuer-outcome.ts.
 */
import type Koa from 'koa';
import type { BridgeRequest, EreceptBridge } from '../../bridges/erecept/erecept-bridge';
import type { PacientKlic, StavPredpisu } from '../../bridges/erecept/cuer-types';
import { RCIS_SYSTEM, RID_SYSTEM } from '../../domain/czech-identifiers';
import type { AuditedHandler } from '../http/audit';
import { FhirHttpError } from '../http/http-error';
import { BODY_LIMITS } from '../http/limits';
import { readResourceBody } from '../http/request-body';
import { sendResource } from '../http/respond';
import { mhdRequest, routeParam, type MhdServices } from '../http/services';
import { cuerOutcome } from './cuer-outcome';
import { dispenseOf, medicationDispenseOf } from './medication-dispense-mapping';
import { knownStatus, medicationRequestOf, predpisOf, stavyOf } from './medication-request-mapping';

const ID_DOKLADU = /^[0-9A-Z]{12}$/;

function bridgeOf(services: MhdServices): EreceptBridge {
  if (!services.erecept) throw FhirHttpError.of(501, 'not-supported', 'the eRecept bridge is not configured on this gateway (ERECEPT_URL)');
  return services.erecept;
}

/** A bridge call, with CÚER's failures as the FHIR answers they call for. */
async function viaCuer<T>(bridge: EreceptBridge, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw cuerOutcome(err, bridge.config.retryAfterSeconds) ?? err;
  }
}

function prescriptionId(ctx: Koa.Context): string {
  const id = routeParam(ctx, 'id');
  if (!ID_DOKLADU.test(id)) throw FhirHttpError.of(404, 'not-found', `MedicationRequest/${id} is not known: a CÚER prescription id has 12 characters 0-9 A-Z`);
  return id;
}

/** The handlers of every eRecept route with what they share: the bridge, the caller, the audit scope. */
type EreceptHandler = (ctx: Koa.Context, bridge: EreceptBridge, req: BridgeRequest, services: MhdServices) => Promise<void>;

function handler(h: EreceptHandler): AuditedHandler {
  return async (ctx, services, audit) => {
    const bridge = bridgeOf(services);
    await h(ctx, bridge, { audit, principal: mhdRequest(ctx, services).principal }, services);
  };
}

const create = handler(async (ctx, bridge, req, services) => {
  const predpis = predpisOf(await readResourceBody(ctx, BODY_LIMITS.resource, services.inputLimits), bridge.user);
  const stored = await viaCuer(bridge, () => bridge.prescribe(predpis, req));
  ctx.set('Location', `${mhdRequest(ctx, services).base}/MedicationRequest/${stored.idDokladu}`);
  sendResource(ctx, 201, medicationRequestOf(stored));
});

const read = handler(async (ctx, bridge, req) => {
  const id = prescriptionId(ctx);
  sendResource(ctx, 200, medicationRequestOf(await viaCuer(bridge, () => bridge.read(id, req))));
});

/** patient:identifier / subject:identifier (system|value) of the RID or rodné číslo systems. */
function patientKey(params: URLSearchParams): PacientKlic {
  const token = params.get('patient:identifier') ?? params.get('subject:identifier');
  const bar = token?.indexOf('|') ?? -1;
  const [system, value] = bar >= 0 ? [token!.slice(0, bar), token!.slice(bar + 1)] : [undefined, undefined];
  if (system === RID_SYSTEM && value) return { rid: value };
  if (system === RCIS_SYSTEM && value) return { cp: value };
  throw FhirHttpError.of(400, 'required', `search by patient:identifier=${RID_SYSTEM}|… or ${RCIS_SYSTEM}|… (CÚER lists one patient's prescriptions)`);
}

const search = handler(async (ctx, bridge, req, services) => {
  const params = new URLSearchParams(ctx.querystring);
  const klic = patientKey(params);
  const status = params.get('status');
  if (status !== null && !knownStatus(status)) throw FhirHttpError.of(400, 'value', `status ${status} is not one an eRecept has (active, completed, cancelled)`);
  const stavy = status === null ? undefined : stavyOf(status);
  // One CÚER state is asked of CÚER; FHIR's active covers two, which are filtered here.
  const stav: StavPredpisu | undefined = stavy?.length === 1 ? stavy[0] : undefined;
  const predpisy = (await viaCuer(bridge, () => bridge.list(klic, stav, req))).filter((p) => !stavy || stavy.includes(p.stav));
  const base = mhdRequest(ctx, services).base;
  sendResource(ctx, 200, {
    resourceType: 'Bundle',
    type: 'searchset',
    total: predpisy.length,
    link: [{ relation: 'self', url: `${base}/MedicationRequest?${ctx.querystring}` }],
    entry: predpisy.map((p) => ({ fullUrl: `${base}/MedicationRequest/${p.idDokladu}`, resource: medicationRequestOf(p), search: { mode: 'match' } })),
  });
});

const update = handler(async (ctx, bridge, req, services) => {
  const id = prescriptionId(ctx);
  const body = await readResourceBody(ctx, BODY_LIMITS.resource, services.inputLimits);
  if (body.id !== id) throw FhirHttpError.of(400, 'invalid', `the body's id (${String(body.id)}) is not the id in the URL (${id})`, 'MedicationRequest.id');
  if (body.status === 'cancelled') throw FhirHttpError.of(422, 'business-rule', 'cancel a prescription with POST MedicationRequest/{id}/$cancel', 'MedicationRequest.status');
  const predpis = predpisOf(body, bridge.user);
  sendResource(ctx, 200, medicationRequestOf(await viaCuer(bridge, () => bridge.change(id, predpis, req))));
});

/** The optional Parameters body of $cancel: reason (valueString). */
async function cancelReason(ctx: Koa.Context, services: MhdServices): Promise<string> {
  if (!ctx.get('Content-Type') || Number(ctx.get('Content-Length') || '0') === 0) return 'zrušeno předepisujícím';
  const body = await readResourceBody(ctx, BODY_LIMITS.resource, services.inputLimits);
  if (body.resourceType !== 'Parameters') throw FhirHttpError.of(400, 'invalid', '$cancel takes a Parameters resource (or no body)');
  const reason = (Array.isArray(body.parameter) ? (body.parameter as Array<Record<string, unknown>>) : []).find((p) => p.name === 'reason')?.valueString;
  return typeof reason === 'string' && reason.trim() !== '' ? reason : 'zrušeno předepisujícím';
}

const cancel = handler(async (ctx, bridge, req, services) => {
  const id = prescriptionId(ctx);
  const reason = await cancelReason(ctx, services);
  sendResource(ctx, 200, medicationRequestOf(await viaCuer(bridge, () => bridge.cancel(id, reason, req))));
});

const dispense = handler(async (ctx, bridge, req, services) => {
  const { idDokladu, vydej } = dispenseOf(await readResourceBody(ctx, BODY_LIMITS.resource, services.inputLimits), bridge.user, bridge.config.pharmacyCode);
  const { idVydeje, predpis } = await viaCuer(bridge, () => bridge.dispense(idDokladu, vydej, req));
  ctx.set('Location', `${mhdRequest(ctx, services).base}/MedicationDispense/${idVydeje}`);
  sendResource(ctx, 201, medicationDispenseOf(idVydeje, predpis));
});

export const ereceptHandlers = {
  'ERP-PRESCRIBE': { create },
  'ERP-READ': { read },
  'ERP-SEARCH': { search },
  'ERP-CHANGE': { update },
  'ERP-CANCEL': { cancel },
  'ERP-DISPENSE': { create: dispense },
} as const;
