/**
 * FHIR R4 OperationOutcome, the body of every error this endpoint answers and the
 * outcome of entries that succeeded with warnings.
 */
import type { IssueSeverity, IssueType, OperationOutcome, OperationOutcomeIssue } from '../../domain/fhir-datatypes';

export type { IssueSeverity, IssueType, OperationOutcome, OperationOutcomeIssue } from '../../domain/fhir-datatypes';

export function operationOutcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues };
}

/** One issue without an XDS code: HTTP-level problems (syntax, size, media type, route). */
export function issue(severity: IssueSeverity, code: IssueType, diagnostics: string, expression?: string): OperationOutcomeIssue {
  return { severity, code, diagnostics, ...(expression ? { expression: [expression] } : {}) };
}
