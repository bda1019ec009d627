/**
 * ITI-65 Provide Document Bundle -> the domain Submission, the document bytes that go
 * with it, and a plan of what each Bundle entry became (for the transaction-response).
 *
 * - The option comes from Bundle.meta.profile, which is required: Minimal
 *   marks every object limitedMetadata; the Comprehensive options require more elements;
 *   only Comprehensive (not UnContained) requires contained authors/sourcePatientInfo.
 * - Each object's id in the Submission is its entryUUID identifier if it has one, else
 *   the entry's fullUrl (a urn:uuid: fullUrl thus becomes the entryUUID, any other is a
 *   symbolic id the registry replaces), so associations can name objects by fullUrl.
 * - Associations: SubmissionSet HasMember each new DocumentReference and Folder (and the
 *   registered documents its entries name, as `Reference`); Folder HasMember its documents
 *   (each also a member of the SubmissionSet, as XDS requires for folder membership);
 *   relatesTo as RPLC/XFRM/APND/signs/XFRM_RPLC.
 * - A PUT of a registered Folder adds the Bundle's new documents to it; entries naming
 *   registered documents are taken as already filed (XDS never removes folder members).
 * - PATCH entries setting a replaced DocumentReference to superseded (UpdateDocumentRefs)
 *   only restate what the RPLC association does; they must match one.
 * Every problem is collected and thrown as one RegistryError.
 */
import { XdsErrorCode } from '../../../domain/error-codes';
import { AssociationType, DocumentEntryType, REPLACING_TYPES, type Association, type DocumentEntry, type Folder, type SubmissionSet } from '../../../domain/metadata';
import type { RegistryErrorDetail } from '../../../domain/registry-error';
import type { Submission } from '../../../domain/submission';
import { locateContent, type DocumentContentSource } from './bundle-content';
import { BundleIndex, type IndexedEntry } from './bundle-index';
import { declaredOption, Profiles, type MhdOption } from './canonicals';
import { readDocumentReference } from './document-reference';
import type { Bundle, DocumentReference, FhirResource, List, Reference } from './fhir-types';
import { readFolderList } from './folder-list';
import { listKind, type MemberReference } from './list-common';
import { at, Problems } from './problems';
import type { InboundContext } from './readers';
import { runSteps, runStepsPausing, type Steps } from './steps';
import { readSubmissionSetList } from './submission-set-list';
import type { Terminology } from './terminology';
import { entryUuidFromReference, findEntryUuid } from './unique-ids';

export interface ProvideBundleContext {
  terminology: Terminology;
  /** Base of this server's FHIR endpoint. */
  fhirBase?: string;
  /** Resources outside the Bundle the front end already has (e.g. the Patient a subject references). */
  lookup?: (reference: string) => FhirResource | undefined;
}

/** The bytes of one provided document. */
export interface ProvidedDocument {
  /** The DocumentEntry's id in the Submission (what SubmitResult.ids is keyed by). */
  entryUuid: string;
  documentUniqueId: string;
  content: DocumentContentSource;
  /** FHIR path of the bytes, for error reports (e.g. `Bundle.entry[2].resource.data`). */
  location: string;
}

export type EntryRole = 'SubmissionSet' | 'DocumentReference' | 'Folder' | 'Binary' | 'Patient' | 'SupersededStatus';

/** What one Bundle entry became, in Bundle order. */
export interface PlannedEntry {
  index: number;
  role: EntryRole;
  method: string;
  fullUrl?: string;
  requestUrl?: string;
  /** Submission id of the object the entry is (SubmissionSet, DocumentReference, Folder) or touches (PUT Folder, PATCH). */
  objectId?: string;
  /** Binary: the DocumentEntry whose bytes it holds. */
  documentEntryId?: string;
  /** Patient: the resource id it carries, if any. */
  resourceId?: string;
}

export interface ProvideBundlePlan {
  option: MhdOption;
  submission: Submission;
  documents: ProvidedDocument[];
  entries: PlannedEntry[];
  /** Problems that do not stop the submission. */
  warnings: RegistryErrorDetail[];
}

const BUNDLE = 'Bundle';
const entryPath = (i: number) => `${BUNDLE}.entry[${i}]`;
const resourcePath = (i: number) => `${entryPath(i)}.resource`;

