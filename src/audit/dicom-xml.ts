/**
 * FHIR AuditEvent -> DICOM PS3.15 A.5 audit message (the RFC 3881 successor) that
 * syslog Audit Record Repositories expect as the MSG of an ITI-20 message. Generated
 * from the stored AuditEvent, so the syslog copy and the FHIR copy never disagree, and
 * events received from other actors can be forwarded the same way (which is why the
 * optional parts are read defensively even where our own builder always fills them).
 */
import { DCM, EntityRole, IHE_EVENT_TYPE, RESTFUL_INTERACTION, XDS_SUBMISSION_SET_CLASS } from './codes';
import { dicomEventType } from './dicom-event';
import type { AuditEvent, AuditEventAgent, AuditEventEntity, Coding } from './fhir-audit-event';
import { patientIdOf, type PatientIdSystems } from './patient-identifier';
import { element, textElement } from './xml';

interface DicomCode {
  code: string;
  system: string;
  text: string;
}

const SYSTEM_NAMES: Record<string, string> = { [DCM]: 'DCM', [IHE_EVENT_TYPE]: 'IHE Transactions' };

function dicomCode(c: Coding): DicomCode {
  const system = c.system ?? '';
  const code = c.code ?? '';
  return { code, system: SYSTEM_NAMES[system] ?? (system.startsWith('urn:oid:') ? system.slice(8) : system), text: c.display ?? code };
}

function coded(name: string, c: DicomCode): string {
  return element(name, { 'csd-code': c.code, codeSystemName: c.system, originalText: c.text });
}

function eventIdentification(event: AuditEvent): string {
  return element(
    'EventIdentification',
    { EventActionCode: event.action, EventDateTime: event.recorded, EventOutcomeIndicator: event.outcome ?? '0' },
    [
      // A BALP event's DICOM copy carries the DICOM event ID of its transaction, not FHIR's rest and interaction codes.
      coded('EventID', dicomCode(dicomEventType(event))),
      ...(event.subtype ?? []).filter((s) => s.system !== RESTFUL_INTERACTION).map((s) => coded('EventTypeCode', dicomCode(s))),
      ...(event.outcomeDesc ? [textElement('EventOutcomeDescription', event.outcomeDesc)] : []),
      ...(event.purposeOfEvent ?? []).flatMap((p) => p.coding ?? []).map((c) => coded('PurposeOfUse', dicomCode(c))),
    ],
  );
}

function activeParticipant(agent: AuditEventAgent): string {
  const who = agent.who;
  return element(
    'ActiveParticipant',
    {
      UserID: who?.identifier?.value ?? who?.reference ?? who?.display ?? 'unknown',
      AlternativeUserID: agent.altId,
      UserName: agent.name ?? who?.display,
      UserIsRequestor: agent.requestor,
      NetworkAccessPointID: agent.network?.address,
      NetworkAccessPointTypeCode: agent.network?.type,
    },
    [...(agent.type?.coding ?? []), ...(agent.role ?? []).flatMap((r) => r.coding ?? [])].map((c) => coded('RoleIDCode', dicomCode(c))),
  );
}

function auditSource(event: AuditEvent): string {
  const observer = event.source.observer;
  return element(
    'AuditSourceIdentification',
    { AuditEnterpriseSiteID: event.source.site, AuditSourceID: observer.identifier?.value ?? observer.reference ?? observer.display ?? 'unknown' },
    (event.source.type ?? []).map((t) => coded('AuditSourceTypeCode', { code: t.code ?? '', system: 'DCM', text: t.display ?? t.code ?? '' })),
  );
}

const PATIENT_NUMBER: DicomCode = { code: '2', system: 'RFC-3881', text: 'Patient Number' };
const REPORT_NUMBER: DicomCode = { code: '9', system: 'RFC-3881', text: 'Report Number' };
const URI: DicomCode = { code: '12', system: 'RFC-3881', text: 'URI' };
const SUBMISSION_SET: DicomCode = { code: XDS_SUBMISSION_SET_CLASS, system: 'IHE XDS Metadata', text: 'submission set classificationNode' };

const stripOid = (v: string) => (v.startsWith('urn:oid:') ? v.slice(8) : v);

/** ParticipantObjectID and its type code: XDS audits identify objects in their XDS forms (CX, bare OIDs). */
function objectId(entity: AuditEventEntity, event: AuditEvent, systems: PatientIdSystems): { id: string; type: DicomCode } {
  const identifier = entity.what?.identifier;
  const value = identifier?.value ?? entity.what?.reference ?? '';
  const typed = identifier?.type?.coding?.[0];
  const transaction = event.subtype?.find((s) => s.system === IHE_EVENT_TYPE);
  switch (entity.role?.code) {
    case EntityRole.Patient.code:
      return { id: identifier ? patientIdOf(identifier, systems) : value, type: PATIENT_NUMBER };
    case EntityRole.Report.code:
      return { id: stripOid(value), type: REPORT_NUMBER };
    case EntityRole.Job.code:
      return { id: stripOid(value), type: SUBMISSION_SET };
    case EntityRole.Query.code:
      if (transaction) return { id: value || (transaction.code ?? ''), type: dicomCode(transaction) };
  }
  return { id: value, type: typed ? dicomCode(typed) : URI };
}

function participantObject(entity: AuditEventEntity, event: AuditEvent, systems: PatientIdSystems): string {
  const { id, type } = objectId(entity, event, systems);
  return element(
    'ParticipantObjectIdentification',
    {
      ParticipantObjectID: id,
      ParticipantObjectTypeCode: entity.type?.code,
      ParticipantObjectTypeCodeRole: entity.role?.code,
      ParticipantObjectDataLifeCycle: entity.lifecycle?.code,
    },
    [
      coded('ParticipantObjectIDTypeCode', type),
      // The schema allows a name or a query, not both.
      ...(entity.query ? [textElement('ParticipantObjectQuery', entity.query)] : entity.name ? [textElement('ParticipantObjectName', entity.name)] : []),
      ...(entity.detail ?? []).map((d) =>
        element('ParticipantObjectDetail', { type: d.type, value: d.valueBase64Binary ?? Buffer.from(d.valueString ?? '', 'utf8').toString('base64') }),
      ),
      ...(entity.description ? [textElement('ParticipantObjectDescription', entity.description)] : []),
    ],
  );
}

export function dicomAuditXml(event: AuditEvent, patientIdSystems: PatientIdSystems = {}): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    element('AuditMessage', {}, [
      eventIdentification(event),
      ...(event.agent ?? []).map(activeParticipant),
      auditSource(event),
      ...(event.entity ?? []).map((e) => participantObject(e, event, patientIdSystems)),
    ])
  );
}
