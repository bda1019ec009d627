/**
 * What a submission refers to in the registry, read in one round trip: registered
 * objects with the same uniqueIds (duplicates, re-registrations, retries) and registered
 * association endpoints. Relationship targets are locked so two submissions can't
 * replace the same document at once.
 */
import { XdsErrorCode } from '../domain/error-codes';
import { RELATIONSHIP_TYPES, type DocumentEntry, type ObjectKind } from '../domain/metadata';
import { RegistryError, type RegistryErrorDetail } from '../domain/registry-error';
import { entryIdsOf, type Submission } from '../domain/submission';
import type { ReferenceHit, RegistrySession } from './ports';

export interface RegisteredRef {
  kind: ObjectKind;
  entryUuid: string;
  patientId: string;
  status: string;
}

export interface References {
  /**
   * entryUUIDs of the submission's documents whose uniqueId is registered already, with the same
   * hash and size: each is registered again as a DocumentEntry of its own (not an error).
   */
  reregistered: Set<string>;
  /** Registered objects named by association endpoints. */
  external: Map<string, RegisteredRef>;
  /** Whether the patient identity feed knows the submission's patient. */
  patientKnown: boolean;
  /** Set when the submission set itself is already registered with identical documents: its entryUUIDs -> the registered ones. */
  replay?: Map<string, string>;
}

export async function lookupReferences(tx: RegistrySession, s: Submission, opts: { lock: boolean }): Promise<References> {
  const inMessage = entryIdsOf(s);
  const externalIds = [...new Set(s.associations.flatMap((a) => [a.sourceId, a.targetId]).filter((id) => !inMessage.has(id)))];
  const relationshipTargets = s.associations.filter((a) => RELATIONSHIP_TYPES.has(a.type) && !inMessage.has(a.targetId)).map((a) => a.targetId);
  if (opts.lock) {
    await tx.lockSubmissionTargets({ replaced: relationshipTargets, referenced: externalIds, documentUniqueIds: s.documents.map((d) => d.uniqueId) });
  }
  const hits = await tx.findReferences(s, externalIds);

  const problems: RegistryErrorDetail[] = [];
  const reregistered = new Set<string>();
  const refused = new Set<string>();
  const external = new Map<string, RegisteredRef>();
  let registeredSubmissionSet: ReferenceHit | undefined;
  let patientKnown = false;
  const byUniqueId = new Map(s.documents.map((d) => [d.uniqueId, d]));
  for (const row of hits) {
    if (row.role === 'patient') {
      patientKnown = true;
    } else if (row.role === 'ref') {
      external.set(row.entryUuid, { kind: row.kind, entryUuid: row.entryUuid, patientId: row.patientId ?? '', status: row.status });
    } else if (row.role === 'ss') {
      registeredSubmissionSet = row;
    } else if (row.role === 'folder') {
      problems.push({ code: XdsErrorCode.XDSDuplicateUniqueIdInRegistry, severity: 'Error', context: `folder uniqueId ${row.uniqueId} is already registered`, location: row.uniqueId ?? undefined });
    } else {
      const doc = byUniqueId.get(row.uniqueId ?? '')!;
      const problem = reregistrationProblem(doc, row);
      if (problem) {
        if (!refused.has(doc.uniqueId)) problems.push(problem);
        refused.add(doc.uniqueId);
      } else {
        reregistered.add(doc.entryUuid);
      }
    }
  }
  if (problems.length > 0) throw new RegistryError(problems);
  if (registeredSubmissionSet) {
    const replay = await retryOf(tx, s, registeredSubmissionSet.entryUuid, reregistered);
    if (!replay) {
      throw RegistryError.of(XdsErrorCode.XDSDuplicateUniqueIdInRegistry, `submission set uniqueId ${s.submissionSet.uniqueId} is already registered`, s.submissionSet.uniqueId);
    }
    return { reregistered, external, patientKnown, replay };
  }
  return { reregistered, external, patientKnown };
}

/**
 * A uniqueId names one document's content: it may be registered again only with the same hash
 * and size (ITI TF-3 4.2.4.1 XDSNonIdenticalHash, XDSNonIdenticalSize), and for the same patient.
 */
function reregistrationProblem(doc: DocumentEntry, row: ReferenceHit): RegistryErrorDetail | undefined {
  const where = doc.uniqueId;
  if (!doc.hash || !row.hash) {
    return { code: XdsErrorCode.XDSDuplicateUniqueIdInRegistry, severity: 'Error', context: `document uniqueId ${doc.uniqueId} is already registered`, location: where };
  }
  if (doc.hash.toLowerCase() !== row.hash.toLowerCase()) {
    return { code: XdsErrorCode.XDSNonIdenticalHash, severity: 'Error', context: `document ${doc.uniqueId} is registered with a different hash`, location: where };
  }
  if (doc.size !== undefined && row.size !== null && Number(row.size) !== doc.size) {
    return { code: XdsErrorCode.XDSNonIdenticalSize, severity: 'Error', context: `document ${doc.uniqueId} is registered with size ${row.size}, not ${doc.size}`, location: where };
  }
  if (doc.patientId !== row.patientId) {
    return { code: XdsErrorCode.XDSDuplicateUniqueIdInRegistry, severity: 'Error', context: `document uniqueId ${doc.uniqueId} is already registered for another patient`, location: where };
  }
  return undefined;
}

/**
 * An identical retry of a registered submission set (same SubmissionSet uniqueId, no folders,
 * every document registered with the same content as a member of that set) is answered with
 * the ids of the first time: given entryUUID -> registered entryUUID. Undefined: not a retry.
 */
async function retryOf(tx: RegistrySession, s: Submission, registeredSet: string, reregistered: ReadonlySet<string>): Promise<Map<string, string> | undefined> {
  if (s.folders.length > 0 || !s.documents.every((d) => reregistered.has(d.entryUuid))) return undefined;
  const members = s.documents.length > 0 ? await tx.membersByUniqueId(registeredSet, s.documents.map((d) => d.uniqueId)) : new Map<string, string>();
  const replay = new Map([[s.submissionSet.entryUuid, registeredSet]]);
  for (const d of s.documents) {
    const member = members.get(d.uniqueId);
    if (!member) return undefined;
    replay.set(d.entryUuid, member);
  }
  return replay;
}
