/**
 * What a submission refers to in the registry, read in one round trip: registered
 * objects with the same uniqueIds (duplicates, re-registrations, retries) and registered
 * association endpoints. Relationship targets are locked so two submissions can't
 * replace the same document at once.
 */
import { XdsErrorCode } from '../domain/error-codes';
import { AssociationType, RELATIONSHIP_TYPES, type DocumentEntry, type ObjectKind } from '../domain/metadata';
import { RegistryError, type RegistryErrorDetail } from '../domain/registry-error';
import { entryIdsOf, type Submission } from '../domain/submission';
import type { QueryOptions, SqlExecutor } from '../store/sql/database';

/** The submission path's lookups run on tables that grow from empty (see QueryOptions). */
export const FRESH_PLAN: QueryOptions = { planEachTime: true };

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

interface Row {
  role: 'doc' | 'folder' | 'ss' | 'ref' | 'patient';
  kind: ObjectKind;
  unique_id: string | null;
  entry_uuid: string;
  patient_id: string | null;
  status: string;
  hash: string | null;
  /** bigint: a string from pg. */
  size: string | number | null;
}

/**
 * The lookup, one UNION ALL branch per kind of reference, and only the branches the submission
 * needs: a branch with an empty array would still scan its whole table when the plan cached
 * for the statement is a sequential scan (PostgreSQL does not skip `= ANY('{}')`), and plans
 * cached while a fresh registry's tables were tiny are exactly that (measured: 3.2 ms per
 * submission after 15,000 submissions, instead of 0.1 ms). The few SQL texts this builds are
 * each prepared once per connection. Whichever branch comes first names the columns.
 */
function lookupQuery(s: Submission, externalIds: string[]): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (v: unknown, type = 'text') => `$${values.push(v)}::${type}`;
  const branches: string[] = [];
  if (s.documents.length > 0) {
    branches.push(`SELECT 'doc' AS role, 'DocumentEntry' AS kind, unique_id, entry_uuid, patient_id, status, hash, size FROM document_entries WHERE unique_id = ANY(${param(s.documents.map((d) => d.uniqueId), 'text[]')})`);
  }
  if (s.folders.length > 0) {
    branches.push(`SELECT 'folder' AS role, 'Folder' AS kind, unique_id, entry_uuid, patient_id, status, NULL AS hash, NULL AS size FROM folders WHERE unique_id = ANY(${param(s.folders.map((f) => f.uniqueId), 'text[]')})`);
  }
  branches.push(`SELECT 'ss' AS role, 'SubmissionSet' AS kind, unique_id, entry_uuid, patient_id, status, NULL AS hash, NULL AS size FROM submission_sets WHERE unique_id = ${param(s.submissionSet.uniqueId)}`);
  if (externalIds.length > 0) {
    const ids = param(externalIds, 'text[]');
    branches.push(
      `SELECT 'ref', 'DocumentEntry', unique_id, entry_uuid, patient_id, status, NULL, NULL FROM document_entries WHERE entry_uuid = ANY(${ids})`,
      `SELECT 'ref', 'Folder', unique_id, entry_uuid, patient_id, status, NULL, NULL FROM folders WHERE entry_uuid = ANY(${ids})`,
      `SELECT 'ref', 'SubmissionSet', unique_id, entry_uuid, patient_id, status, NULL, NULL FROM submission_sets WHERE entry_uuid = ANY(${ids})`,
      `SELECT 'ref', 'Association', NULL, entry_uuid, NULL, status, NULL, NULL FROM associations WHERE entry_uuid = ANY(${ids})`,
    );
  }
  branches.push(`SELECT 'patient', NULL, NULL, patient_id, patient_id, 'Approved', NULL, NULL FROM patients WHERE patient_id = ${param(s.submissionSet.patientId)} AND active`);
  return { text: branches.join('\n  UNION ALL\n  '), values };
}

