/**
 * Opens the audit of every MHD transaction: a route is wrapped with
 * `audited(transaction, handler)`, and the handler gets the request's AuditScope (the core's,
 * audit/audit-scope.ts), notes the facts it learns and hands the scope to the core, which
 * writes the record (a change's with the change, a read's before it is answered).
 *
 * Whatever fails before that (4xx refusals, 5xx) is failed here with the outcome of the HTTP
 * status the error handler will answer, before the OperationOutcome goes out. Recording a
 * failure never replaces the request's own error: if that write fails too, it is logged and
 * the original rethrown.
 */
import type Koa from 'koa';
import { outcomeOfHttpStatus } from '../../audit/audit-input';
import type { AuditScope } from '../../audit/audit-scope';
import type { AuditTransaction } from '../../audit/transactions';
import type { Logger } from '../../logger';
import { errorAnswer } from './error-handler';
import { registryStatus } from '../mhd/registry-outcome';
import { mhdRequest, type MhdHandler, type MhdServices } from './services';

export type AuditedHandler = (ctx: Koa.Context, services: MhdServices, audit: AuditScope) => Promise<void>;

function openScope(transaction: AuditTransaction, ctx: Koa.Context, services: MhdServices): AuditScope {
  const traceparent = ctx.get('traceparent');
  return services.audit.scope({
    transaction,
    principal: mhdRequest(ctx, services).principal,
    endpoint: `${ctx.protocol}://${ctx.host}${ctx.path}`,
    ...(traceparent ? { traceparent } : {}),
    // A POST _search notes its form once read.
    ...(ctx.method === 'GET' || ctx.method === 'HEAD' ? { query: { text: ctx.querystring } } : {}),
    // A refused change is answered with the HTTP status of its errors.
    refusalOutcome: (errors) => outcomeOfHttpStatus(registryStatus(errors)),
  });
}

/** The handler with its audit record: the success the core records, or the failure recorded here. */
export function audited(transaction: AuditTransaction, handler: AuditedHandler, logger: Logger): MhdHandler {
  return async (ctx, services) => {
    const scope = openScope(transaction, ctx, services);
    try {
      await handler(ctx, services, scope);
    } catch (err) {
      const answer = errorAnswer(err);
      try {
        await scope.failed(outcomeOfHttpStatus(answer.status), answer.issues[0]?.diagnostics);
      } catch (auditErr) {
        logger.error({ err: auditErr, transaction }, 'could not record the audit event of a failed request');
      }
      throw err;
    }
  };
}