interface Classified {
  submissionSets: IndexedEntry[];
  documentReferences: IndexedEntry[];
  folders: IndexedEntry[];
  binaries: IndexedEntry[];
  patients: IndexedEntry[];
  supersede: IndexedEntry[];
}

function methodOf(e: IndexedEntry): string {
  return typeof e.entry.request?.method === 'string' ? e.entry.request.method.toUpperCase() : '';
}

function classify(index: BundleIndex, problems: Problems): Classified {
  const out: Classified = { submissionSets: [], documentReferences: [], folders: [], binaries: [], patients: [], supersede: [] };
  for (const e of index.entries) {
    const r = e.resource;
    const method = methodOf(e);
    if (!r || typeof r.resourceType !== 'string') {
      problems.error(resourcePath(e.index), 'every entry of a Provide Document Bundle carries a resource');
      continue;
    }
    if (!method) problems.error(at(entryPath(e.index), 'request.method'), 'is required in a transaction');
    const expect = (allowed: string[]) => {
      if (method && !allowed.includes(method)) problems.error(at(entryPath(e.index), 'request.method'), `a ${r.resourceType} entry of ITI-65 uses ${allowed.join(' or ')}, not ${method}`);
    };
    switch (r.resourceType) {
      case 'List': {
        const kind = listKind(r as List);
        if (kind === 'submissionset') {
          expect(['POST']);
          out.submissionSets.push(e);
        } else if (kind === 'folder') {
          expect(['POST', 'PUT']);
          out.folders.push(e);
        } else problems.error(at(resourcePath(e.index), 'code'), 'a List in ITI-65 is a SubmissionSet or a Folder (MHDlistTypes code)');
        break;
      }
      case 'DocumentReference':
        expect(['POST']);
        out.documentReferences.push(e);
        break;
      case 'Binary':
        expect(['POST', 'PUT']);
        out.binaries.push(e);
        break;
      case 'Patient':
        expect(['GET', 'POST', 'PUT']);
        out.patients.push(e);
        break;
      case 'Parameters':
        expect(['PATCH']);
        out.supersede.push(e);
        break;
      case 'Bundle':
        problems.error(resourcePath(e.index), 'a FHIR Document in ITI-65 needs the FHIR Document Publish option, which this recipient does not implement', XdsErrorCode.FHIRDocumentNotSupported);
        break;
      default:
        problems.error(resourcePath(e.index), `a ${r.resourceType} is not part of an ITI-65 Provide Document Bundle`);
    }
  }
  if (out.submissionSets.length !== 1) {
    problems.error(`${BUNDLE}.entry`, `an ITI-65 Bundle holds exactly one SubmissionSet List, this one ${out.submissionSets.length}`);
  }
  return out;
}

/**
 * MHD 4.2 ITI-65 (2:3.65.4.1.2): the Provide Document Bundle declares its option in the
 * Bundle's own meta.profile. A Bundle without one is refused as a whole (nothing stored),
 * even when its SubmissionSet List names a profile: the List's profile says how that List
 * is shaped, not which option the Recipient is asked to apply to the Bundle.
 */
function detectOption(bundle: Bundle, problems: Problems): MhdOption {
  const declared = declaredOption('Bundle', bundle.meta?.profile);
  if (declared) return declared;
  problems.error(
    `${BUNDLE}.meta.profile`,
    `must name an MHD Provide Document Bundle profile: ${Object.values(Profiles.Bundle).join(', ')}`,
  );
  // Go on under the least demanding option so the remaining problems are reported too.
  return 'Minimal';
}

/** The Submission id of an object entry: its entryUUID identifier, else its fullUrl. */
function objectIdOf(e: IndexedEntry): string {
  const identifiers = (e.resource as { identifier?: unknown }).identifier;
  return findEntryUuid(Array.isArray(identifiers) ? identifiers : undefined) ?? e.entry.fullUrl ?? `${entryPath(e.index)}`;
}

class Builder {
  readonly associations: Association[] = [];
  private n = 0;

  constructor(private readonly submissionSetId: string) {}

  newId(): string {
    this.n += 1;
    return `association:${this.n}`;
  }

  hasMember(sourceId: string, targetId: string, submissionSetStatus?: 'Original' | 'Reference'): Association {
    const a: Association = { entryUuid: this.newId(), type: AssociationType.HasMember, sourceId, targetId, ...(submissionSetStatus ? { submissionSetStatus } : {}) };
    this.associations.push(a);
    return a;
  }

