/**
 * FHIR R4 MedicationRequest <-> CÚER prescription (Predpis / UlozenyPredpis), as the table in
 * ihe-profiles/erecept-mapping.md gives it. The patient travels as a contained Patient
 * (subject "#…"), since CÚER needs name and birth date, not only an identifier; the product is a
 * SÚKL code in medicationCodeableConcept. What CÚER cannot hold is refused (422), not dropped.
 */
import { ATC_SYSTEM, ICZ_SYSTEM, RCIS_SYSTEM, RID_SYSTEM, SUKL_PRODUCT_SYSTEM } from '../../domain/czech-identifiers';
import type { Pacient, Polozka, Predpis, StavPredpisu, UlozenyPredpis } from '../../bridges/erecept/cuer-types';
import { FhirHttpError } from '../http/http-error';

/** The system of the CÚER identifier (ID_Dokladu) on MedicationRequest.identifier (ASSUMED URI: SÚKL publishes none). */
export const CUER_ID_SYSTEM = 'https://www.sukl.cz/erecept/ID_Dokladu';

type Json = Record<string, unknown>;
type Coding = { system?: string; code?: string; display?: string };

const invalid = (diagnostics: string, expression: string) => FhirHttpError.of(422, 'invalid', diagnostics, expression);
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => !!obj(x)) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const DATE = /^\d{4}-\d{2}-\d{2}/;

function identifierValue(identifiers: unknown, system: string): string | undefined {
  return str(arr(identifiers).find((i) => i.system === system)?.value);
}

function containedPatient(resource: Json, path: string): Pacient {
  const ref = str(obj(resource.subject)?.reference);
  if (!ref?.startsWith('#')) throw invalid('subject must reference a contained Patient ("#id"): CÚER needs the patient\'s name and birth date', `${path}.subject`);
  const patient = arr(resource.contained).find((c) => c.resourceType === 'Patient' && c.id === ref.slice(1));
  if (!patient) throw invalid(`no contained Patient with id ${ref.slice(1)}`, `${path}.contained`);
  const name = arr(patient.name)[0];
  const family = str(name?.family);
  const given = Array.isArray(name?.given) ? (name.given as unknown[]).filter((g): g is string => typeof g === 'string') : [];
  if (!family || given.length === 0) throw invalid('the patient needs a family and a given name', 'Patient.name');
  const birthDate = str(patient.birthDate);
  if (!birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) throw invalid('the patient needs a full birthDate (YYYY-MM-DD)', 'Patient.birthDate');
  const rid = identifierValue(patient.identifier, RID_SYSTEM);
  const rc = identifierValue(patient.identifier, RCIS_SYSTEM);
  if (!rid && !rc) throw invalid(`the patient needs an identifier of ${RID_SYSTEM} or ${RCIS_SYSTEM}`, 'Patient.identifier');
  return { prijmeni: family, jmena: given.join(' '), datumNarozeni: birthDate, ...(rid ? { rid } : {}), ...(rc ? { cp: rc } : {}) };
}

/** medicationCodeableConcept with a SÚKL code (and an ATC code, optional), quantity, dosage text. */
export function polozkaOf(resource: Json, quantity: unknown, instruction: string | undefined, path: string): Polozka {
  const codings = arr(obj(resource.medicationCodeableConcept)?.coding) as Coding[];
  const sukl = codings.find((c) => c.system === SUKL_PRODUCT_SYSTEM);
  if (!sukl?.code || !/^\d{7}$/.test(sukl.code)) throw invalid(`medicationCodeableConcept needs a SÚKL product code (${SUKL_PRODUCT_SYSTEM}, 7 digits)`, `${path}.medicationCodeableConcept`);
  const atc = codings.find((c) => c.system === ATC_SYSTEM)?.code;
  const value = obj(quantity)?.value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalid('the quantity must be a whole number of packages, at least 1', `${path}.quantity`);
  return { kod: sukl.code, ...(sukl.display ? { nazev: sukl.display } : {}), ...(atc ? { atc } : {}), mnozstvi: value, ...(instruction ? { navod: instruction } : {}) };
}

