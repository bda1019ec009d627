/**
 * DocumentEntry <-> DocumentReference, after the MHD 4.2 mapping (ITI TF-3 4.5.1.1,
 * StructureDefinition IHE.MHD.Minimal.DocumentReference "XDS and MHD Mapping").
 * The full element-by-element table is in ihe-profiles/mhd-mapping.md.
 */
import { XdsErrorCode } from '../../../domain/error-codes';
import { AvailabilityStatus, DocumentEntryType, type Association, type Author, type DocumentEntry } from '../../../domain/metadata';
import { ENCOUNTER_ID_TYPE, Profiles, requiresContained } from './canonicals';
import { cxiToIdentifier, cxiTypeOf, identifierToCxi } from './cxi';
import { homeCommunityIdExtensions, readHomeCommunityId } from './extensions';
import type { Attachment, DocumentReference, DocumentReferenceContent, DocumentReferenceContext, FhirResource, Patient, Reference } from './fhir-types';
import { base64ToHex, hexToBase64 } from './hash';
import { authorToResources, legalAuthenticatorToResource, referenceToAuthor, referenceToLegalAuthenticator, type PartyScope } from './parties';
import { cxToIdentifier } from './patient-ids';
import { at, item } from './problems';
import { readConcept, readConcepts, readCoding, readPatient, readString, readTime, type InboundContext, withDefined } from './readers';
import { ofType, resolveReference } from './references';
import { associationsToRelatesTo, relatesToToAssociations, type TargetResolver } from './relationships';
import { checkRequired, DOCUMENT_REFERENCE_REQUIREMENTS } from './requirements';
import { parseRetrieveUrl, retrieveUrl } from './retrieve-url';
import { resourceToSourcePatient, sourcePatientToResource } from './source-patient';
import type { Terminology } from './terminology';
import { dtmToFhirOrUndefined } from './time';
import { entryUuidFromReference, entryUuidIdentifier, findEntryUuid, identifierToUniqueId, resourceIdOf, uniqueIdToIdentifier } from './unique-ids';
import { isUuid } from '../../../domain/uuid';

/** What a domain -> FHIR mapping needs. */
export interface OutboundContext {
  terminology: Terminology;
  /** Base of this server's FHIR endpoint; document URLs and references are built on it. */
  fhirBase: string;
}

// ---------- DocumentEntry -> DocumentReference ----------

function subjectOf(patientId: string, terminology: Terminology): Reference {
  const identifier = cxToIdentifier(patientId, terminology);
  return identifier ? { type: 'Patient', identifier } : { type: 'Patient', display: patientId };
}

function attachmentOf(entry: DocumentEntry, ctx: OutboundContext): Attachment {
  const url = entry.repositoryUniqueId
    ? retrieveUrl(ctx.fhirBase, { documentUniqueId: entry.uniqueId, repositoryUniqueId: entry.repositoryUniqueId, ...(entry.homeCommunityId ? { homeCommunityId: entry.homeCommunityId } : {}) })
    : entry.uri;
  const creation = dtmToFhirOrUndefined(entry.creationTime);
  // Built by assignment, not by spreading conditional literals: this runs for every search result.
  const a: Attachment = { contentType: entry.mimeType };
  if (entry.languageCode) a.language = entry.languageCode;
  if (url) a.url = url;
  if (entry.size !== undefined) a.size = entry.size;
  if (entry.hash) a.hash = hexToBase64(entry.hash);
  if (entry.title) a.title = entry.title;
  if (creation) a.creation = creation;
  return a;
}

