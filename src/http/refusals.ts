/**
 * The security layer's refusals (401, 403, 429, 503) in each front end's own words: an
 * OperationOutcome under /fhir, a WS-Security SOAP fault on the SOAP endpoints, plain text
 * elsewhere. Status and headers (WWW-Authenticate, Retry-After) are the same for all.
 */
import type Koa from 'koa';
import { isFhirPath } from '../fhir/http/fhir-base';
import { responseFormatOrJson } from '../fhir/http/formats';
import { issue, operationOutcome, type IssueType } from '../fhir/http/operation-outcome';
import { sendResource } from '../fhir/http/respond';
import type { Refusal, RefusalKind } from '../security/refusal';
import { buildFaultEnvelope, securityFault, SoapFault, writePlain } from '../soap';

const ISSUE_TYPE: Record<RefusalKind, IssueType> = {
  unauthenticated: 'login',
  invalid_token: 'login',
  forbidden: 'forbidden',
  rate_limited: 'throttled',
  unavailable: 'transient',
};

function soapFaultOf(refusal: Refusal): SoapFault {
  switch (refusal.kind) {
    case 'unauthenticated':
      return securityFault('InvalidSecurity');
    case 'invalid_token':
      return securityFault('InvalidSecurityToken');
    case 'forbidden':
      return securityFault('FailedAuthentication');
    default:
      return SoapFault.receiver(refusal.text);
  }
}

export function refusalResponder(isSoap: (path: string) => boolean): (ctx: Koa.Context, refusal: Refusal) => void {
  return (ctx, refusal) => {
    for (const [name, value] of Object.entries(refusal.headers)) ctx.set(name, value);
    if (isFhirPath(ctx.path)) {
      sendResource(ctx, refusal.status, operationOutcome([issue('error', ISSUE_TYPE[refusal.kind], refusal.text)]), responseFormatOrJson(ctx));
      return;
    }
    if (isSoap(ctx.path)) {
      const body = writePlain(buildFaultEnvelope(soapFaultOf(refusal), undefined));
      ctx.status = refusal.status;
      ctx.set('Content-Type', body.contentType);
      ctx.body = body.body;
      return;
    }
    ctx.status = refusal.status;
    ctx.type = 'text/plain';
    ctx.body = `${refusal.text}\n`;
  };
}
