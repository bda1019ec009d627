/**
 * MHD 4.2 (FHIR R4) <-> XDS domain metadata: the one module the MHD front end (ITI-65/66/
 * 67/68 routes) maps through. Pure: no I/O, no HTTP; anything that would need a lookup
 * (a Patient on another server) comes in as a callback.
 *
 *   const mhd = createMhdMapping({ patientIdSystems: config.profile.patientIdSystems, fhirBase: 'https://gw.example/fhir' });
 *   const plan = mhd.provideBundle(body);                  // ITI-65 request, throws RegistryError
 *   const result = await provideAndRegister(..., plan.submission, contents(plan.documents), principal);
 *   const response = mhd.transactionResponse(plan, result.ids, { repositoryUniqueId, homeCommunityId });
 *   mhd.documentReference(entry, associations);            // ITI-67 / ITI-66 results
 */
import type { Association, DocumentEntry, Folder, SubmissionSet } from '../../../domain/metadata';
import { declaredOption } from './canonicals';
import { documentEntryToDocumentReference, readDocumentReference, type OutboundContext, type ReadDocumentReferenceResult } from './document-reference';
import type { Bundle, DocumentReference, FhirResource, List } from './fhir-types';
import { folderToList, readFolderList } from './folder-list';
import type { ListMember } from './list-common';
import { mapOrThrow, type Problems } from './problems';
import { provideBundleInTurns, provideBundleToSubmission, type ProvideBundleContext, type ProvideBundlePlan } from './provide-bundle';
import type { InboundContext } from './readers';
import { parseRetrieveUrl, retrieveUrl, type DocumentLocation } from './retrieve-url';
import { readSubmissionSetList, submissionSetToList, type ReadListResult } from './submission-set-list';
import { DEFAULT_CODE_SYSTEMS, Terminology, type CodeSystemTable } from './terminology';
import { transactionResponseBundle, type ResponseContext } from './transaction-response';

export interface MhdMappingOptions {
  /** FHIR identifier system -> patient assigning authority OID (AffinityProfile.patientIdSystems). */
  patientIdSystems: Record<string, string>;
  /** Base URL of this gateway's FHIR endpoint (e.g. https://host/fhir): document URLs are built on it. */
  fhirBase: string;
  /** Code and identifier systems; defaults to ihe-profiles/code-systems.json. */
  codeSystems?: CodeSystemTable;
}

export interface LookupOption {
  /** Resources the caller already has for references outside the payload (e.g. `Patient/123`). */
  lookup?: (reference: string) => FhirResource | undefined;
}

export interface MhdMapping {
  readonly terminology: Terminology;
  /** The FHIR base URL the mapping builds URLs on (MhdMappingOptions.fhirBase). */
  readonly fhirBase: string;
  /** DocumentEntry -> DocumentReference; relationship associations with the entry as source become relatesTo. */
  documentReference(entry: DocumentEntry, associations?: readonly Association[]): DocumentReference;
  /** SubmissionSet -> List; members become List.entry. */
  submissionSetList(submissionSet: SubmissionSet, members?: readonly ListMember[]): List;
  /** Folder -> List; the documents' entryUUIDs become List.entry. */
  folderList(folder: Folder, documents?: readonly string[]): List;
  /** DocumentReference -> DocumentEntry (option from its meta.profile, Minimal by default); throws RegistryError. */
  documentEntry(documentReference: DocumentReference, options?: LookupOption): ReadDocumentReferenceResult;
  /** SubmissionSet List -> SubmissionSet; throws RegistryError. */
  submissionSet(list: List, options?: LookupOption): ReadListResult<SubmissionSet>;
  /** Folder List -> Folder; throws RegistryError. */
  folder(list: List, options?: LookupOption): ReadListResult<Folder>;
  /** ITI-65 Bundle -> Submission + document bytes + entry plan; throws RegistryError with every problem. */
  provideBundle(bundle: unknown, options?: LookupOption): ProvideBundlePlan;
  /** provideBundle, awaiting `pause()` between DocumentReferences so a large Bundle does not hold the event loop. */
  provideBundleInTurns(bundle: unknown, pause: () => Promise<void>, options?: LookupOption): Promise<ProvideBundlePlan>;
  /** ITI-65 transaction-response from the plan and the registry's SubmitResult.ids. */
  transactionResponse(plan: ProvideBundlePlan, ids: Record<string, string>, where: Omit<ResponseContext, 'fhirBase'>): Bundle;
  /** The ITI-68 URL of a document, and back. */
  retrieveUrl(doc: DocumentLocation): string;
  parseRetrieveUrl(url: string): DocumentLocation | undefined;
}

export function createMhdMapping(options: MhdMappingOptions): MhdMapping {
  const terminology = new Terminology(options.patientIdSystems, options.codeSystems ?? DEFAULT_CODE_SYSTEMS);
  const out: OutboundContext = { terminology, fhirBase: options.fhirBase };
  const inbound = (kind: 'DocumentReference' | 'SubmissionSet' | 'Folder', profiles: unknown, problems: Problems, o?: LookupOption): InboundContext => ({
    terminology,
    option: declaredOption(kind, profiles) ?? 'Minimal',
    problems,
    fhirBase: options.fhirBase,
    ...(o?.lookup ? { lookup: o.lookup } : {}),
  });
  const bundleContext = (o?: LookupOption): ProvideBundleContext => ({ terminology, fhirBase: options.fhirBase, ...(o?.lookup ? { lookup: o.lookup } : {}) });
  return {
    terminology,
    fhirBase: options.fhirBase,
    documentReference: (entry, associations = []) => documentEntryToDocumentReference(entry, out, associations),
    submissionSetList: (ss, members = []) => submissionSetToList(ss, out, members),
    folderList: (folder, documents = []) => folderToList(folder, out, documents),
    documentEntry: (dr, o) => mapOrThrow((p) => readDocumentReference(dr, 'DocumentReference', inbound('DocumentReference', dr.meta?.profile, p, o))),
    submissionSet: (list, o) => mapOrThrow((p) => readSubmissionSetList(list, 'List', inbound('SubmissionSet', list.meta?.profile, p, o))),
    folder: (list, o) => mapOrThrow((p) => readFolderList(list, 'List', inbound('Folder', list.meta?.profile, p, o))),
    provideBundle: (bundle, o) => provideBundleToSubmission(bundle, bundleContext(o)),
    provideBundleInTurns: (bundle, pause, o) => provideBundleInTurns(bundle, bundleContext(o), pause),
    transactionResponse: (plan, ids, where) => transactionResponseBundle(plan, ids, { ...where, fhirBase: options.fhirBase }),
    retrieveUrl: (doc) => retrieveUrl(options.fhirBase, doc),
    parseRetrieveUrl: (url) => parseRetrieveUrl(options.fhirBase, url),
  };
}

export { Extensions, ListTypes, Profiles, declaredOption, type MhdOption } from './canonicals';
export type { DocumentContentSource } from './bundle-content';
export type * from './fhir-types';
export { base64ToHex, hexToBase64 } from './hash';
export type { ListMember, MemberReference } from './list-common';
export type { EntryRole, PlannedEntry, ProvideBundlePlan, ProvidedDocument } from './provide-bundle';
export type { DocumentLocation } from './retrieve-url';
export { DEFAULT_CODE_SYSTEMS, Terminology, type CodeSystemTable } from './terminology';
export { dtmToFhir, fhirToDtm } from './time';
export { entryOutcomes, type EntryOutcome, type ResponseContext } from './transaction-response';
export { uuidToOid } from './unique-ids';
