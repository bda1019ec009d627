/**
 * Problems with the search parameters themselves (as opposed to RegistryError, which the
 * registry raises while answering). The route turns a SearchParameterError into HTTP 400
 * with an OperationOutcome; warnings of the same shape travel inside the searchset Bundle.
 */
import type { IssueType } from '../../../domain/fhir-datatypes';

export interface SearchIssue {
  severity: 'error' | 'warning';
  code: IssueType;
  diagnostics: string;
  /** The search parameter concerned, as the client spelled it. */
  expression?: string;
}

export class SearchParameterError extends Error {
  readonly issues: SearchIssue[];

  constructor(issues: SearchIssue | SearchIssue[]) {
    const list = Array.isArray(issues) ? issues : [issues];
    super(list.map((i) => i.diagnostics).join('; '));
    this.name = 'SearchParameterError';
    this.issues = list;
  }
}

const issue = (severity: SearchIssue['severity'], code: IssueType, parameter: string, diagnostics: string): SearchIssue => ({ severity, code, diagnostics, expression: parameter });

/** A parameter value that cannot be read. */
export function invalidValue(parameter: string, diagnostics: string): SearchParameterError {
  return new SearchParameterError(issue('error', 'value', parameter, `${parameter}: ${diagnostics}`));
}

/** A parameter or a use of it (modifier, repetition, OR list) this server cannot carry out. */
export function notSupported(parameter: string, diagnostics: string): SearchParameterError {
  return new SearchParameterError(issue('error', 'not-supported', parameter, `${parameter}: ${diagnostics}`));
}

/** Throws one error naming every required parameter that is missing. */
export function requireAll(checks: ReadonlyArray<[present: boolean, missing: SearchIssue]>): void {
  const missing = checks.filter(([present]) => !present).map(([, i]) => i);
  if (missing.length) throw new SearchParameterError(missing);
}

export function requiredIssue(parameter: string, diagnostics: string): SearchIssue {
  return issue('error', 'required', parameter, diagnostics);
}

/** An unknown parameter: an error under handling=strict, a warning (ignored) under lenient. */
export function unknownParameterIssue(parameter: string, severity: SearchIssue['severity']): SearchIssue {
  const effect = severity === 'error' ? 'is not supported' : 'is not supported and was ignored';
  return issue(severity, 'not-supported', parameter, `search parameter ${parameter} ${effect}`);
}

export function warning(parameter: string, diagnostics: string, code: IssueType = 'informational'): SearchIssue {
  return issue('warning', code, parameter, `${parameter}: ${diagnostics}`);
}
