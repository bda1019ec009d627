// Structural checks of an AuditEvent against the fixed values of the IHE audit profiles the
// gateway declares (no FHIR validator is available offline). Written from the profiles'
// differentials (BALP 1.1.4, MHD 4.2.3, PIXm 3.x), independently of src/audit/profiles.ts:
// slices are told apart as the profiles' discriminators say (agents and entities by `type`,
// subtypes by value), so an element that matches a slice's type must meet all of that slice.
import type { AuditEvent, AuditEventAgent, AuditEventEntity, Coding } from '../../../src/audit/fhir-audit-event';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const RESTFUL = 'http://hl7.org/fhir/restful-interaction';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const IHE = 'urn:ihe:event-type-code';
const BALP = 'https://profiles.ihe.net/ITI/BALP/StructureDefinition';
const MHD = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition';
const PIXM = 'https://profiles.ihe.net/ITI/PIXm/StructureDefinition';

type Check = (e: AuditEvent) => string[];

/** patternCoding: every element the pattern gives is equal in the instance. */
function matches(c: Coding | undefined, pattern: Coding): boolean {
  return c !== undefined && Object.entries(pattern).every(([k, v]) => (c as Record<string, unknown>)[k] === v);
}
const hasCoding = (a: AuditEventAgent, pattern: Coding) => (a.type?.coding ?? []).some((c) => matches(c, pattern));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const all = (...checks: Check[]): Check => (e) => checks.flatMap((c) => c(e));

function exactlyOne<T>(what: string, items: T[], check: (x: T) => string[]): string[] {
  if (items.length !== 1) return [`${what}: ${items.length} found, the profile wants exactly 1`];
  return check(items[0]!).map((v) => `${what}: ${v}`);
}

// ---- BALP's common frame --------------------------------------------------------------

