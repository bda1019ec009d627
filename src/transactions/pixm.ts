/**
 * ITI-104 Patient Identity Feed FHIR (PIXm 3): a conditional update of a Patient. The Patient
 * is also read by id and searched by identifier (so the Location answered can be followed);
 * those plain FHIR interactions are not audited as ITI-104.
 */
import { on } from './access';
import type { TransactionDescriptor } from './descriptor';

export const ITI_104 = {
  id: 'ITI-104',
  name: 'Patient Identity Feed FHIR',
  audit: { kind: 'patient', rest: 'update' },
  fhir: [
    { method: 'PUT', path: '/Patient', handler: 'feed', access: on('Patient', 'update') },
    { method: 'GET', path: '/Patient', handler: 'search', access: on('Patient', 'search'), audited: false },
    { method: 'GET', path: '/Patient/:id', handler: 'read', access: on('Patient', 'read'), audited: false },
  ],
} as const satisfies TransactionDescriptor;
