/**
 * ATNA audit of the XDS.b transactions: turns what a handler knows (its transaction, the caller,
 * the response status and errors, the submission / query / documents) into the AuditInput of
 * the audit layer, so each handler makes one call and no IHE audit detail is repeated per
 * transaction. Changes put `rows(...)` into the registry statement (or `record(..., tx)` into
 * its transaction); reads and failures `record(...)` before the response is sent.
 */
import type { AuditDocument, AuditInput, AuditQuery, AuditSubmissionSet } from '../audit/audit-input';
import { Outcome as AuditOutcomes, outcomeOfXdsStatus } from '../audit/audit-input';
import type { AuditOutcome } from '../audit/fhir-audit-event';
import type { DocumentEntry } from '../domain/metadata';
import { SYSTEM_PRINCIPAL } from '../domain/principal';
import type { RegistryErrorDetail } from '../domain/registry-error';
import { StoredQueryId } from '../domain/stored-query-catalog';
import type { ResponseStatus, Submission, SubmitResult } from '../domain/submission';
import { SoapFault } from '../soap';
import type { SqlExecutor } from '../store/sql/database';
import type { TableRows } from '../store/sql/table-rows';
import type { XdsTransaction } from './actions';
import type { XdsCall, XdsHandler, XdsServices } from './handler';
import { outcomeOf, withWarnings, type Outcome } from './registry-response';

/** What a handler tells about one request; everything else comes from the call and the transaction. */
export interface XdsAuditFacts {
  /** The response status; its errors become the outcome description of a failure. */
  status: ResponseStatus;
  errors?: readonly RegistryErrorDetail[];
  /** Overrides the outcome derived from the status (SOAP faults). */
  outcome?: AuditOutcome;
  outcomeDesc?: string;
  patientId?: string;
  documents?: readonly AuditDocument[];
  submissionSet?: AuditSubmissionSet;
  query?: AuditQuery;
}

/** The submission's patient, set and documents, as the audit entities of an ITI-41/42. */
export function submissionFacts(s: Submission): Pick<XdsAuditFacts, 'patientId' | 'submissionSet' | 'documents'> {
  return {
    patientId: s.submissionSet.patientId,
    submissionSet: { uniqueId: s.submissionSet.uniqueId, entryUuid: s.submissionSet.entryUuid },
    documents: s.documents.map(auditDocument),
  };
}

function auditDocument(d: DocumentEntry): AuditDocument {
  return {
    uniqueId: d.uniqueId,
    entryUuid: d.entryUuid,
    ...(d.repositoryUniqueId !== undefined ? { repositoryUniqueId: d.repositoryUniqueId } : {}),
    ...(d.title !== undefined ? { title: d.title } : {}),
    ...(d.typeCode !== undefined ? { typeCode: d.typeCode } : {}),
  };
}

/** Only errors explain a failure; warnings of a success are not an outcome description. */
function describeErrors(errors: readonly RegistryErrorDetail[]): string | undefined {
  const text = errors.filter((e) => e.severity === 'Error').map((e) => `${e.code}: ${e.context}`).join('; ');
  return text === '' ? undefined : text;
}

export class XdsAudit {
  constructor(
    private readonly services: XdsServices,
    private readonly transaction: XdsTransaction['id'],
    private readonly call: XdsCall,
  ) {}

  input(facts: XdsAuditFacts): AuditInput {
    const outcomeDesc = facts.outcomeDesc ?? describeErrors(facts.errors ?? []);
    return {
      transaction: this.transaction,
      outcome: facts.outcome ?? outcomeOfXdsStatus(facts.status),
      ...(outcomeDesc !== undefined ? { outcomeDesc } : {}),
      principal: this.call.principal,
      ...(this.call.traceparent !== undefined ? { traceparent: this.call.traceparent } : {}),
      ...(facts.patientId !== undefined ? { patientId: facts.patientId } : {}),
      ...(facts.documents && facts.documents.length > 0 ? { documents: facts.documents } : {}),
      ...(facts.submissionSet ? { submissionSet: facts.submissionSet } : {}),
      ...(facts.query ? { query: facts.query } : {}),
    };
  }

  /** Audit rows for the statement that commits the change (registry extraRows). */
  rows(facts: XdsAuditFacts): TableRows[] {
    return this.services.audit.trail.rows(this.input(facts));
  }