  /** Folder membership; XDS also makes the membership association a member of the SubmissionSet. */
  fileInFolder(folderId: string, documentId: string): void {
    const a = this.hasMember(folderId, documentId);
    this.hasMember(this.submissionSetId, a.entryUuid);
  }
}

/** Turns a List.entry / relatesTo reference into a Submission id: a Bundle object or a registered one. */
function referenceResolver(index: BundleIndex, ids: Map<number, string>) {
  return (ref: Reference, type: 'DocumentReference' | 'List'): { id: string; inBundle: boolean } | undefined => {
    const target = typeof ref.reference === 'string' ? ref.reference : undefined;
    const inBundle = target ? index.find(target) : undefined;
    if (inBundle) {
      const id = ids.get(inBundle.index);
      return id && inBundle.resource?.resourceType === type ? { id, inBundle: true } : undefined;
    }
    const registered = (target ? entryUuidFromReference(target, type) : undefined) ?? findEntryUuid(ref.identifier ? [{ ...ref.identifier, use: 'official' }] : undefined);
    return registered ? { id: registered, inBundle: false } : undefined;
  };
}

type Resolve = ReturnType<typeof referenceResolver>;

/** Submission id of every object entry; a PUT Folder is the registered Folder its request URL names. */
function assignIds(classes: Classified, problems: Problems): Map<number, string> {
  const ids = new Map<number, string>();
  for (const e of [...classes.submissionSets, ...classes.documentReferences, ...classes.folders]) ids.set(e.index, objectIdOf(e));
  for (const e of classes.folders.filter((f) => methodOf(f) === 'PUT')) {
    const url = e.entry.request?.url;
    const registered = (typeof url === 'string' ? entryUuidFromReference(url, 'List') : undefined) ?? findEntryUuid((e.resource as List).identifier);
    if (registered) ids.set(e.index, registered);
    else problems.error(at(entryPath(e.index), 'request.url'), 'a PUT Folder must name the registered Folder as List/<uuid>');
  }
  return ids;
}

interface ReadDocuments {
  documents: DocumentEntry[];
  provided: ProvidedDocument[];
  /** Bundle entry index of a document's bytes -> the DocumentEntry id. */
  contentOwner: Map<number, string>;
}

/**
 * The DocumentReferences, their relatesTo, and where each one's bytes are. Pauses after each
 * DocumentReference (~0.3 ms each; the 500 of a Bundle at the entry limit held the event loop
 * ~150 ms) and within a large document's base64 check.
 */
function* readDocuments(classes: Classified, ctx: InboundContext, ids: Map<number, string>, builder: Builder, resolve: Resolve): Steps<ReadDocuments> {
  const { problems } = ctx;
  const out: ReadDocuments = { documents: [], provided: [], contentOwner: new Map() };
  for (const e of classes.documentReferences) {
    const path = resourcePath(e.index);
    const dr = e.resource as DocumentReference;
    const id = ids.get(e.index)!;
    const attachmentPath = `${path}.content[0].attachment`;
    const attachment = Array.isArray(dr.content) ? dr.content[0]?.attachment : undefined;
    const { found, targetEntry } = attachment && typeof attachment === 'object' ? yield* locateContent(attachment, attachmentPath, ctx.bundle!, problems) : {};
    const { entry, associations } = readDocumentReference(dr, path, ctx, {
      entryUuid: id,
      newSubmission: true,
      objectType: DocumentEntryType.Stable,
      urlIsContentSource: targetEntry !== undefined || !!found,
      newAssociationId: () => builder.newId(),
      resolveTarget: (target, where) => {
        const r = resolve(target, 'DocumentReference');
        if (!r) problems.error(where, 'must name a DocumentReference of this Bundle or a registered one (DocumentReference/<uuid>)', XdsErrorCode.UnresolvedReferenceException);
        return r?.id;
      },
    });
    out.documents.push(entry);
    builder.associations.push(...associations);
    if (found) out.provided.push({ entryUuid: id, documentUniqueId: entry.uniqueId, content: found.content, location: found.location });
    if (targetEntry !== undefined) {
      if (out.contentOwner.has(targetEntry)) problems.error(`${attachmentPath}.url`, `Bundle.entry[${targetEntry}] is already the content of another DocumentReference`);
      out.contentOwner.set(targetEntry, id);
    }
    yield;
  }
  for (const b of classes.binaries) {
    if (!out.contentOwner.has(b.index)) problems.error(resourcePath(b.index), 'no DocumentReference of the Bundle points at this Binary', XdsErrorCode.XDSMissingDocumentMetadata);
  }
  return out;
}

