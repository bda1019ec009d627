/**
 * Register a submission set atomically (ITI-42 semantics, shared by ITI-41 and ITI-65):
 * every object and every side effect in one transaction, or nothing.
 */
import type { AffinityProfile } from '../domain/affinity-profile';
import { XdsErrorCode } from '../domain/error-codes';
import { normalizeCx } from '../domain/hl7v2';
import { AssociationType, AvailabilityStatus, REPLACING_TYPES, RELATIONSHIP_TYPES, type Association } from '../domain/metadata';
import { RegistryError, type RegistryErrorDetail } from '../domain/registry-error';
import { entryIdsOf, failedSubmission, type Submission, type SubmitResult } from '../domain/submission';
import { validateCodes, validateSubmissionStructure } from '../domain/validation';
import type { StoreRows, StoreTransaction } from '../domain/store-transaction';
import { assignEntryUuids } from './identifiers';
import { checkMessage } from './message-checks';
import type { RegistryObjects, RegistryStore } from './ports';
import { assertPatientKnown, type PatientPolicy } from './patient-feed';
import { deprecateReplaced, joinFoldersOf, touchFolders } from './relationships';
import { lookupReferences, type RegisteredRef } from './references';
import { reusedEntryUuids } from './registered-entry-uuids';

export interface SubmitOptions {
  profile: AffinityProfile;
  patientPolicy: PatientPolicy;
  homeCommunityId: string;
  /** ITI-42 needs hash, size and repositoryUniqueId on every stable document. */
  requireRepositoryFields: boolean;
  /** Current time as XDS DTM (injectable for tests). */
  now?: () => string;
  /**
   * Rows of other tables that commit with the submission (repository index, audit outbox), given
   * what is stored and which of its documents re-register a uniqueId (entryUUIDs).
   */
  extraRows?: (registered: Submission, reregistered: ReadonlySet<string>) => StoreRows[];
  /**
   * Told, inside the transaction, of registered documents the submission changed (deprecated by
   * a replacement), so that what observes changes commits with it. The one-statement path
   * changes no registered object, so it never calls this.
   */
  changedInTransaction?: (tx: StoreTransaction, changed: Array<{ kind: 'DocumentEntry'; entryUuid: string }>) => Promise<void>;
  /** Extra writes that need a transaction around the submission; prefer extraRows, which keeps the one-statement path. */
  withinTransaction?: (tx: StoreTransaction, registered: Submission) => Promise<void>;
  /** Called when the submission is an identical retry of a registered one: nothing is stored, no statement runs. */
  onReplay?: () => void;
}