function restType(interactions: readonly string[], action: string): Check {
  return (e) => [
    ...(matches(e.type, { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' }) ? [] : [`type is ${e.type.system}|${e.type.code}, not audit-event-type|rest`]),
    ...exactlyOne('subtype from the interaction value set', (e.subtype ?? []).filter((s) => s.system === RESTFUL && interactions.includes(s.code ?? '')), () => []),
    ...(e.action === action ? [] : [`action ${e.action}, not ${action}`]),
    ...(e.outcome === '0' ? [] : [`outcome ${e.outcome}: BALP fixes success (0)`]),
    ...((e as Record<string, unknown>).modifierExtension === undefined ? [] : ['modifierExtension present']),
  ];
}

/** client and server slices (DICOM Source / Destination role), the optional user slice of `userTypes`. */
function agents(clientCode: string, serverCode: string, userTypes: readonly string[]): Check {
  const peer = (a: AuditEventAgent) => [...(a.who ? [] : ['no who']), ...(a.network ? [] : ['no network']), ...((a as unknown as Record<string, unknown>).media ? ['media present'] : [])];
  return (e) => {
    const users = e.agent.filter((a) => (a.type?.coding ?? []).some((c) => c.system === PARTICIPATION && userTypes.includes(c.code ?? '')));
    return [
      ...(e.agent.length >= 2 ? [] : ['fewer than 2 agents']),
      ...exactlyOne(`client agent (${clientCode})`, e.agent.filter((a) => hasCoding(a, { system: DCM, code: clientCode })), peer),
      ...exactlyOne(`server agent (${serverCode})`, e.agent.filter((a) => hasCoding(a, { system: DCM, code: serverCode })), peer),
      ...(users.length <= 1 ? [] : ['more than one user agent']),
      ...users.flatMap((u) => [...(u.who ? [] : ['user: no who']), ...(u.requestor === true ? [] : ['user: not the requestor']), ...(u.network ? ['user: has a network'] : [])]),
    ];
  };
}

const ofType = (e: AuditEvent, code: string) => (e.entity ?? []).filter((x) => matches(x.type, { system: ENTITY_TYPE, code }));

const queryEntity: Check = (e) =>
  exactlyOne('query entity (type 2)', ofType(e, '2'), (q) => [
    ...(q.what ? ['has what'] : []),
    ...(matches(q.role, { system: OBJECT_ROLE, code: '24' }) ? [] : [`role ${q.role?.code}, not 24`]),
    ...(q.lifecycle ? ['has lifecycle'] : []),
    ...(q.query ? [] : ['no query']),
    ...(q.detail ? ['has detail'] : []),
  ]);

const REST_OBJECT_ROLES = ['3', '4', '20'];
function dataEntity(role?: Coding): Check {
  return (e) =>
    exactlyOne('data entity (type 2)', ofType(e, '2'), (d) => [
      ...(d.what ? [] : ['no what']),
      ...(d.role?.system === OBJECT_ROLE && REST_OBJECT_ROLES.includes(d.role.code ?? '') ? [] : [`role ${d.role?.code} not in RestObjectRoles`]),
      ...(role && !matches(d.role, role) ? [`role is not ${role.code} ${role.display}`] : []),
    ]);
}

function patientEntity(identifierOnly = false, patterns: { type?: Coding; role?: Coding } = {}): Check {
  return (e) =>
    exactlyOne('patient entity (type 1)', ofType(e, '1'), (p: AuditEventEntity) => [
      ...(p.what ? [] : ['no what']),
      ...(matches(p.role, patterns.role ?? { system: OBJECT_ROLE, code: '1' }) ? [] : ['role is not Patient']),
      ...(patterns.type && !matches(p.type, patterns.type) ? ['type is not 1 Person'] : []),
      ...(identifierOnly && (p.what?.reference !== undefined || p.what?.identifier === undefined) ? ['what is not an identifier alone'] : []),
    ]);
}

const minEntities = (n: number): Check => (e) => ((e.entity ?? []).length >= n ? [] : [`fewer than ${n} entities`]);

// ---- IHE profiles on top ------------------------------------------------------------

function transaction(code: string, display: string): Check {
  return (e) => [
    ...exactlyOne(`subtype ${code}`, (e.subtype ?? []).filter((s) => matches(s, { system: IHE, code, display })), () => []),
    ...((e.subtype ?? []).length >= 2 ? [] : ['fewer than 2 subtypes']),
  ];
}

/** val-audit-source: the agent of this DICOM role is the audit source too. */
function auditSource(dicomRole: string): Check {
  return (e) => {
    const agent = e.agent.find((a) => hasCoding(a, { system: DCM, code: dicomRole }));
    return same(agent?.who, e.source.observer) ? [] : [`val-audit-source: the ${dicomRole} agent is not source.observer`];
  };
}

const SEARCH = ['search', 'search-type', 'search-system'];
const READ = ['read', 'vread', 'history-instance'];
const QUERY_USERS = ['IRCP'];
const DATA_SOURCES = ['AUT', 'INF', 'CST'];

const balpQuery = all(restType(SEARCH, 'E'), agents('110153', '110152', QUERY_USERS), minEntities(1), queryEntity);
const balpPatientQuery = all(balpQuery, minEntities(2), patientEntity());
const balpRead = all(restType(READ, 'R'), agents('110152', '110153', QUERY_USERS), minEntities(1), dataEntity());
const balpPatientRead = all(balpRead, minEntities(2), patientEntity());
const balpPatientCreate = all(restType(['create'], 'C'), agents('110153', '110152', DATA_SOURCES), minEntities(2), dataEntity(), patientEntity());
const balpPatientUpdate = all(restType(['update', 'patch'], 'U'), agents('110153', '110152', DATA_SOURCES), minEntities(2), dataEntity(), patientEntity());

/** MHD 4.2's ITI-65 profiles derive from AuditEvent itself (DICOM Import / Export). */
function provideBundle(type: Coding, action: string, ownRole: string): Check {
  return all(
    (e) => [...(matches(e.type, type) ? [] : [`type is not ${type.code} ${type.display}`]), ...(e.action === action ? [] : [`action ${e.action}, not ${action}`]), ...(e.outcome ? [] : ['no outcome'])],
    (e) => exactlyOne('subtype ITI-65', (e.subtype ?? []).filter((s) => matches(s, { system: IHE, code: 'ITI-65', display: 'Provide Document Bundle' })), () => []),
    (e) => [
      ...(e.agent.length >= 2 ? [] : ['fewer than 2 agents']),
      ...exactlyOne('documentSource agent', e.agent.filter((a) => hasCoding(a, { system: DCM, code: '110153', display: 'Source Role ID' })), (a) => [...(a.who ? [] : ['no who']), ...(a.network ? [] : ['no network'])]),
      ...exactlyOne('documentRecipient agent', e.agent.filter((a) => hasCoding(a, { system: DCM, code: '110152', display: 'Destination Role ID' })), (a) => [...(a.who ? [] : ['no who']), ...(a.network ? [] : ['no network'])]),
    ],
    auditSource(ownRole),
    minEntities(2),
    patientEntity(false, { type: { system: ENTITY_TYPE, code: '1', display: 'Person' }, role: { system: OBJECT_ROLE, code: '1', display: 'Patient' } }),
    (e) =>
      exactlyOne('submissionSet entity (type 2)', ofType(e, '2'), (s) => [
        ...(s.what ? [] : ['no what']),
        ...(matches(s.type, { system: ENTITY_TYPE, code: '2', display: 'System Object' }) ? [] : ['type display is not System Object']),
        ...(matches(s.role, { system: OBJECT_ROLE, code: '20', display: 'Job' }) ? [] : ['role is not 20 Job']),
      ]),
  );
}

export const PROFILE_CHECKS: Record<string, Check> = {
  [`${BALP}/IHE.BasicAudit.Query`]: balpQuery,
  [`${BALP}/IHE.BasicAudit.PatientQuery`]: balpPatientQuery,
  [`${BALP}/IHE.BasicAudit.Read`]: balpRead,
  [`${BALP}/IHE.BasicAudit.PatientRead`]: balpPatientRead,
  [`${BALP}/IHE.BasicAudit.PatientCreate`]: balpPatientCreate,
  [`${BALP}/IHE.BasicAudit.PatientUpdate`]: balpPatientUpdate,
  [`${MHD}/IHE.MHD.FindDocumentReferences.Audit.Responder`]: all(balpPatientQuery, transaction('ITI-67', 'Find Document References'), auditSource('110152')),
  [`${MHD}/IHE.MHD.FindDocumentReferences.Audit.Consumer`]: all(balpPatientQuery, transaction('ITI-67', 'Find Document References'), auditSource('110153')),
  [`${MHD}/IHE.MHD.FindDocumentLists.Audit.Responder`]: all(balpPatientQuery, transaction('ITI-66', 'Find Document Lists'), auditSource('110152')),
  [`${MHD}/IHE.MHD.FindDocumentLists.Audit.Consumer`]: all(balpPatientQuery, transaction('ITI-66', 'Find Document Lists'), auditSource('110153')),
  [`${MHD}/IHE.MHD.RetrieveDocument.Audit.Responder`]: all(balpPatientRead, transaction('ITI-68', 'Retrieve Document'), auditSource('110153'), dataEntity({ system: OBJECT_ROLE, code: '3', display: 'Report' })),
  [`${MHD}/IHE.MHD.RetrieveDocument.Audit.Consumer`]: all(balpPatientRead, transaction('ITI-68', 'Retrieve Document'), auditSource('110152'), dataEntity({ system: OBJECT_ROLE, code: '3', display: 'Report' })),
  [`${MHD}/IHE.MHD.ProvideBundle.Audit.Recipient`]: provideBundle({ system: DCM, code: '110107', display: 'Import' }, 'C', '110152'),
  [`${MHD}/IHE.MHD.ProvideBundle.Audit.Source`]: provideBundle({ system: DCM, code: '110106', display: 'Export' }, 'R', '110153'),
  [`${PIXM}/IHE.PIXm.Feed.Create.Audit.Manager`]: all(balpPatientCreate, transaction('ITI-104', 'Patient Identity Feed FHIR'), auditSource('110152'), patientEntity(true)),
  [`${PIXM}/IHE.PIXm.Feed.Update.Audit.Manager`]: all(balpPatientUpdate, transaction('ITI-104', 'Patient Identity Feed FHIR'), auditSource('110152'), patientEntity(true)),
};

/** What keeps `event` from conforming to `profile` (empty: it conforms to every fixed value checked). */
export function profileViolations(event: AuditEvent, profile: string): string[] {
  const check = PROFILE_CHECKS[profile];
  if (!check) return [`no checks written for ${profile}`];
  return check(event);
}

/** Every violation of every profile the event declares. */
export function declaredProfileViolations(event: AuditEvent): string[] {
  return (event.meta?.profile ?? []).flatMap((p) => profileViolations(event, p).map((v) => `${p.split('/').pop()}: ${v}`));
}