function contextOf(entry: DocumentEntry, sourcePatient: Patient | undefined, ctx: OutboundContext): DocumentReferenceContext | undefined {
  const t = ctx.terminology;
  const encounter = entry.referenceIds.filter((r) => r.split('^')[4] === ENCOUNTER_ID_TYPE);
  const related = entry.referenceIds.filter((r) => r.split('^')[4] !== ENCOUNTER_ID_TYPE);
  const start = dtmToFhirOrUndefined(entry.serviceStartTime);
  const end = dtmToFhirOrUndefined(entry.serviceStopTime);
  const context: DocumentReferenceContext = {};
  if (encounter.length) context.encounter = encounter.map((r) => ({ type: 'Encounter', identifier: cxiToIdentifier(r, t) }));
  if (entry.eventCodes.length) context.event = entry.eventCodes.map((c) => t.codeToConcept(c));
  if (start || end) context.period = start && end ? { start, end } : start ? { start } : { end: end! };
  if (entry.healthcareFacilityTypeCode) context.facilityType = t.codeToConcept(entry.healthcareFacilityTypeCode);
  if (entry.practiceSettingCode) context.practiceSetting = t.codeToConcept(entry.practiceSettingCode);
  if (sourcePatient) context.sourcePatientInfo = { reference: `#${sourcePatient.id}` };
  if (related.length) context.related = related.map((r) => ({ identifier: cxiToIdentifier(r, t) }));
  return Object.keys(context).length ? context : undefined;
}

/**
 * A registered DocumentEntry as an MHD DocumentReference (ITI-67/ITI-66 responses).
 * Authors, legalAuthenticator and sourcePatientInfo are contained, so the result conforms
 * to the Comprehensive profile (Minimal when the entry has limitedMetadata).
 * `associations` supply relatesTo: those whose source is this entry.
 */
export function documentEntryToDocumentReference(entry: DocumentEntry, ctx: OutboundContext, associations: readonly Association[] = []): DocumentReference {
  const t = ctx.terminology;
  const authors = entry.authors.map((a, i) => authorToResources(a, `author${i + 1}`, t)).filter((a) => !!a);
  const authenticator = entry.legalAuthenticator ? legalAuthenticatorToResource(entry.legalAuthenticator, 'legalAuthenticator', t) : undefined;
  const sourcePatient = sourcePatientToResource(entry.sourcePatientId, entry.sourcePatientInfo, 'sourcePatient', t);
  const contained: FhirResource[] = [...authors.flatMap((a) => a.contained), ...(authenticator ? [authenticator] : []), ...(sourcePatient ? [sourcePatient] : [])];
  const id = resourceIdOf(entry.entryUuid);
  const relatesTo = associationsToRelatesTo(entry.entryUuid, associations);
  const context = contextOf(entry, sourcePatient, ctx);
  const hcid = homeCommunityIdExtensions(entry.homeCommunityId);
  // Elements in the order of the FHIR definition, assigned one by one (see attachmentOf).
  const dr = { resourceType: 'DocumentReference' } as DocumentReference;
  if (id) dr.id = id;
  const profile = entry.limitedMetadata ? Profiles.DocumentReference.Minimal : Profiles.DocumentReference.Comprehensive;
  dr.meta = entry.version !== undefined ? { profile: [profile], versionId: String(entry.version) } : { profile: [profile] };
  if (contained.length) dr.contained = contained;
  if (hcid.length) dr.extension = hcid;
  dr.masterIdentifier = uniqueIdToIdentifier(entry.uniqueId);
  if (id) dr.identifier = [entryUuidIdentifier(entry.entryUuid)];
  dr.status = entry.availabilityStatus === AvailabilityStatus.Deprecated ? 'superseded' : 'current';
  if (entry.typeCode) dr.type = t.codeToConcept(entry.typeCode);
  if (entry.classCode) dr.category = [t.codeToConcept(entry.classCode)];
  dr.subject = subjectOf(entry.patientId, t);
  if (authors.length) dr.author = authors.map((a) => a.reference);
  if (authenticator) dr.authenticator = { reference: `#${authenticator.id}` };
  if (relatesTo.length) dr.relatesTo = relatesTo;
  if (entry.comments) dr.description = entry.comments;
  if (entry.confidentialityCodes.length) dr.securityLabel = entry.confidentialityCodes.map((c) => t.codeToConcept(c));
  const content: DocumentReferenceContent = { attachment: attachmentOf(entry, ctx) };
  if (entry.formatCode) content.format = t.codeToCoding(entry.formatCode);
  dr.content = [content];
  if (context) dr.context = context;
  return dr;
}

