/**
 * The audit record of one request, for every front end. The front end opens a scope with what
 * it knows of the request (transaction, caller, endpoint, the query as received) and notes the
 * facts it learns (patient, documents, submission set); the core (registry, repository) writes
 * the record: a change's in the change's statement or transaction, an identical retry's and a
 * refused change's on their own, a read's before its answer. A request the core never reached
 * (a message that could not be read, a refused caller) is failed by the front end, and that
 * failure is written only when nothing else was.
 */
import type { RegistryErrorDetail } from '../domain/registry-error';
import type { StoreRows, StoreTransaction } from '../domain/store-transaction';
import { Outcome, type AuditDocument, type AuditInput, type AuditedQuery, type AuditSubmissionSet } from './audit-input';
import type { AuditAction, AuditOutcome } from './fhir-audit-event';
import type { AuditTransaction } from './transactions';
import type { Principal } from '../domain/principal';
import type { RestInteraction } from '../transactions';

/** What a front end knows of a request when it arrives. */
export interface AuditRequest {
  transaction: AuditTransaction;
  principal: Principal;
  /** This gateway's endpoint that served the request. */
  endpoint?: string;
  /** W3C traceparent of the request. */
  traceparent?: string;
  /** The query as received (FHIR search string, AdhocQuery XML). */
  query?: AuditedQuery;
  /**
   * The outcome of a change the registry refused, as the front end answers it (MHD: by the
   * HTTP status its errors map to; XDS.b: a Failure response). Default: a serious failure.
   */
  refusalOutcome?: (errors: readonly RegistryErrorDetail[]) => AuditOutcome;
}

/** What is learnt about a request as it is served. */
export interface AuditFacts {
  patientId?: string;
  documents?: readonly AuditDocument[];
  submissionSet?: AuditSubmissionSet;
  action?: AuditAction;
  /** The query, once read (a POST _search's form); default: the request's. */
  query?: AuditedQuery;
  /** See AuditInput.interaction and AuditInput.resource. */
  interaction?: RestInteraction;
  resource?: string;
}

/** Only errors explain a failure; warnings of a success are not an outcome description. */
export function describeErrors(errors: readonly RegistryErrorDetail[]): string | undefined {
  const text = errors.filter((e) => e.severity === 'Error').map((e) => `${e.code}: ${e.context}`).join('; ');
  return text === '' ? undefined : text;
}

/** Where a scope's records go: the audit trail (declared here so the trail can open scopes). */
export interface AuditRecords {
  /** The record as rows of a change's statement. */
  rows(input: AuditInput): StoreRows[];
  /** Writes the record inside `tx`, or on its own (grouped with others) without. */
  record(input: AuditInput, tx?: StoreTransaction): Promise<unknown>;
}

export class AuditScope {
  private facts: AuditFacts = {};
  private written = false;

  constructor(
    private readonly trail: AuditRecords,
    private readonly request: AuditRequest,
  ) {}

  note(facts: AuditFacts): void {
    this.facts = { ...this.facts, ...facts };
  }

  /** Front end: the request failed with this outcome; written unless the core already wrote the record. */
  async failed(outcome: AuditOutcome, description?: string): Promise<void> {
    if (this.written) return;
    this.written = true;
    await this.trail.record(this.input(outcome, description));
  }

  /** Core: the success record as rows of the statement that writes the change; call committed() once it committed. */
  changeRows(): StoreRows[] {
    return this.trail.rows(this.input(Outcome.Success));
  }

  /** Core: the statement that carried changeRows() committed. */
  committed(): void {
    this.written = true;
  }

  /** Core: the success record, on its own, before a read (or an identical retry) is answered. */
  async succeeded(): Promise<void> {
    await this.trail.record(this.input(Outcome.Success));
    this.written = true;
  }

  /** Core: the success record in the change's transaction; call committed() once that committed. */
  async recordIn(tx: StoreTransaction): Promise<void> {
    await this.trail.record(this.input(Outcome.Success), tx);
  }

  /** Core: a refused change (nothing committed): its failure record, on its own. */
  async refused(errors: readonly RegistryErrorDetail[]): Promise<void> {
    const outcome = this.request.refusalOutcome?.(errors) ?? Outcome.SeriousFailure;
    await this.failed(outcome, describeErrors(errors));
  }

  /**
   * Core: one record per patient of the documents (IHE asks one patient per audit message),
   * documents of no known patient in one without; `outcome` and `errors` describe the request.
   */
  async perPatient(documents: ReadonlyArray<AuditDocument & { patientId?: string }>, outcome: AuditOutcome, errors: readonly RegistryErrorDetail[]): Promise<void> {
    const groups = new Map<string | undefined, AuditDocument[]>();
    for (const { patientId, ...d } of documents) groups.set(patientId, [...(groups.get(patientId) ?? []), d]);
    if (groups.size === 0) groups.set(undefined, []);
    const description = describeErrors(errors);
    for (const [patientId, docs] of groups) {
      const facts = { ...this.facts, documents: docs, ...(patientId !== undefined ? { patientId } : {}) };
      await this.trail.record(this.input(outcome, description, facts));
    }
    this.written = true;
  }

  private input(outcome: AuditOutcome, outcomeDesc?: string, facts: AuditFacts = this.facts): AuditInput {
    const { principal, transaction, endpoint, traceparent } = this.request;
    const query = facts.query ?? this.request.query;
    // A patient-context caller only ever reaches its own patient's data.
    const patientId = facts.patientId ?? principal.patientId;
    return {
      transaction,
      outcome,
      ...(outcomeDesc !== undefined ? { outcomeDesc } : {}),
      ...(facts.action ? { action: facts.action } : {}),
      principal,
      ...(patientId !== undefined ? { patientId } : {}),
      ...(facts.documents?.length ? { documents: facts.documents } : {}),
      ...(facts.submissionSet ? { submissionSet: facts.submissionSet } : {}),
      ...(query ? { query } : {}),
      ...(facts.interaction ? { interaction: facts.interaction } : {}),
      ...(facts.resource ? { resource: facts.resource } : {}),
      ...(endpoint !== undefined ? { endpoint } : {}),
      ...(traceparent ? { traceparent } : {}),
    };
  }
}
