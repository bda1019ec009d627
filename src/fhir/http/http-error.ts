/**
 * An HTTP failure of the FHIR endpoint that is not a registry decision: bad syntax,
 * oversize body, unsupported media type, unknown route. The error middleware answers it
 * as an OperationOutcome with this status (and any extra headers, e.g. Allow on 405).
 */
import { issue, type IssueType, type OperationOutcomeIssue } from './operation-outcome';

export class FhirHttpError extends Error {
  constructor(
    readonly status: number,
    readonly issues: OperationOutcomeIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(issues.map((i) => i.diagnostics ?? i.code).join('; '));
    this.name = 'FhirHttpError';
  }

  static of(status: number, code: IssueType, diagnostics: string, expression?: string): FhirHttpError {
    return new FhirHttpError(status, [issue('error', code, diagnostics, expression)]);
  }
}
