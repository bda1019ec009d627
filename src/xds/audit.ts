/**
 * Opens the audit of every XDS.b transaction: the request's AuditScope (the core's,
 * audit/audit-scope.ts) goes to the handler with the call, the handler notes what only the
 * message tells (the query as received) and hands the scope to the core, which writes the
 * record. A request the core never saw (a message that could not be read, a refused caller,
 * our own error) is failed here, or by the handler for a RegistryResponse Failure, before the
 * answer goes out; a failing audit write must not replace the fault the caller gets.
 */
import { describeErrors } from '../audit/audit-scope';
import { Outcome as AuditOutcomes } from '../audit/audit-input';
import type { AuditTransaction } from '../audit/transactions';
import type { RegistryErrorDetail } from '../domain/registry-error';
import { SoapFault } from '../soap';
import type { AuditedCall, AuditedXdsHandler, XdsHandler, XdsServices } from './handler';

/** Wraps a handler with the request's audit scope; a SOAP fault or an error of ours is recorded as the failure. */
export function audited(services: XdsServices, transaction: AuditTransaction, handler: AuditedXdsHandler): XdsHandler {
  return async (request, call) => {
    const audit = services.audit.trail.scope({
      transaction,
      principal: call.principal,
      ...(call.traceparent !== undefined ? { traceparent: call.traceparent } : {}),
    });
    try {
      return await handler(request, { ...call, audit });
    } catch (err) {
      const sender = err instanceof SoapFault && err.code === 'Sender';
      const outcomeDesc = err instanceof SoapFault ? err.reasons.map((r) => r.text).join('; ') : 'internal error';
      await audit.failed(sender ? AuditOutcomes.MinorFailure : AuditOutcomes.SeriousFailure, outcomeDesc).catch(() => undefined);
      throw err;
    }
  };
}

/** A RegistryResponse Failure the core did not record (the message could not be read): its failure record. */
export function failedResponse(call: AuditedCall, errors: readonly RegistryErrorDetail[]): Promise<void> {
  return call.audit.failed(AuditOutcomes.SeriousFailure, describeErrors(errors));
}
