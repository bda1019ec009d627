// Shared inputs for the audit tests: a context like the Czech default profile's, a
// clinician principal, and a builder of events with unique ids.
import type { AuditContext, AuditInput } from '../../../src/audit/audit-input';
import { buildAuditEvent } from '../../../src/audit/build-audit-event';
import type { AuditEvent } from '../../../src/audit/fhir-audit-event';
import type { Principal } from '../../../src/domain/principal';
import { patientCx, TEST_AUTHORITY } from '../../support/metadata-builders';

export const RID = 'https://ncez.mzcr.cz/fhir/sid/rid';

export const CONTEXT: AuditContext = {
  sourceId: 'hie-gateway@test-host',
  enterpriseSiteId: '1.2.203.999.7',
  hostname: 'gw.test.example',
  patientIdSystems: { [RID]: TEST_AUTHORITY },
};

export const CLINICIAN: Principal = {
  subject: 'krzp:2000000090092',
  displayName: 'MUDr. Mračena Mrakomorová',
  organization: { id: 'icz:12345678', name: 'Nemocnice Test' },
  role: { code: 'HCP', scheme: 'https://hl7.cz/fhir/hie/CodeSystem/cz-participants-cs', display: 'Healthcare professional' },
  purposeOfUse: [{ code: 'NORM', scheme: 'https://hl7.cz/fhir/hie/CodeSystem/cz-purposeOfUse-cs', display: 'Normální přístup' }],
  clientId: 'his-client-1',
  address: '192.0.2.10',
};

/** A successful ITI-65 create for a fresh patient, recorded `msAgo` milliseconds ago. */
export function createInput(overrides: Partial<AuditInput> = {}): AuditInput {
  return {
    transaction: 'ITI-65',
    outcome: '0',
    principal: CLINICIAN,
    patientId: patientCx(),
    submissionSet: { uniqueId: '1.2.203.999.1.1' },
    documents: [{ uniqueId: '1.2.203.999.2.1', entryUuid: 'urn:uuid:11111111-2222-4333-8444-555555555555', repositoryUniqueId: '1.2.203.999.3' }],
    endpoint: 'https://gw.test.example/fhir',
    ...overrides,
  };
}

export function events(count: number, overrides: Partial<AuditInput> = {}): AuditEvent[] {
  return Array.from({ length: count }, () => buildAuditEvent(createInput(overrides), CONTEXT));
}