interface FolderMembers {
  folderId: string;
  isNew: boolean;
  members: MemberReference[];
}

/** New Folders join the Submission; a PUT Folder only gains documents. */
function readFolders(classes: Classified, ctx: InboundContext, ids: Map<number, string>): { folders: Folder[]; memberships: FolderMembers[] } {
  const folders: Folder[] = [];
  const memberships: FolderMembers[] = [];
  for (const e of classes.folders) {
    const isNew = methodOf(e) !== 'PUT';
    const id = ids.get(e.index);
    const read = readFolderList(e.resource as List, resourcePath(e.index), ctx, id);
    if (isNew) folders.push(read.value);
    if (id) memberships.push({ folderId: id, isNew, members: read.members });
  }
  return { folders, memberships };
}

/** HasMember associations of the SubmissionSet and of the Folders. */
function linkMembers(
  builder: Builder,
  ssId: string,
  objects: { documents: DocumentEntry[]; folders: Folder[] },
  ssMembers: MemberReference[],
  memberships: FolderMembers[],
  resolve: Resolve,
  problems: Problems,
): void {
  for (const d of objects.documents) builder.hasMember(ssId, d.entryUuid, 'Original');
  for (const f of objects.folders) builder.hasMember(ssId, f.entryUuid, 'Original');
  for (const m of ssMembers) {
    // Bundle objects are members already; a registered document joins as a Reference; a
    // registered Folder cannot be a SubmissionSet member in XDS, so naming it adds nothing.
    const doc = resolve(m.reference, 'DocumentReference');
    if (doc && !doc.inBundle) builder.hasMember(ssId, doc.id, 'Reference');
    else if (!doc && !resolve(m.reference, 'List')) {
      problems.error(m.path, 'must name a DocumentReference or Folder of this Bundle, or a registered DocumentReference', XdsErrorCode.UnresolvedReferenceException);
    }
  }
  for (const { folderId, isNew, members } of memberships) {
    for (const m of members) {
      const r = resolve(m.reference, 'DocumentReference');
      if (!r) problems.error(m.path, 'must name a DocumentReference of this Bundle or a registered one', XdsErrorCode.UnresolvedReferenceException);
      // A registered Folder named by PUT is taken to hold its registered documents already.
      else if (isNew || r.inBundle) builder.fileInFolder(folderId, r.id);
    }
  }
}

/**
 * Maps a parsed ITI-65 transaction Bundle (JSON) to a Submission plus the documents' bytes
 * and an entry plan; throws RegistryError listing every problem, each at its FHIR path.
 */
export function provideBundleToSubmission(input: unknown, context: ProvideBundleContext): ProvideBundlePlan {
  return runSteps(provideBundleSteps(input, context));
}

/** provideBundleToSubmission, awaiting `pause()` between pieces of the work (steps.ts), e.g. EventLoopTurns.yield. */
export function provideBundleInTurns(input: unknown, context: ProvideBundleContext, pause: () => Promise<void>): Promise<ProvideBundlePlan> {
  return runStepsPausing(provideBundleSteps(input, context), pause);
}