// ---------- DocumentReference -> DocumentEntry ----------

export interface ReadDocumentReferenceOptions {
  /** The id the entry gets in a submission (ITI-65: the Bundle entry's fullUrl). Default: its entryUUID identifier or resource id. */
  entryUuid?: string;
  /** ITI-65: a new document must be `current`, and server-assigned fields (meta.versionId) are ignored. */
  newSubmission?: boolean;
  /** Stable or on-demand, when the caller knows (ITI-65: document bytes were sent, so stable). */
  objectType?: DocumentEntryType;
  /** ITI-65: attachment.url only says where to take the bytes from (the repository keeps them), so it is no XDS URI. */
  urlIsContentSource?: boolean;
  /** How relatesTo targets become association target ids. Default: `DocumentReference/<uuid>` or an entryUUID identifier. */
  resolveTarget?: TargetResolver;
  /** Names the relationship associations. */
  newAssociationId?: () => string;
}

export interface ReadDocumentReferenceResult {
  entry: DocumentEntry;
  /** Relationship associations from relatesTo, the entry as their source. */
  associations: Association[];
}

/** relatesTo target outside a Bundle: a registered DocumentReference by id or entryUUID identifier. */
function registeredTarget(ctx: InboundContext): TargetResolver {
  return (target, path) => {
    const byRef = typeof target.reference === 'string' ? entryUuidFromReference(target.reference, 'DocumentReference') : undefined;
    const byId = findEntryUuid(target.identifier ? [{ ...target.identifier, use: 'official' }] : undefined);
    const id = byRef ?? byId;
    if (!id) ctx.problems.error(path, 'must reference a registered DocumentReference by its id (DocumentReference/<uuid>) or its entryUUID identifier', XdsErrorCode.UnresolvedReferenceException);
    return id;
  };
}

function readStatus(dr: DocumentReference, path: string, ctx: InboundContext, newSubmission: boolean): DocumentEntry['availabilityStatus'] {
  if (dr.status === undefined) return undefined;
  if (dr.status === 'current') return AvailabilityStatus.Approved;
  if (dr.status === 'superseded' && !newSubmission) return AvailabilityStatus.Deprecated;
  ctx.problems.error(at(path, 'status'), newSubmission ? 'a document provided by ITI-65 must be current' : `"${String(dr.status)}" has no XDS availabilityStatus (current, superseded)`);
  return undefined;
}

function readEntryUuid(dr: DocumentReference, path: string, ctx: InboundContext, given: string | undefined): string {
  if (given) return given;
  const fromIdentifier = findEntryUuid(dr.identifier);
  if (fromIdentifier) return fromIdentifier;
  if (typeof dr.id === 'string' && isUuid(dr.id)) return `urn:uuid:${dr.id.toLowerCase()}`;
  ctx.problems.error(at(path, 'identifier'), 'needs an entryUUID identifier (use official, urn:uuid:) or a UUID resource id');
  return '';
}

function readSize(value: unknown, path: string, ctx: InboundContext): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  ctx.problems.error(path, 'must be a non-negative integer');
  return undefined;
}

function readHash(value: unknown, path: string, ctx: InboundContext): string | undefined {
  const s = readString(value, path, ctx);
  if (s === undefined) return undefined;
  const r = base64ToHex(s);
  if (!r.ok) ctx.problems.error(path, r.reason);
  else if (r.lenient) ctx.problems.warning(path, 'hash is the base64 of the hex text, not of the SHA-1 bytes; read as the hex it spells', XdsErrorCode.XDSRegistryMetadataError);
  return r.ok ? r.hex : undefined;
}

