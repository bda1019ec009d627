/**
 * AuditEvent.meta.profile: the IHE audit profiles an event conforms to, declared only where
 * the event meets every constraint of the profile, so a validator that checks the claim
 * finds it true.
 *
 * - ITI-65: MHD 4.2 IHE.MHD.ProvideBundle.Audit.Recipient (served) / .Source (initiated),
 *   profiles of AuditEvent itself: DICOM Import/Export, subtype ITI-65, the Source and
 *   Destination Role ID agents, and exactly the patient and submission-set entities they
 *   require (so only once both are known; documents are not named, build-audit-event.ts).
 * - ITI-66, ITI-67 searches: MHD 4.2 IHE.MHD.FindDocumentLists / FindDocumentReferences
 *   .Audit.Responder (served) / .Consumer (initiated), which derive from BALP PatientQuery;
 *   a search of no known patient is a BALP Query. Their reads by id are BALP (Patient)Read.
 * - ITI-68: MHD 4.2 IHE.MHD.RetrieveDocument.Audit.Responder / .Consumer (BALP PatientRead).
 * - ITI-104: PIXm 3 IHE.PIXm.Feed.Create / Update.Audit.Manager (BALP PatientCreate /
 *   PatientUpdate), by what the conditional update did.
 *
 * BALP fixes the outcome to success, requires a network address on the client and server
 * agents, and allows one data (or query) entity: a failure, a client of unknown address, or
 * an event naming more than one object claims no profile. The BALP profile an IHE profile
 * derives from is declared with it, for consumers that know only BALP.
 */
import { AgentType, DCM, EntityRole, EntityType, RESTFUL_INTERACTION } from './codes';
import type { AuditEvent, AuditEventEntity } from './fhir-audit-event';
import type { AuditSide, AuditTransaction } from './transactions';

const MHD = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition';
const PIXM = 'https://profiles.ihe.net/ITI/PIXm/StructureDefinition';
const BALP = 'https://profiles.ihe.net/ITI/BALP/StructureDefinition';

export const AuditProfiles = {
  provideBundleRecipient: `${MHD}/IHE.MHD.ProvideBundle.Audit.Recipient`,
  provideBundleSource: `${MHD}/IHE.MHD.ProvideBundle.Audit.Source`,
  findDocumentListsResponder: `${MHD}/IHE.MHD.FindDocumentLists.Audit.Responder`,
  findDocumentListsConsumer: `${MHD}/IHE.MHD.FindDocumentLists.Audit.Consumer`,
  findDocumentReferencesResponder: `${MHD}/IHE.MHD.FindDocumentReferences.Audit.Responder`,
  findDocumentReferencesConsumer: `${MHD}/IHE.MHD.FindDocumentReferences.Audit.Consumer`,
  retrieveDocumentResponder: `${MHD}/IHE.MHD.RetrieveDocument.Audit.Responder`,
  retrieveDocumentConsumer: `${MHD}/IHE.MHD.RetrieveDocument.Audit.Consumer`,
  pixmFeedCreateManager: `${PIXM}/IHE.PIXm.Feed.Create.Audit.Manager`,
  pixmFeedUpdateManager: `${PIXM}/IHE.PIXm.Feed.Update.Audit.Manager`,
  query: `${BALP}/IHE.BasicAudit.Query`,
  patientQuery: `${BALP}/IHE.BasicAudit.PatientQuery`,
  read: `${BALP}/IHE.BasicAudit.Read`,
  patientRead: `${BALP}/IHE.BasicAudit.PatientRead`,
  patientCreate: `${BALP}/IHE.BasicAudit.PatientCreate`,
  patientUpdate: `${BALP}/IHE.BasicAudit.PatientUpdate`,
} as const;

type Event = Pick<AuditEvent, 'entity' | 'agent' | 'subtype' | 'outcome'>;

const withRole = (event: Event, role: string) => (event.entity ?? []).filter((e) => e.role?.code === role);
const systemObjects = (event: Event): AuditEventEntity[] => (event.entity ?? []).filter((e) => e.type?.code === EntityType.SystemObject.code);

function hasEntity(event: Event, role: string): boolean {
  return withRole(event, role).length > 0;
}

/** BALP's client and server agents (the DICOM Source and Destination roles) each name who they are and where. */
function peersAddressed(event: Event): boolean {
  const peers = event.agent.filter((a) => a.type?.coding?.some((c) => c.system === DCM && (c.code === AgentType.Source.code || c.code === AgentType.Destination.code)));
  return peers.length === 2 && peers.every((a) => a.who !== undefined && a.network !== undefined);
}

function provideBundle(side: AuditSide, event: Event): string[] {
  if (!hasEntity(event, EntityRole.Patient.code) || !hasEntity(event, EntityRole.Job.code) || systemObjects(event).length !== 1 || !peersAddressed(event)) return [];
  return [side === 'served' ? AuditProfiles.provideBundleRecipient : AuditProfiles.provideBundleSource];
}

/** The BALP-derived profiles of a RESTful transaction's event, by its interaction. */
function balp(transaction: AuditTransaction, side: AuditSide, event: Event): string[] {
  const interaction = event.subtype?.find((s) => s.system === RESTFUL_INTERACTION)?.code;
  if (!interaction || event.outcome !== '0' || !peersAddressed(event)) return [];
  const served = side === 'served';
  const patient = withRole(event, EntityRole.Patient.code).length === 1;
  const objects = systemObjects(event);
  switch (interaction) {
    case 'search-type': {
      if (objects.length !== 1 || objects[0]!.role?.code !== EntityRole.Query.code) return [];
      if (!patient) return [AuditProfiles.query];
      // Only MHD's own searches are MHD's find profiles; any other (the eRecept bridge's) is plain BALP.
      if (transaction !== 'ITI-66' && transaction !== 'ITI-67') return [AuditProfiles.patientQuery];
      const mhd =
        transaction === 'ITI-67'
          ? served ? AuditProfiles.findDocumentReferencesResponder : AuditProfiles.findDocumentReferencesConsumer
          : served ? AuditProfiles.findDocumentListsResponder : AuditProfiles.findDocumentListsConsumer;
      return [mhd, AuditProfiles.patientQuery];
    }
    case 'read': {
      if (objects.length !== 1 || objects[0]!.what === undefined) return [];
      if (!patient) return [AuditProfiles.read];
      const document = objects[0]!.role?.code === EntityRole.Report.code;
      if (transaction === 'ITI-68' && document) return [served ? AuditProfiles.retrieveDocumentResponder : AuditProfiles.retrieveDocumentConsumer, AuditProfiles.patientRead];
      return [AuditProfiles.patientRead];
    }
    case 'create':
    case 'update': {
      // PIXm's Manager profiles name the patient by the identifier the feed was filed under.
      if (transaction !== 'ITI-104') return [];
      if (!served || !patient || objects.length !== 1 || objects[0]!.role?.code !== EntityRole.DomainResource.code) return [];
      return interaction === 'create' ? [AuditProfiles.pixmFeedCreateManager, AuditProfiles.patientCreate] : [AuditProfiles.pixmFeedUpdateManager, AuditProfiles.patientUpdate];
    }
  }
  return [];
}

export function auditProfiles(transaction: AuditTransaction, side: AuditSide, event: Event): string[] {
  if (transaction === 'ITI-65') return provideBundle(side, event);
  return balp(transaction, side, event);
}