function* provideBundleSteps(input: unknown, context: ProvideBundleContext): Steps<ProvideBundlePlan> {
  const problems = new Problems();
  if (!input || typeof input !== 'object' || (input as { resourceType?: unknown }).resourceType !== 'Bundle') {
    problems.error(BUNDLE, 'the body of ITI-65 is a FHIR Bundle');
    problems.throwIfErrors();
  }
  const bundle = input as Bundle;
  if (bundle.type !== 'transaction') problems.error(`${BUNDLE}.type`, `must be transaction, not ${String(bundle.type)}`);
  const index = new BundleIndex(bundle);
  const classes = classify(index, problems);
  const ssEntry = classes.submissionSets[0];
  const option = detectOption(bundle, problems);
  const ctx: InboundContext = {
    terminology: context.terminology,
    option,
    problems,
    bundle: index,
    ...(context.fhirBase ? { fhirBase: context.fhirBase } : {}),
    ...(context.lookup ? { lookup: context.lookup } : {}),
  };

  const ids = assignIds(classes, problems);
  const ssId = ssEntry ? ids.get(ssEntry.index)! : 'SubmissionSet';
  const ssRead = ssEntry ? readSubmissionSetList(ssEntry.resource as List, resourcePath(ssEntry.index), ctx, ssId) : undefined;
  const submissionSet: SubmissionSet = ssRead?.value ?? { entryUuid: ssId, uniqueId: '', sourceId: '', patientId: '', submissionTime: '', authors: [], intendedRecipients: [] };
  const builder = new Builder(ssId);
  const resolve = referenceResolver(index, ids);

  const { documents, provided, contentOwner } = yield* readDocuments(classes, ctx, ids, builder, resolve);
  sharePatient(submissionSet, documents, option, ssEntry, problems);
  const { folders, memberships } = readFolders(classes, ctx, ids);
  linkMembers(builder, ssId, { documents, folders }, ssRead?.members ?? [], memberships, resolve, problems);
  checkSupersede(classes.supersede, builder.associations, problems);
  problems.throwIfErrors();

  return {
    option,
    submission: { submissionSet, documents, folders, associations: builder.associations },
    documents: provided,
    entries: planEntries(index, ids, contentOwner, classes),
    warnings: problems.warnings,
  };
}

/**
 * Under Minimal metadata the patient may be named on the SubmissionSet or on the
 * DocumentReferences only; XDS needs it on every object, so one lends it to the other.
 */
function sharePatient(ss: SubmissionSet, documents: DocumentEntry[], option: MhdOption, ssEntry: IndexedEntry | undefined, problems: Problems): void {
  if (option !== 'Minimal') return;
  if (!ss.patientId) ss.patientId = documents.find((d) => d.patientId)?.patientId ?? '';
  for (const d of documents) if (!d.patientId) d.patientId = ss.patientId;
  if (!ss.patientId && ssEntry) problems.error(at(resourcePath(ssEntry.index), 'subject'), 'no element of the Bundle names the patient (List.subject or DocumentReference.subject)');
}

/** Each superseding PATCH must target a document a DocumentReference of the Bundle replaces. */
function checkSupersede(entries: IndexedEntry[], associations: Association[], problems: Problems): void {
  const replaced = new Set(associations.filter((a) => REPLACING_TYPES.has(a.type)).map((a) => a.targetId));
  for (const e of entries) {
    const url = e.entry.request?.url;
    const target = typeof url === 'string' ? entryUuidFromReference(url, 'DocumentReference') : undefined;
    if (!target) problems.error(at(entryPath(e.index), 'request.url'), 'must name the superseded DocumentReference as DocumentReference/<uuid>');
    else if (!replaced.has(target)) problems.error(at(entryPath(e.index), 'request.url'), `no DocumentReference of this Bundle replaces ${url}`);
  }
}

function planEntries(index: BundleIndex, ids: Map<number, string>, contentOwner: Map<number, string>, classes: Classified): PlannedEntry[] {
  const roles = new Map<number, EntryRole>();
  const mark = (list: IndexedEntry[], role: EntryRole) => list.forEach((e) => roles.set(e.index, role));
  mark(classes.submissionSets, 'SubmissionSet');
  mark(classes.documentReferences, 'DocumentReference');
  mark(classes.folders, 'Folder');
  mark(classes.binaries, 'Binary');
  mark(classes.patients, 'Patient');
  mark(classes.supersede, 'SupersededStatus');
  return index.entries.map((e) => {
    const role = roles.get(e.index)!;
    const url = e.entry.request?.url;
    const objectId = role === 'SupersededStatus' && typeof url === 'string' ? entryUuidFromReference(url, 'DocumentReference') : ids.get(e.index);
    const documentEntryId = contentOwner.get(e.index);
    const resourceId = role === 'Patient' && typeof e.resource?.id === 'string' ? e.resource.id : undefined;
    return {
      index: e.index,
      role,
      method: methodOf(e),
      ...(typeof e.entry.fullUrl === 'string' ? { fullUrl: e.entry.fullUrl } : {}),
      ...(typeof url === 'string' ? { requestUrl: url } : {}),
      ...(objectId ? { objectId } : {}),
      ...(documentEntryId ? { documentEntryId } : {}),
      ...(resourceId ? { resourceId } : {}),
    };
  });
}