/** A MedicationRequest (create or update body) as the Predpis CÚER takes; `lekar` is the CÚER user the gateway acts as. */
export function predpisOf(resource: Json, lekar: string): Predpis {
  if (resource.resourceType !== 'MedicationRequest') throw FhirHttpError.of(400, 'invalid', 'the body must be a MedicationRequest');
  if (resource.intent !== 'order') throw invalid('an eRecept is an order (intent "order")', 'MedicationRequest.intent');
  const authoredOn = str(resource.authoredOn);
  const datumVystaveni = authoredOn && DATE.test(authoredOn) ? authoredOn.slice(0, 10) : new Date().toISOString().slice(0, 10);
  const dispenseRequest = obj(resource.dispenseRequest);
  const end = str(obj(dispenseRequest?.validityPeriod)?.end);
  const navod = str(arr(resource.dosageInstruction)[0]?.text);
  const pozn = str(arr(resource.note)[0]?.text);
  // Reference.identifier is a single Identifier.
  const requester = obj(obj(resource.requester)?.identifier);
  const icz = requester?.system === ICZ_SYSTEM ? str(requester.value) : undefined;
  return {
    datumVystaveni,
    ...(end && DATE.test(end) ? { platnostDo: end.slice(0, 10) } : {}),
    pacient: containedPatient(resource, 'MedicationRequest'),
    predepisujici: { lekar, ...(icz ? { icz } : {}) },
    polozky: [polozkaOf(resource, dispenseRequest?.quantity, navod, 'MedicationRequest.dispenseRequest')],
    ...(pozn ? { pozn } : {}),
  };
}

const STATUS: Record<StavPredpisu, string> = { PREDEPSANY: 'active', CASTECNE_VYDANY: 'active', VYDANY: 'completed', ZRUSENY: 'cancelled' };

/** A FHIR status searched for, as the CÚER states it covers. */
export function stavyOf(status: string): StavPredpisu[] {
  return (Object.keys(STATUS) as StavPredpisu[]).filter((s) => STATUS[s] === status);
}

export function knownStatus(status: string): boolean {
  return stavyOf(status).length > 0;
}

function patientResource(p: Pacient): Json {
  return {
    resourceType: 'Patient',
    id: 'patient',
    identifier: [...(p.rid ? [{ system: RID_SYSTEM, value: p.rid }] : []), ...(p.cp ? [{ system: RCIS_SYSTEM, value: p.cp }] : [])],
    name: [{ family: p.prijmeni, given: p.jmena.split(' ') }],
    birthDate: p.datumNarozeni,
  };
}

/** A prescription CÚER keeps, as a MedicationRequest (id = ID_Dokladu; one per prescribed item is not needed: the bridge prescribes one item per eRecept). */
export function medicationRequestOf(p: UlozenyPredpis): Json {
  const item = p.polozky[0];
  return {
    resourceType: 'MedicationRequest',
    id: p.idDokladu,
    identifier: [{ system: CUER_ID_SYSTEM, value: p.idDokladu }],
    status: STATUS[p.stav],
    intent: 'order',
    contained: [patientResource(p.pacient)],
    subject: { reference: '#patient' },
    authoredOn: p.datumVystaveni,
    requester: { identifier: p.predepisujici.icz ? { system: ICZ_SYSTEM, value: p.predepisujici.icz } : { value: p.predepisujici.lekar } },
    ...(item
      ? {
          medicationCodeableConcept: {
            coding: [{ system: SUKL_PRODUCT_SYSTEM, code: item.kod, ...(item.nazev ? { display: item.nazev } : {}) }, ...(item.atc ? [{ system: ATC_SYSTEM, code: item.atc }] : [])],
          },
          ...(item.navod ? { dosageInstruction: [{ text: item.navod }] } : {}),
          dispenseRequest: { quantity: { value: item.mnozstvi }, ...(p.platnostDo ? { validityPeriod: { end: p.platnostDo } } : {}) },
        }
      : {}),
    ...(p.pozn ? { note: [{ text: p.pozn }] } : {}),
  };
}