export async function lookupReferences(tx: SqlExecutor, s: Submission, opts: { lock: boolean }): Promise<References> {
  const inMessage = entryIdsOf(s);
  const externalIds = [...new Set(s.associations.flatMap((a) => [a.sourceId, a.targetId]).filter((id) => !inMessage.has(id)))];
  const relationshipTargets = s.associations.filter((a) => RELATIONSHIP_TYPES.has(a.type) && !inMessage.has(a.targetId)).map((a) => a.targetId);
  if (opts.lock && relationshipTargets.length > 0) {
    await tx.query('SELECT entry_uuid FROM document_entries WHERE entry_uuid = ANY($1::text[]) FOR UPDATE', [relationshipTargets], FRESH_PLAN);
  }
  if (opts.lock && externalIds.length > 0) {
    // A concurrent delete (ITI-62) locks its objects FOR UPDATE before checking references:
    // holding these FOR SHARE makes it wait for this submission and then see our associations.
    await tx.query('SELECT 1 FROM document_entries WHERE entry_uuid = ANY($1::text[]) FOR SHARE', [externalIds], FRESH_PLAN);
    await tx.query('SELECT 1 FROM folders WHERE entry_uuid = ANY($1::text[]) FOR SHARE', [externalIds], FRESH_PLAN);
  }
  if (opts.lock && s.documents.length > 0) {
    // Entries our documents re-register may not vanish (ITI-62) before we commit: a different
    // document could then take their uniqueId as its first registration beside ours.
    await tx.query('SELECT 1 FROM document_entries WHERE unique_id = ANY($1::text[]) FOR SHARE', [s.documents.map((d) => d.uniqueId)], FRESH_PLAN);
  }
  const lookup = lookupQuery(s, externalIds);
  const r = await tx.query<Row>(lookup.text, lookup.values, FRESH_PLAN);

  const problems: RegistryErrorDetail[] = [];
  const reregistered = new Set<string>();
  const refused = new Set<string>();
  const external = new Map<string, RegisteredRef>();
  let registeredSubmissionSet: Row | undefined;
  let patientKnown = false;
  const byUniqueId = new Map(s.documents.map((d) => [d.uniqueId, d]));
  for (const row of r.rows) {
    if (row.role === 'patient') {
      patientKnown = true;
    } else if (row.role === 'ref') {
      external.set(row.entry_uuid, { kind: row.kind, entryUuid: row.entry_uuid, patientId: row.patient_id ?? '', status: row.status });
    } else if (row.role === 'ss') {
      registeredSubmissionSet = row;
    } else if (row.role === 'folder') {
      problems.push({ code: XdsErrorCode.XDSDuplicateUniqueIdInRegistry, severity: 'Error', context: `folder uniqueId ${row.unique_id} is already registered`, location: row.unique_id ?? undefined });
    } else {
      const doc = byUniqueId.get(row.unique_id ?? '')!;
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
    const replay = await retryOf(tx, s, registeredSubmissionSet.entry_uuid, reregistered);
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
function reregistrationProblem(doc: DocumentEntry, row: Row): RegistryErrorDetail | undefined {
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
  if (doc.patientId !== row.patient_id) {
    return { code: XdsErrorCode.XDSDuplicateUniqueIdInRegistry, severity: 'Error', context: `document uniqueId ${doc.uniqueId} is already registered for another patient`, location: where };
  }
  return undefined;
}

/**
 * An identical retry of a registered submission set (same SubmissionSet uniqueId, no folders,
 * every document registered with the same content as a member of that set) is answered with
 * the ids of the first time: given entryUUID -> registered entryUUID. Undefined: not a retry.
 */
async function retryOf(tx: SqlExecutor, s: Submission, registeredSet: string, reregistered: ReadonlySet<string>): Promise<Map<string, string> | undefined> {
  if (s.folders.length > 0 || !s.documents.every((d) => reregistered.has(d.entryUuid))) return undefined;
  const members = new Map<string, string>();
  if (s.documents.length > 0) {
    const r = await tx.query<{ unique_id: string; entry_uuid: string }>(
      `SELECT d.unique_id, d.entry_uuid FROM associations a JOIN document_entries d ON d.entry_uuid = a.target_id
        WHERE a.source_id = $1 AND a.type = $2 AND d.unique_id = ANY($3::text[])`,
      [registeredSet, AssociationType.HasMember, s.documents.map((d) => d.uniqueId)],
      FRESH_PLAN,
    );
    for (const row of r.rows) members.set(row.unique_id, row.entry_uuid);
  }
  const replay = new Map([[s.submissionSet.entryUuid, registeredSet]]);
  for (const d of s.documents) {
    const member = members.get(d.uniqueId);
    if (!member) return undefined;
    replay.set(d.entryUuid, member);
  }
  return replay;
}
