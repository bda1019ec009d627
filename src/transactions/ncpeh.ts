/**
 * The doctor-facing step of the NCPeH bridge: identify a foreign patient at that country's
 * National Contact Point (POST /fhir/Patient/$ncp-identify, which runs XCPD ITI-55 there). No
 * IHE transaction of its own: its id names the bridge, it is audited as a patient search, and
 * it needs the grant to search patients (the grant ITI-55 needs). A patient-context caller may
 * not identify anybody (the handler refuses it: the person found is not the caller's patient).
 */
import { on } from './access';
import type { TransactionDescriptor } from './descriptor';

export const NCP_IDENTIFY = {
  id: 'NCP-IDENTIFY',
  name: 'NCPeH Identify Foreign Patient (XCPD at the National Contact Point)',
  audit: { kind: 'query', rest: 'search-type' },
  fhir: [{ method: 'POST', path: '/Patient/$ncp-identify', handler: 'identify', access: on('Patient', 'search') }],
} as const satisfies TransactionDescriptor;
