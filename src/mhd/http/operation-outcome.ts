/**
 * FHIR R4 OperationOutcome, the body of every error this endpoint answers and the
 * outcome of entries that succeeded with warnings.
 */
import type { Coding } from '../mapping';

export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

/** The FHIR IssueType codes this endpoint uses (http://hl7.org/fhir/issue-type). */
export type IssueType =
  | 'invalid' | 'structure' | 'required' | 'value' | 'duplicate' | 'not-found' | 'not-supported'
  | 'business-rule' | 'conflict' | 'processing' | 'too-costly' | 'too-long' | 'transient'
  | 'exception' | 'no-store' | 'security' | 'login' | 'forbidden' | 'throttled' | 'informational' | 'incomplete';

export interface OperationOutcomeIssue {
  severity: IssueSeverity;
  code: IssueType;
  details?: { coding?: Coding[]; text?: string };
  diagnostics?: string;
  /** FHIRPath of the element(s) the issue is about. */
  expression?: string[];
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}

export function operationOutcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues };
}

/** One issue without an XDS code: HTTP-level problems (syntax, size, media type, route). */
export function issue(severity: IssueSeverity, code: IssueType, diagnostics: string, expression?: string): OperationOutcomeIssue {
  return { severity, code, diagnostics, ...(expression ? { expression: [expression] } : {}) };
}