  /** Writes the event now: into the change's transaction when given, else on its own before the response goes out. */
  async record(facts: XdsAuditFacts, db: SqlExecutor = this.services.db): Promise<void> {
    await this.services.audit.trail.record(db, this.input(facts));
  }


  /**
   * ITI-43 / ITI-86 name documents by uniqueId only; their patients come from the registry's
   * metadata (which ITI-86 leaves in place). One event per patient, as IHE asks of audit
   * messages; documents the registry does not know go into an event without a patient.
   */
  async recordDocuments(facts: XdsAuditFacts, documents: readonly AuditDocument[]): Promise<void> {
    const patients = await this.patientsOf(documents.flatMap((d) => (d.uniqueId !== undefined ? [d.uniqueId] : [])));
    const groups = new Map<string | undefined, AuditDocument[]>();
    for (const d of documents) {
      const patient = d.uniqueId !== undefined ? patients.get(d.uniqueId) : undefined;
      groups.set(patient, [...(groups.get(patient) ?? []), d]);
    }
    if (groups.size === 0) groups.set(undefined, []);
    for (const [patientId, docs] of groups) await this.record({ ...facts, documents: docs, ...(patientId !== undefined ? { patientId } : {}) });
  }

  private async patientsOf(uniqueIds: readonly string[]): Promise<Map<string, string>> {
    if (uniqueIds.length === 0) return new Map();
    const result = await this.services.registry.query({ queryId: StoredQueryId.GetDocuments, returnType: 'LeafClass', params: { $XDSDocumentEntryUniqueId: [[...new Set(uniqueIds)]] } }, SYSTEM_PRINCIPAL);
    return new Map(result.objects.flatMap((o) => (o.kind === 'DocumentEntry' ? [[o.uniqueId, o.patientId] as const] : [])));
  }
}

export function xdsAudit(services: XdsServices, transaction: XdsTransaction['id'], call: XdsCall): XdsAudit {
  return new XdsAudit(services, transaction, call);
}

/**
 * Wraps a handler so a request it rejects with a SOAP fault (malformed message) or fails on
 * (our error) is audited too, in this one place: a failure event without a patient, since the
 * message could not be read. A failing audit write must not replace the fault the caller gets.
 */
export function auditingFaults(services: XdsServices, transaction: XdsTransaction['id'], handler: XdsHandler): XdsHandler {
  return async (request, call) => {
    try {
      return await handler(request, call);
    } catch (err) {
      const sender = err instanceof SoapFault && err.code === 'Sender';
      const outcomeDesc = err instanceof SoapFault ? err.reasons.map((r) => r.text).join('; ') : 'internal error';
      await xdsAudit(services, transaction, call)
        .record({ status: 'Failure', outcome: sender ? AuditOutcomes.MinorFailure : AuditOutcomes.SeriousFailure, outcomeDesc })
        .catch(() => undefined);
      throw err;
    }
  };
}

export type ExtraRows = (registered: Submission) => TableRows[];

/**
 * The audited path of a submission (ITI-41 and ITI-42): the success event goes in through
 * extraRows, so it commits in the same statement as the registered objects; a rejected
 * submission commits nothing, so its failure event is recorded on its own before the answer.
 */
export async function auditedSubmission(
  services: XdsServices,
  transaction: XdsTransaction['id'],
  call: XdsCall,
  read: () => { submission: Submission; warnings: RegistryErrorDetail[] },
  submit: (submission: Submission, extraRows: ExtraRows) => Promise<SubmitResult>,
): Promise<Outcome> {
  const audit = xdsAudit(services, transaction, call);
  let submitted: Submission | undefined;
  // Set when the event went into the submission's statement (not for a replayed retry).
  let inStatement = false;
  const outcome = await outcomeOf(async () => {
    const { submission, warnings } = read();
    submitted = submission;
    return withWarnings(await submit(submission, (registered) => {
      inStatement = true;
      // The objects actually stored (resubmitted documents are not among them).
      return audit.rows({ status: 'Success', ...submissionFacts(registered) });
    }), warnings);
  });
  const facts = submitted ? submissionFacts(submitted) : {};
  if (outcome.status === 'Failure') await audit.record({ status: 'Failure', errors: outcome.errors, ...facts });
  // An identical retry of a registered submission stores nothing, so no statement carried the event.
  else if (!inStatement) await audit.record({ status: outcome.status, ...facts });
  return outcome;
}
