/**
 * The FHIR R4 (4.0.1) datatypes this gateway reads and writes, as plain JSON shapes, shared
 * by the FHIR front end (MHD mapping, search, errors) and the audit trail (BALP AuditEvent),
 * so a resource one builds is a resource the other takes without a cast. Every element is
 * optional on purpose: inbound resources are untrusted JSON, so readers check presence and
 * type themselves; a builder that always fills an element narrows the type where it writes.
 */

export interface Extension {
  url: string;
  valueString?: string;
  valueOid?: string;
  valueIdentifier?: Identifier;
  valueReference?: Reference;
  valueCodeableConcept?: CodeableConcept;
}

export interface Meta {
  profile?: string[];
  versionId?: string;
  lastUpdated?: string;
}

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Identifier {
  use?: 'usual' | 'official' | 'temp' | 'secondary' | 'old';
  type?: CodeableConcept;
  system?: string;
  value?: string;
}

export interface Reference {
  reference?: string;
  type?: string;
  identifier?: Identifier;
  display?: string;
  extension?: Extension[];
}

export interface Period {
  start?: string;
  end?: string;
}

export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

/** The FHIR IssueType codes this gateway uses (http://hl7.org/fhir/issue-type). */
export type IssueType =
  | 'invalid' | 'structure' | 'required' | 'value' | 'duplicate' | 'not-found' | 'not-supported'
  | 'business-rule' | 'conflict' | 'processing' | 'too-costly' | 'too-long' | 'transient' | 'timeout'
  | 'exception' | 'no-store' | 'security' | 'login' | 'forbidden' | 'throttled' | 'informational' | 'incomplete';

export interface OperationOutcomeIssue {
  severity: IssueSeverity;
  code: IssueType;
  details?: { coding?: Coding[]; text?: string };
  diagnostics?: string;
  /** FHIRPath of the element(s) the issue is about. */
  expression?: string[];
}

// A type alias, not an interface, so it is assignable to open resource shapes (Record<string, unknown>).
export type OperationOutcome = {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
};