function readReferenceIds(context: DocumentReferenceContext, path: string, ctx: InboundContext): string[] {
  const out: string[] = [];
  const read = (list: unknown, element: string, typeCode?: string) => {
    if (list === undefined) return;
    if (!Array.isArray(list)) return ctx.problems.error(at(path, element), 'must be a list');
    list.forEach((ref: Reference, i) => {
      const where = item(at(path, element), i);
      const identifier = ref?.identifier;
      const cxi = identifier ? identifierToCxi(identifier, ctx.terminology, typeCode ?? cxiTypeOf(identifier)) : undefined;
      // A literal reference has no business identifier to turn into a CXi (MHD ITI-65 3.65.4.1.3.1).
      if (!cxi) ctx.problems.error(where, 'needs an identifier (value, system, type) to become a referenceIdList value');
      else out.push(cxi);
    });
  };
  read(context.encounter, 'encounter', ENCOUNTER_ID_TYPE);
  read(context.related, 'related');
  return out;
}

function readSourcePatient(ref: Reference | undefined, path: string, ctx: InboundContext, scope: PartyScope): { sourcePatientId?: string; sourcePatientInfo?: string[] } {
  if (ref === undefined) return {};
  if (scope.requireContained && !(typeof ref?.reference === 'string' && ref.reference.startsWith('#'))) {
    ctx.problems.error(path, 'the Comprehensive Metadata option requires a contained Patient (#id)');
    return {};
  }
  const resolved = resolveReference(ref, scope)?.resource;
  const patient = ofType<Patient>(resolved, 'Patient');
  if (!patient) {
    ctx.problems.error(path, resolved ? `must be a Patient, not ${resolved.resourceType}` : `reference ${String(ref?.reference)} cannot be resolved`);
    return {};
  }
  return resourceToSourcePatient(patient, path, ctx.problems, ctx.terminology);
}

function readAuthors(list: unknown, path: string, ctx: InboundContext, scope: PartyScope): Author[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    ctx.problems.error(path, 'must be a list');
    return [];
  }
  return list.flatMap((ref: Reference, i) => {
    const author = referenceToAuthor(ref, scope, item(path, i), ctx.problems, ctx.terminology);
    return author ? [author] : [];
  });
}

/**
 * An MHD DocumentReference as a DocumentEntry, reporting into ctx.problems. The option in
 * ctx decides which elements are required and whether parties must be contained; Minimal
 * sets limitedMetadata.
 */
