/**
 * Every failure under /fhir becomes an OperationOutcome in the negotiated format:
 * FhirHttpError (HTTP-level problems) with its own status, RegistryError with the status
 * its XDS codes call for, the search module's SearchParameterError as 400, a full or failing
 * document storage as 507 Insufficient Storage (RFC 4918 11.5: the server cannot store what
 * the request needs) when writing and 503 when reading, and anything unforeseen as a 500
 * that says nothing about its cause (the cause goes to the log).
 */
import type Koa from 'koa';
import { AccessDeniedError } from '../../domain/access-denied';
import { RegistryError } from '../../domain/registry-error';
import { BUSY_RETRY_AFTER_SECONDS } from '../../domain/store-unavailable';
import type { Logger } from '../../logger';
import { storageFailureDetail } from '../../repository/storage-failure';
import { StorageError } from '../../storage-error';
import { responseFormatOrJson } from './formats';
import { FhirHttpError } from './http-error';
import { issue, operationOutcome, type OperationOutcomeIssue } from './operation-outcome';
import { SearchParameterError } from '../mhd/search';
import { registryIssues, registryStatus } from '../mhd/registry-outcome';
import { sendResource } from './respond';

interface Answer {
  status: number;
  issues: OperationOutcomeIssue[];
  headers?: Record<string, string>;
}

function answerFor(err: unknown): Answer | undefined {
  if (err instanceof FhirHttpError) return { status: err.status, issues: err.issues, headers: err.headers };
  if (err instanceof AccessDeniedError) {
    // RFC 6750 3.1: a missing scope is named; any other reason stays in the audit trail.
    const headers = err.requiredScope ? { 'WWW-Authenticate': `Bearer realm="hie-gateway", error="insufficient_scope", scope="${err.requiredScope}"` } : undefined;
    return { status: 403, issues: [issue('error', 'forbidden', err.publicReason)], ...(headers ? { headers } : {}) };
  }
  if (err instanceof RegistryError) return { status: registryStatus(err.errors), issues: registryIssues(err.errors) };
  if (err instanceof StorageError) return { status: err.operation === 'write' ? 507 : 503, issues: registryIssues([storageFailureDetail(err)]) };
  if (err instanceof SearchParameterError) {
    // The search module's issues are OperationOutcome issues already, naming the parameter.
    return { status: 400, issues: err.issues.map((i) => ({ severity: i.severity, code: i.code as OperationOutcomeIssue['code'], diagnostics: i.diagnostics, ...(i.expression ? { expression: [i.expression] } : {}) })) };
  }
  return undefined;
}

const INTERNAL_ERROR: Answer = { status: 500, issues: [issue('fatal', 'exception', 'internal error while processing the request')] };

/** The status and issues an error is answered with (the audit trail records the same outcome). */
export function errorAnswer(err: unknown): Answer {
  return answerFor(err) ?? INTERNAL_ERROR;
}

export function fhirErrors(logger: Logger): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      // Bytes already on the wire (a streamed document): only Koa can end the response now.
      if (ctx.headerSent) throw err;
      let answer = answerFor(err);
      if (!answer) {
        logger.error({ err, method: ctx.method, url: ctx.url }, 'FHIR request failed');
        answer = INTERNAL_ERROR;
      }
      // Headers set for the success path (ETag, Content-Length, Location) do not describe the error.
      for (const name of Object.keys(ctx.response.headers)) ctx.remove(name);
      for (const [name, value] of Object.entries(answer.headers ?? {})) ctx.set(name, value);
      // Busy (the database unreachable, a concurrent update), however the handler reported it: say when to come back.
      if (answer.status === 503 && !ctx.response.get('Retry-After')) ctx.set('Retry-After', String(BUSY_RETRY_AFTER_SECONDS));
      sendResource(ctx, answer.status, operationOutcome(answer.issues), responseFormatOrJson(ctx));
    }
  };
}
