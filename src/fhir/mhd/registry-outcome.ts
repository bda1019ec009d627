/**
 * RegistryError details -> OperationOutcome issues: one issue per error, the XDS code in
 * issue.details.coding, codeContext in diagnostics, the location as a FHIRPath expression.
 *
 * The code system: MHD 4.2 tells a Document Recipient to use the error codes of ITI TF-3
 * Table 4.2.4.1-2 but defines no Coding.system for them, and ebRS 3.0 gives only the
 * severity and status values URNs (RegistryError/@errorCode is a bare string). So the
 * system here is the URL of that table, which names exactly the code list; change it in
 * this one constant if the affinity domain settles on another.
 */
import type { RegistryErrorDetail } from '../../domain/registry-error';
import type { OperationOutcomeIssue } from '../http/operation-outcome';
import { issueMapping, statusForCodes } from './xds-issue-codes';

const XDS_ERROR_CODE_SYSTEM = 'https://profiles.ihe.net/ITI/TF/Volume3/ch-4.2.html#4.2.4.1';

/** A location that is already a FHIR path (`Bundle.entry[2].resource.status`), as the mapping writes them. */
const FHIR_PATH = /^[A-Z][A-Za-z]+(\[\d+\])?(\.[A-Za-z_][\w:-]*(\[\d+\])?)*$/;

/**
 * Turns a core location (an entryUUID, uniqueId or symbolic id) into a FHIR path when the
 * interaction knows one (ITI-65 knows which Bundle entry each object came from).
 */
export type Locate = (location: string) => string | undefined;

export function registryIssue(detail: RegistryErrorDetail, locate?: Locate): OperationOutcomeIssue {
  const { issue } = issueMapping(detail.code);
  const where = detail.location;
  const expression = where ? (FHIR_PATH.test(where) ? where : locate?.(where)) : undefined;
  // A location that is no path (an OID, a uuid) is still worth showing; keep it in the text.
  const unplaced = where && !expression && !detail.context.includes(where) ? ` (${where})` : '';
  return {
    severity: detail.severity === 'Warning' ? 'warning' : 'error',
    code: issue,
    details: { coding: [{ system: XDS_ERROR_CODE_SYSTEM, code: detail.code }], text: detail.code },
    diagnostics: `${detail.context}${unplaced}`,
    ...(expression ? { expression: [expression] } : {}),
  };
}

export function registryIssues(details: readonly RegistryErrorDetail[], locate?: Locate): OperationOutcomeIssue[] {
  return details.map((d) => registryIssue(d, locate));
}

/** The HTTP status of a failed request from its error codes (warnings do not count). */
export function registryStatus(details: readonly RegistryErrorDetail[]): number {
  const errors = details.filter((d) => d.severity === 'Error');
  return statusForCodes((errors.length > 0 ? errors : details).map((d) => d.code));
}
