// TEST ONLY: a MedicationRequest the eRecept bridge accepts (one SÚKL product, a contained patient with a RID).
import { ICZ_SYSTEM, RID_SYSTEM, SUKL_PRODUCT_SYSTEM } from '../../../src/domain/czech-identifiers';

type Json = Record<string, any>;

/** A valid RID: 10 digits divisible by 13. */
export const RID = '1234567893';

export function medicationRequest(overrides: Json = {}): Json {
  return {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    contained: [{ resourceType: 'Patient', id: 'p', identifier: [{ system: RID_SYSTEM, value: RID }], name: [{ family: 'Nováková', given: ['Jana'] }], birthDate: '1980-04-12' }],
    subject: { reference: '#p' },
    authoredOn: '2026-12-07',
    requester: { identifier: { system: ICZ_SYSTEM, value: '72010001' } },
    medicationCodeableConcept: { coding: [{ system: SUKL_PRODUCT_SYSTEM, code: '0013831', display: 'SIMVASTATIN RATIOPHARM 40MG TBL FLM 20' }] },
    dosageInstruction: [{ text: '1 tableta večer' }],
    dispenseRequest: { quantity: { value: 1 } },
    ...overrides,
  };
}
