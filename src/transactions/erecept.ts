/**
 * The eRecept bridge's interactions (SÚKL CÚER behind FHIR MedicationRequest and
 * MedicationDispense). They are no IHE transactions: their ids name the bridge (ERP-*), and
 * each is audited with the Czech HIE guide's event type for what it does to a prescription
 * (create, read, search, update, delete) with the patient it concerns. Prescribing needs a
 * MedicationRequest write grant (`user/MedicationRequest.write` or `.c`), cancelling one an
 * update grant; dispensing a MedicationDispense create grant.
 */
import { on } from './access';
import type { TransactionDescriptor } from './descriptor';

export const ERP_PRESCRIBE = {
  id: 'ERP-PRESCRIBE',
  name: 'eRecept Prescribe (CÚER ZalozitPredpis)',
  audit: { kind: 'push', atc: 'ATC_DOC_CREATE', rest: 'create' },
  fhir: [{ method: 'POST', path: '/MedicationRequest', handler: 'create', access: on('MedicationRequest', 'create') }],
} as const satisfies TransactionDescriptor;

export const ERP_READ = {
  id: 'ERP-READ',
  name: 'eRecept Read Prescription (CÚER NacistPredpis)',
  audit: { kind: 'pull', atc: 'ATC_DOC_READ', rest: 'read' },
  fhir: [{ method: 'GET', path: '/MedicationRequest/:id', handler: 'read', access: on('MedicationRequest', 'read') }],
} as const satisfies TransactionDescriptor;

export const ERP_SEARCH = {
  id: 'ERP-SEARCH',
  name: "eRecept Find a Patient's Prescriptions (CÚER NacistSeznamPredpisuPacienta)",
  audit: { kind: 'query', atc: 'ATC_DOC_SEARCH', rest: 'search-type' },
  fhir: [{ method: 'GET', path: '/MedicationRequest', handler: 'search', access: on('MedicationRequest', 'search') }],
} as const satisfies TransactionDescriptor;

export const ERP_CHANGE = {
  id: 'ERP-CHANGE',
  name: 'eRecept Change Prescription (CÚER ZmenitPredpis)',
  audit: { kind: 'update', atc: 'ATC_DOC_UPDATE', rest: 'update' },
  fhir: [{ method: 'PUT', path: '/MedicationRequest/:id', handler: 'update', access: on('MedicationRequest', 'update') }],
} as const satisfies TransactionDescriptor;

export const ERP_CANCEL = {
  id: 'ERP-CANCEL',
  name: 'eRecept Cancel Prescription (CÚER ZrusitPredpis)',
  audit: { kind: 'remove', atc: 'ATC_DOC_DELETE' },
  fhir: [{ method: 'POST', path: '/MedicationRequest/:id/$cancel', handler: 'cancel', access: on('MedicationRequest', 'update') }],
} as const satisfies TransactionDescriptor;

export const ERP_DISPENSE = {
  id: 'ERP-DISPENSE',
  name: 'eRecept Dispense (CÚER ZalozitVydej)',
  audit: { kind: 'push', atc: 'ATC_DOC_CREATE', rest: 'create' },
  fhir: [{ method: 'POST', path: '/MedicationDispense', handler: 'create', access: on('MedicationDispense', 'create') }],
} as const satisfies TransactionDescriptor;