export function dtmNow(): string {
  return new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Canonical patient ids and the registry-set attributes of new objects. */
function prepare(s: Submission, homeCommunityId: string, now: string): Submission {
  const approved = AvailabilityStatus.Approved;
  const patient = (p: string) => normalizeCx(p) ?? p;
  return {
    submissionSet: { ...s.submissionSet, patientId: patient(s.submissionSet.patientId), availabilityStatus: approved, homeCommunityId },
    documents: s.documents.map((d) => ({ ...d, patientId: patient(d.patientId), availabilityStatus: approved, logicalId: d.entryUuid, version: 1, homeCommunityId })),
    folders: s.folders.map((f) => ({ ...f, patientId: patient(f.patientId), availabilityStatus: approved, logicalId: f.entryUuid, version: 1, lastUpdateTime: now, homeCommunityId })),
    associations: s.associations.map((a) => ({ ...a, availabilityStatus: approved })),
  };
}

/** The rules that need no database: structure, code sets, message consistency. */
export function precheckSubmission(input: Submission, options: Pick<SubmitOptions, 'profile' | 'requireRepositoryFields'>): { errors: RegistryErrorDetail[]; warnings: RegistryErrorDetail[] } {
  const checks = [
    ...validateSubmissionStructure(input, { requireRepositoryFields: options.requireRepositoryFields }),
    ...validateCodes(input, options.profile),
    ...checkMessage(input),
  ];
  return { errors: checks.filter((e) => e.severity === 'Error'), warnings: checks.filter((e) => e.severity === 'Warning') };
}

export async function submitToRegistry(store: RegistryStore, input: Submission, options: SubmitOptions): Promise<SubmitResult> {
  const { errors, warnings } = precheckSubmission(input, options);
  if (errors.length > 0) return failedSubmission(errors);

  const now = (options.now ?? dtmNow)();
  const assigned = assignEntryUuids(input);
  const submission = prepare(assigned.submission, options.homeCommunityId, now);
  const attempt = () => register(store, submission, assigned.ids, options, now);
  try {
    let ids: Record<string, string>;
    try {
      ids = await attempt();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // A concurrent submission registered one of our uniqueIds between our lookup and our
      // insert. Once more: the lookup now sees it (identical retry, resubmission or duplicate).
      ids = await attempt();
    }
    return { status: 'Success', errors: warnings, ids };
  } catch (err) {
    if (err instanceof RegistryError) return failedSubmission(err.errors);
    if (isUniqueViolation(err)) {
      const reused = await reusedEntryUuids(store.session, submission);
      return failedSubmission(reused.length > 0 ? reused : [{ code: XdsErrorCode.XDSDuplicateUniqueIdInRegistry, severity: 'Error', context: 'a uniqueId of this submission was registered concurrently' }]);
    }
    throw err;
  }
}

/** Whether any association names an object registered before this submission. */
function referencesRegisteredObjects(s: Submission): boolean {
  const local = entryIdsOf(s);
  return s.associations.some((a) => !local.has(a.sourceId) || !local.has(a.targetId));
}

/**
 * The common case — new objects only, nothing registered is referenced or changed — is one
 * lookup and one atomic INSERT statement, with no explicit transaction: unique indexes catch
 * a concurrent duplicate. Anything that reads and changes registered objects (relationships,
 * folder additions) or depends on them staying (re-registered uniqueIds) runs in a
 * transaction holding row locks.
 */
async function register(store: RegistryStore, submission: Submission, givenIds: Record<string, string>, options: SubmitOptions, now: string): Promise<Record<string, string>> {
  if (!options.withinTransaction && !referencesRegisteredObjects(submission)) {
    const refs = await lookupReferences(store.session, submission, { lock: false });
    assertPatientKnown(submission.submissionSet.patientId, refs.patientKnown, options.patientPolicy);
    if (refs.replay) {
      options.onReplay?.();
      return replayedIds(givenIds, refs.replay);
    }
    if (refs.reregistered.size === 0) {
      checkAssociations(submission, refs.external);
      await store.session.insertObjects(objectsOf(submission, refs.reregistered), options.extraRows?.(submission, refs.reregistered) ?? []);
      return givenIds;
    }
  }
  return store.transaction(async (tx) => {
    const refs = await lookupReferences(tx, submission, { lock: true });
    assertPatientKnown(submission.submissionSet.patientId, refs.patientKnown, options.patientPolicy);
    // An identical retry of a registered submission: answer as before, store nothing.
    if (refs.replay) {
      options.onReplay?.();
      return replayedIds(givenIds, refs.replay);
    }
    // A document whose uniqueId is registered with the same content (another submission set)
    // is a DocumentEntry of its own, beside the registered ones, with its own entryUUID.
    const linked = checkAssociations(submission, refs.external);
    await tx.insertObjects(objectsOf(submission, refs.reregistered), options.extraRows?.(submission, refs.reregistered) ?? []);
    await deprecateReplaced(tx, linked.replacedTargets);
    if (linked.replacedTargets.length > 0) await options.changedInTransaction?.(tx.transaction, linked.replacedTargets.map((entryUuid) => ({ kind: 'DocumentEntry' as const, entryUuid })));
    await joinFoldersOf(tx, linked.replacements, now);
    await touchFolders(tx, linked.existingFoldersExtended, now);
    await options.withinTransaction?.(tx.transaction, submission);
    return givenIds;
  });
}

function objectsOf(s: Submission, reregistered: ReadonlySet<string>): RegistryObjects {
  return { submissionSets: [s.submissionSet], documents: s.documents, folders: s.folders, associations: s.associations, reregistered };
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

/** The ids of an identical retry: each given id whose object is registered already, as it was registered. */
function replayedIds(ids: Record<string, string>, registered: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [given, uuid] of Object.entries(ids)) {
    const existing = registered.get(uuid);
    if (existing) out[given] = existing;
  }
  return out;
}

interface LinkedEffects {
  /** Registered documents that RPLC/XFRM_RPLC associations deprecate. */
  replacedTargets: string[];
  /** New document -> the registered document it replaces (joins its folders). */
  replacements: Array<{ newDocument: string; original: string; patientId: string }>;
  /** Registered folders that gain documents (lastUpdateTime changes). */
  existingFoldersExtended: string[];
}

/** Association rules that need registered objects: endpoints exist, same patient, relationship targets approved. */
function checkAssociations(s: Submission, external: Map<string, RegisteredRef>): LinkedEffects {
  const problems: RegistryErrorDetail[] = [];
  const local = new Map<string, { kind: RegisteredRef['kind']; patientId: string }>();
  local.set(s.submissionSet.entryUuid, { kind: 'SubmissionSet', patientId: s.submissionSet.patientId });
  for (const d of s.documents) local.set(d.entryUuid, { kind: 'DocumentEntry', patientId: d.patientId });
  for (const f of s.folders) local.set(f.entryUuid, { kind: 'Folder', patientId: f.patientId });
  for (const a of s.associations) local.set(a.entryUuid, { kind: 'Association', patientId: s.submissionSet.patientId });
  const find = (id: string) => local.get(id) ?? external.get(id);
  const effects: LinkedEffects = { replacedTargets: [], replacements: [], existingFoldersExtended: [] };
  const replacedOnce = new Set<string>();

  for (const a of s.associations) {
    const source = find(a.sourceId);
    const target = find(a.targetId);
    const where = a.entryUuid;
    if (!source || !target) {
      const missing = !source ? a.sourceId : a.targetId;
      problems.push({ code: XdsErrorCode.UnresolvedReferenceException, severity: 'Error', context: `association references ${missing}, which is neither in the submission nor in the registry`, location: where });
      continue;
    }
    if (a.type === AssociationType.HasMember) {
      checkHasMember(a, source, target, external, effects, problems, s.submissionSet.entryUuid);
      continue;
    }
    if (!RELATIONSHIP_TYPES.has(a.type)) continue;
    const registered = external.get(a.targetId);
    if (!registered || registered.kind !== 'DocumentEntry') {
      problems.push({ code: XdsErrorCode.UnresolvedReferenceException, severity: 'Error', context: `the target of a ${a.type.split(':').pop()} association must be a registered DocumentEntry`, location: where });
      continue;
    }
    if (registered.patientId !== source.patientId) {
      problems.push({ code: XdsErrorCode.XDSPatientIdDoesNotMatch, severity: 'Error', context: `document ${a.targetId} belongs to another patient`, location: where });
    }
    if (registered.status !== 'Approved') {
      problems.push({ code: XdsErrorCode.XDSRegistryDeprecatedDocumentError, severity: 'Error', context: `document ${a.targetId} is ${registered.status}, not Approved`, location: where });
    }
    if (REPLACING_TYPES.has(a.type)) {
      if (replacedOnce.has(a.targetId)) {
        problems.push({ code: XdsErrorCode.XDSRegistryMetadataError, severity: 'Error', context: `document ${a.targetId} is replaced twice in one submission`, location: where });
      }
      replacedOnce.add(a.targetId);
      effects.replacedTargets.push(a.targetId);
      effects.replacements.push({ newDocument: a.sourceId, original: a.targetId, patientId: source.patientId });
    }
  }
  if (problems.length > 0) throw new RegistryError(problems);
  return effects;
}

function checkHasMember(
  a: Association,
  source: { kind: string; patientId: string },
  target: { kind: string; patientId: string },
  external: Map<string, RegisteredRef>,
  effects: LinkedEffects,
  problems: RegistryErrorDetail[],
  submissionSetId: string,
): void {
  const where = a.entryUuid;
  if (source.kind === 'SubmissionSet') {
    if (a.sourceId !== submissionSetId) {
      problems.push({ code: XdsErrorCode.XDSRegistryMetadataError, severity: 'Error', context: 'a submission can add members only to its own SubmissionSet', location: where });
    }
    return;
  }
  if (source.kind !== 'Folder' || target.kind !== 'DocumentEntry') {
    problems.push({ code: XdsErrorCode.XDSRegistryMetadataError, severity: 'Error', context: `HasMember from ${source.kind} to ${target.kind} is not allowed`, location: where });
    return;
  }
  if (source.patientId !== target.patientId) {
    problems.push({ code: XdsErrorCode.XDSPatientIdDoesNotMatch, severity: 'Error', context: 'a folder may only hold documents of its own patient', location: where });
  }
  const registeredFolder = external.get(a.sourceId);
  if (registeredFolder) {
    if (registeredFolder.status !== 'Approved') {
      problems.push({ code: XdsErrorCode.XDSRegistryMetadataError, severity: 'Error', context: `folder ${a.sourceId} is ${registeredFolder.status}`, location: where });
    }
    effects.existingFoldersExtended.push(a.sourceId);
  }
}
