/**
 * What a submission refers to in the registry, read in one round trip: registered
 * objects with the same uniqueIds (duplicates, resubmissions, retries) and registered
 * association endpoints. Relationship targets are locked so two submissions can't
 * replace the same document at once.
 */
import { XdsErrorCode } from '../domain/error-codes';
import { RELATIONSHIP_TYPES, type ObjectKind } from '../domain/metadata';
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
  /** New document entryUUID -> entryUUID of the identical registered document. */
  reusedDocuments: Map<string, string>;
  /** Registered objects named by association endpoints. */
  external: Map<string, RegisteredRef>;
  /** Whether the patient identity feed knows the submission's patient. */
  patientKnown: boolean;
  /** Set when the submission set itself is already registered with identical documents. */
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
    branches.push(`SELECT 'doc' AS role, 'DocumentEntry' AS kind, unique_id, entry_uuid, patient_id, status, hash FROM document_entries WHERE unique_id = ANY(${param(s.documents.map((d) => d.uniqueId), 'text[]')})`);
  }
  if (s.folders.length > 0) {
    branches.push(`SELECT 'folder' AS role, 'Folder' AS kind, unique_id, entry_uuid, patient_id, status, NULL AS hash FROM folders WHERE unique_id = ANY(${param(s.folders.map((f) => f.uniqueId), 'text[]')})`);
  }
  branches.push(`SELECT 'ss' AS role, 'SubmissionSet' AS kind, unique_id, entry_uuid, patient_id, status, NULL AS hash FROM submission_sets WHERE unique_id = ${param(s.submissionSet.uniqueId)}`);
  if (externalIds.length > 0) {
    const ids = param(externalIds, 'text[]');
    branches.push(
      `SELECT 'ref', 'DocumentEntry', unique_id, entry_uuid, patient_id, status, NULL FROM document_entries WHERE entry_uuid = ANY(${ids})`,
      `SELECT 'ref', 'Folder', unique_id, entry_uuid, patient_id, status, NULL FROM folders WHERE entry_uuid = ANY(${ids})`,
      `SELECT 'ref', 'SubmissionSet', unique_id, entry_uuid, patient_id, status, NULL FROM submission_sets WHERE entry_uuid = ANY(${ids})`,
      `SELECT 'ref', 'Association', NULL, entry_uuid, NULL, status, NULL FROM associations WHERE entry_uuid = ANY(${ids})`,
    );
  }
  branches.push(`SELECT 'patient', NULL, NULL, patient_id, patient_id, 'Approved', NULL FROM patients WHERE patient_id = ${param(s.submissionSet.patientId)} AND active`);
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
  const lookup = lookupQuery(s, externalIds);
  const r = await tx.query<Row>(lookup.text, lookup.values, FRESH_PLAN);

  const problems: RegistryErrorDetail[] = [];
  const reusedDocuments = new Map<string, string>();
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
      if (doc.hash && row.hash && doc.hash.toLowerCase() === row.hash.toLowerCase() && doc.patientId === row.patient_id) {
        if (!reusedDocuments.has(doc.entryUuid)) {
          reusedDocuments.set(doc.entryUuid, row.entry_uuid);
          // Associations to the resubmitted document now point at the registered entry.
          external.set(row.entry_uuid, { kind: 'DocumentEntry', entryUuid: row.entry_uuid, patientId: row.patient_id ?? '', status: row.status });
        }
      } else if (doc.hash && row.hash && doc.hash.toLowerCase() !== row.hash.toLowerCase()) {
        problems.push({ code: XdsErrorCode.XDSNonIdenticalHash, severity: 'Error', context: `document ${doc.uniqueId} is registered with a different hash`, location: doc.uniqueId });
      } else {
        problems.push({ code: XdsErrorCode.XDSDuplicateUniqueIdInRegistry, severity: 'Error', context: `document uniqueId ${doc.uniqueId} is already registered`, location: doc.uniqueId });
      }
    }
  }
  if (problems.length > 0) throw new RegistryError(problems);
  if (registeredSubmissionSet) {
    const identicalRetry = s.folders.length === 0 && s.documents.every((d) => reusedDocuments.has(d.entryUuid));
    if (!identicalRetry) {
      throw RegistryError.of(XdsErrorCode.XDSDuplicateUniqueIdInRegistry, `submission set uniqueId ${s.submissionSet.uniqueId} is already registered`, s.submissionSet.uniqueId);
    }
    const replay = new Map(reusedDocuments);
    replay.set(s.submissionSet.entryUuid, registeredSubmissionSet.entry_uuid);
    return { reusedDocuments, external, patientKnown, replay };
  }
  return { reusedDocuments, external, patientKnown };
}