export function readDocumentReference(dr: DocumentReference, path: string, ctx: InboundContext, options: ReadDocumentReferenceOptions = {}): ReadDocumentReferenceResult {
  const t = ctx.terminology;
  const contents = Array.isArray(dr.content) ? dr.content : [];
  const attachment: Attachment = contents[0]?.attachment ?? {};
  // MHD: an On-Demand document is a DocumentReference without hash and size.
  const objectType = options.objectType ?? (attachment.hash === undefined && attachment.size === undefined ? DocumentEntryType.OnDemand : DocumentEntryType.Stable);
  checkRequired(dr, DOCUMENT_REFERENCE_REQUIREMENTS, ctx.option, path, ctx.problems, objectType === DocumentEntryType.OnDemand);
  const scope: PartyScope = { container: dr, requireContained: requiresContained(ctx.option), ...(ctx.bundle ? { bundle: ctx.bundle } : {}), ...(ctx.lookup ? { lookup: ctx.lookup } : {}) };
  const entryUuid = readEntryUuid(dr, path, ctx, options.entryUuid);

  let uniqueId = '';
  if (dr.masterIdentifier !== undefined) {
    const r = identifierToUniqueId(dr.masterIdentifier ?? {}, (uri) => t.identifierSystemOid(uri));
    if (r.ok) uniqueId = r.value;
    else ctx.problems.error(at(path, 'masterIdentifier'), r.reason);
  }

  if (contents.length > 1) ctx.problems.error(at(path, 'content'), 'MHD allows exactly one content; send one DocumentReference per document');
  const contentPath = item(at(path, 'content'), 0);
  const attachmentPath = at(contentPath, 'attachment');
  const url = readString(attachment.url, at(attachmentPath, 'url'), ctx);
  const location = url && ctx.fhirBase && !options.urlIsContentSource ? parseRetrieveUrl(ctx.fhirBase, url) : undefined;
  const hash = readHash(attachment.hash, at(attachmentPath, 'hash'), ctx);
  const size = readSize(attachment.size, at(attachmentPath, 'size'), ctx);

  const context: DocumentReferenceContext = dr.context && typeof dr.context === 'object' ? dr.context : {};
  const contextPath = at(path, 'context');
  const categories = Array.isArray(dr.category) ? dr.category : [];
  if (categories.length > 1) ctx.problems.error(at(path, 'category'), 'XDS holds one classCode; send one category');

  const subject = readPatient(dr.subject, at(path, 'subject'), ctx, dr);
  const homeCommunityId = readHomeCommunityId(dr, path, ctx.problems) ?? location?.homeCommunityId;
  const status = readStatus(dr, path, ctx, !!options.newSubmission);
  const version = !options.newSubmission && typeof dr.meta?.versionId === 'string' && /^\d+$/.test(dr.meta.versionId) ? Number(dr.meta.versionId) : undefined;

  const entry: DocumentEntry = {
    entryUuid,
    uniqueId,
    objectType,
    patientId: subject ?? '',
    mimeType: readString(attachment.contentType, at(attachmentPath, 'contentType'), ctx) ?? '',
    authors: readAuthors(dr.author, at(path, 'author'), ctx, scope),
    confidentialityCodes: readConcepts(dr.securityLabel, at(path, 'securityLabel'), ctx),
    eventCodes: readConcepts(context.event, at(contextPath, 'event'), ctx),
    referenceIds: readReferenceIds(context, contextPath, ctx),
  };
  const optional: Partial<DocumentEntry> = {
    availabilityStatus: status,
    version,
    homeCommunityId,
    title: readString(attachment.title, at(attachmentPath, 'title'), ctx),
    comments: readString(dr.description, at(path, 'description'), ctx),
    classCode: readConcept(categories[0], item(at(path, 'category'), 0), ctx),
    typeCode: readConcept(dr.type, at(path, 'type'), ctx),
    formatCode: readCoding(contents[0]?.format, at(contentPath, 'format'), ctx),
    healthcareFacilityTypeCode: readConcept(context.facilityType, at(contextPath, 'facilityType'), ctx),
    practiceSettingCode: readConcept(context.practiceSetting, at(contextPath, 'practiceSetting'), ctx),
    languageCode: readString(attachment.language, at(attachmentPath, 'language'), ctx),
    legalAuthenticator: dr.authenticator === undefined ? undefined : referenceToLegalAuthenticator(dr.authenticator, scope, at(path, 'authenticator'), ctx.problems, t),
    creationTime: readTime(attachment.creation, at(attachmentPath, 'creation'), ctx),
    serviceStartTime: readTime(context.period?.start, at(at(contextPath, 'period'), 'start'), ctx),
    serviceStopTime: readTime(context.period?.end, at(at(contextPath, 'period'), 'end'), ctx),
    hash,
    size,
    repositoryUniqueId: location?.repositoryUniqueId,
    uri: url && !location && !options.urlIsContentSource ? url : undefined,
    limitedMetadata: ctx.option === 'Minimal' ? true : undefined,
    ...readSourcePatient(context.sourcePatientInfo, at(contextPath, 'sourcePatientInfo'), ctx, scope),
  };
  withDefined(entry, optional);

  let n = 0;
  const associations = relatesToToAssociations(
    dr.relatesTo,
    entryUuid,
    options.resolveTarget ?? registeredTarget(ctx),
    at(path, 'relatesTo'),
    ctx.problems,
    options.newAssociationId ?? (() => `${entryUuid}#relatesTo${++n}`),
  );
  return { entry, associations };
}
