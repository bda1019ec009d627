/**
 * AuditEvent.meta.profile: the IHE audit profiles an event conforms to, declared only where
 * the event meets every constraint of the profile, so a validator that checks the claim
 * finds it true.
 *
 * - ITI-65: MHD 4.2 IHE.MHD.ProvideBundle.Audit.Recipient (served) / .Source (initiated),
 *   profiles of AuditEvent itself: DICOM Import/Export, subtype ITI-65, the Source and
 *   Destination Role ID agents, and exactly the patient and submission-set entities they
 *   require (so only once both are known).
 * - Not declared: the MHD 4.2 ITI-66/67/68 and PIXm ITI-104 audit profiles derive from BALP
 *   (IHE.BasicAudit.PatientQuery / PatientRead / PatientCreate / PatientUpdate), which fix
 *   AuditEvent.type to audit-event-type#rest, reverse the agent roles of a read and admit
 *   successes only; these events carry the DICOM event types of ITI TF-2 (which the DICOM
 *   syslog export and ITI-81 type searches rely on), so they claim no BALP profile.
 */
import { EntityRole } from './codes';
import type { AuditEvent } from './fhir-audit-event';
import type { AuditSide, AuditTransaction } from './transactions';

const MHD = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition';

const AuditProfiles = {
  provideBundleRecipient: `${MHD}/IHE.MHD.ProvideBundle.Audit.Recipient`,
  provideBundleSource: `${MHD}/IHE.MHD.ProvideBundle.Audit.Source`,
} as const;

function hasEntity(event: Pick<AuditEvent, 'entity'>, role: string): boolean {
  return (event.entity ?? []).some((e) => e.role?.code === role);
}

export function auditProfiles(transaction: AuditTransaction, side: AuditSide, event: Pick<AuditEvent, 'entity'>): string[] {
  if (transaction === 'ITI-65' && hasEntity(event, EntityRole.Patient.code) && hasEntity(event, EntityRole.Job.code)) {
    return [side === 'served' ? AuditProfiles.provideBundleRecipient : AuditProfiles.provideBundleSource];
  }
  return [];
}
