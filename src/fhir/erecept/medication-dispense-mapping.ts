/**
 * FHIR R4 MedicationDispense -> CÚER Vydej (ZalozitVydej), and the dispense CÚER recorded back
 * as a MedicationDispense. The prescription is named by authorizingPrescription: a reference
 * MedicationRequest/{ID_Dokladu} or its CÚER identifier.
 */
import type { UlozenyPredpis, Vydej } from '../../bridges/erecept/cuer-types';
import { FhirHttpError } from '../http/http-error';
import { CUER_ID_SYSTEM, medicationRequestOf, polozkaOf } from './medication-request-mapping';

type Json = Record<string, unknown>;

const invalid = (diagnostics: string, expression: string) => FhirHttpError.of(422, 'invalid', diagnostics, expression);
const ID_DOKLADU = /^[0-9A-Z]{12}$/;

function prescriptionId(resource: Json): string {
  const refs = Array.isArray(resource.authorizingPrescription) ? (resource.authorizingPrescription as Json[]) : [];
  if (refs.length !== 1) throw invalid('name exactly one prescription in authorizingPrescription', 'MedicationDispense.authorizingPrescription');
  const ref = refs[0]!;
  const id = typeof ref.reference === 'string' ? /^(?:.*\/)?MedicationRequest\/([^/]+)$/.exec(ref.reference)?.[1] : undefined;
  const identifier = ref.identifier as Json | undefined;
  const value = id ?? (identifier?.system === CUER_ID_SYSTEM && typeof identifier.value === 'string' ? identifier.value : undefined);
  if (!value || !ID_DOKLADU.test(value)) throw invalid(`authorizingPrescription must reference MedicationRequest/{CÚER ID_Dokladu} or carry an identifier of ${CUER_ID_SYSTEM}`, 'MedicationDispense.authorizingPrescription');
  return value;
}

export interface DispenseRequest {
  idDokladu: string;
  vydej: Vydej;
}

/** `lekarnik`: the CÚER user the gateway acts as; `lekarna`: the pharmacy's code (config, or the location's identifier). */
export function dispenseOf(resource: Json, lekarnik: string, lekarna: string | undefined): DispenseRequest {
  if (resource.resourceType !== 'MedicationDispense') throw FhirHttpError.of(400, 'invalid', 'the body must be a MedicationDispense');
  if (resource.status !== 'completed') throw invalid('a dispense recorded in CÚER is completed (status "completed")', 'MedicationDispense.status');
  const location = (resource.location as Json | undefined)?.identifier as Json | undefined;
  const pharmacy = typeof location?.value === 'string' ? location.value : lekarna;
  if (!pharmacy) throw invalid('name the pharmacy: location.identifier (or set ERECEPT_PHARMACY_CODE)', 'MedicationDispense.location');
  const handed = typeof resource.whenHandedOver === 'string' && /^\d{4}-\d{2}-\d{2}/.test(resource.whenHandedOver) ? resource.whenHandedOver.slice(0, 10) : new Date().toISOString().slice(0, 10);
  const dosage = Array.isArray(resource.dosageInstruction) ? ((resource.dosageInstruction as Json[])[0]?.text as string | undefined) : undefined;
  return {
    idDokladu: prescriptionId(resource),
    vydej: { datumVydeje: handed, lekarnik, lekarna: pharmacy, polozky: [polozkaOf(resource, resource.quantity, dosage, 'MedicationDispense')] },
  };
}

export function medicationDispenseOf(idVydeje: string, predpis: UlozenyPredpis): Json {
  const vydej = predpis.vydeje.find((v) => v.idVydeje === idVydeje);
  const request = medicationRequestOf(predpis);
  const item = vydej?.polozky[0];
  return {
    resourceType: 'MedicationDispense',
    id: idVydeje,
    identifier: [{ system: `${CUER_ID_SYSTEM}/ID_Vydeje`, value: idVydeje }],
    status: 'completed',
    contained: request.contained,
    subject: request.subject,
    authorizingPrescription: [{ reference: `MedicationRequest/${predpis.idDokladu}` }],
    ...(vydej ? { whenHandedOver: vydej.datumVydeje, location: { identifier: { value: vydej.lekarna } } } : {}),
    ...(item ? { medicationCodeableConcept: (request as { medicationCodeableConcept?: unknown }).medicationCodeableConcept, quantity: { value: item.mnozstvi } } : {}),
  };
}
