/**
 * Auditing of every MHD transaction in one place. A route is wrapped with
 * `audited(transaction, handler)`; the handler gets an AuditScope and tells it the facts
 * it learns (patient, documents, submission set, action), then either
 *
 *  - `await scope.record()` before it sends a read or search response (the record exists
 *    before the caller sees any data), or
 *  - passes `scope.rows()` to the registry's extraRows so a change commits with its
 *    record, and calls `scope.committed()` once the change succeeded.
 *
 * Whatever fails before that (4xx refusals, registry rejections, 5xx) is recorded here
 * with the outcome of the HTTP status the error handler will answer, after the failure
 * and before the OperationOutcome goes out. Recording a failure never replaces the
 * request's own error: if that write fails too, it is logged and the original rethrown.
 */
import type Koa from 'koa';
import type { AuditDocument, AuditInput, AuditSubmissionSet } from '../../audit/audit-input';
import { Outcome, outcomeOfHttpStatus } from '../../audit/audit-input';
import type { AuditAction, AuditOutcome } from '../../audit/fhir-audit-event';
import type { AuditTransaction } from '../../audit/transactions';
import type { Logger } from '../../logger';
import type { SqlExecutor } from '../../store/sql/database';
import type { TableRows } from '../../store/sql/table-rows';
import { errorAnswer } from './error-handler';
import { mhdRequest, type MhdHandler, type MhdServices } from './services';

/** What a handler learns about the request, as it learns it. */
export interface AuditFacts {
  patientId?: string;
  documents?: AuditDocument[];
  submissionSet?: AuditSubmissionSet;
  action?: AuditAction;
  /** The search as received, URL and form parameters together (POST _search); default: the URL's query string on a GET. */
  query?: string;
}

export class AuditScope {
  private facts: AuditFacts = {};
  private done = false;

  constructor(
    private readonly transaction: AuditTransaction,
    private readonly ctx: Koa.Context,
    private readonly services: MhdServices,
  ) {}

  note(facts: AuditFacts): void {
    this.facts = { ...this.facts, ...facts };
  }

  /** The success record as rows, for the statement that writes the change. */
  rows(): TableRows[] {
    return this.services.audit.rows(this.input(Outcome.Success));
  }

  /** The change that carried rows() has committed: nothing is left to record. */
  committed(): void {
    this.done = true;
  }

  /** Writes the success record now; awaited before the response is sent. */
  async record(db: SqlExecutor = this.services.db): Promise<void> {
    await this.services.audit.record(db, this.input(Outcome.Success));
    this.done = true;
  }

  /** Writes the failure record, unless the success was already recorded. */
  async recordFailure(status: number, description: string | undefined): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.services.audit.record(this.services.db, this.input(outcomeOfHttpStatus(status), description));
  }

  private input(outcome: AuditOutcome, outcomeDesc?: string): AuditInput {
    const { ctx } = this;
    const principal = mhdRequest(ctx, this.services).principal;
    const { patientId, documents, submissionSet, action } = this.facts;
    const query = this.facts.query ?? (ctx.method === 'GET' || ctx.method === 'HEAD' ? ctx.querystring : undefined);
    const traceparent = ctx.get('traceparent');
    return {
      transaction: this.transaction,
      outcome,
      ...(outcomeDesc ? { outcomeDesc } : {}),
      ...(action ? { action } : {}),
      principal,
      // A patient-context caller only ever reaches its own patient's data.
      ...((patientId ?? principal.patientId) ? { patientId: patientId ?? principal.patientId } : {}),
      ...(documents?.length ? { documents } : {}),
      ...(submissionSet ? { submissionSet } : {}),
      ...(query !== undefined ? { query: { text: query } } : {}),
      endpoint: `${ctx.protocol}://${ctx.host}${ctx.path}`,
      ...(traceparent ? { traceparent } : {}),
    };
  }
}

export type AuditedHandler = (ctx: Koa.Context, services: MhdServices, audit: AuditScope) => Promise<void>;

/** The handler with its audit record: the success the handler records, or the failure recorded here. */
export function audited(transaction: AuditTransaction, handler: AuditedHandler, logger: Logger): MhdHandler {
  return async (ctx, services) => {
    const scope = new AuditScope(transaction, ctx, services);
    try {
      await handler(ctx, services, scope);
    } catch (err) {
      const answer = errorAnswer(err);
      try {
        await scope.recordFailure(answer.status, answer.issues[0]?.diagnostics);
      } catch (auditErr) {
        logger.error({ err: auditErr, transaction }, 'could not record the audit event of a failed request');
      }
      throw err;
    }
  };
}
