/**
 * rs:RegistryResponse and rs:RegistryErrorList (ebRS 3.0 as ITI TF-3 4.2.4 uses them): the
 * answer of every XDS.b transaction here, alone (ITI-41/42/57/62/86) or as the start of a
 * larger response (ITI-18 AdhocQueryResponse, ITI-43 RetrieveDocumentSetResponse).
 */
import { RegistryError, type RegistryErrorDetail, type Severity } from '../domain/registry-error';
import type { ResponseStatus } from '../domain/submission';
import { storageFailureDetail } from '../repository/storage-failure';
import { StorageError } from '../storage-error';
import type { Element } from '@xmldom/xmldom';
import type { XdsErrorCode } from '../domain/error-codes';
import { childNamed, childrenNamed, el, type XmlElementSpec } from '../soap';
import { XDS_NS } from './namespaces';

const STATUS_URI: Record<ResponseStatus, string> = {
  Success: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success',
  PartialSuccess: 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess',
  Failure: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure',
};

const SEVERITY_URI: Record<Severity, string> = {
  Error: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error',
  Warning: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning',
};

/** The rs:RegistryErrorList of `errors`, or nothing when there are none (the list may not be empty). */
function registryErrorList(errors: readonly RegistryErrorDetail[]): XmlElementSpec | undefined {
  if (errors.length === 0) return undefined;
  const highest = errors.some((e) => e.severity === 'Error') ? 'Error' : 'Warning';
  return el(XDS_NS.rs, 'rs:RegistryErrorList', { highestSeverity: SEVERITY_URI[highest] },
    ...errors.map((e) => el(XDS_NS.rs, 'rs:RegistryError', {
      errorCode: e.code,
      codeContext: e.context,
      location: e.location,
      severity: SEVERITY_URI[e.severity],
    })),
  );
}

const STATUS_OF_URI = new Map(Object.entries(STATUS_URI).map(([status, uri]) => [uri, status as ResponseStatus]));

/**
 * The status and RegistryErrorList of a response of RegistryResponseType another actor sent
 * (an Initiating Gateway reading a Responding Gateway's answer). An unknown status is
 * Failure: whatever it means, it is not a success to build on.
 */
export function readRegistryResponse(response: Element): Outcome & { errors: RegistryErrorDetail[] } {
  const status = STATUS_OF_URI.get(response.getAttribute('status')?.trim() ?? '') ?? 'Failure';
  const list = childNamed(response, XDS_NS.rs, 'RegistryErrorList');
  const errors = (list ? childrenNamed(list, XDS_NS.rs, 'RegistryError') : []).map((e): RegistryErrorDetail => {
    const location = e.getAttribute('location')?.trim();
    return {
      code: (e.getAttribute('errorCode') ?? 'XDSRegistryError') as XdsErrorCode,
      severity: e.getAttribute('severity')?.trim() === SEVERITY_URI.Warning ? 'Warning' : 'Error',
      context: e.getAttribute('codeContext') ?? '',
      ...(location ? { location } : {}),
    };
  });
  return { status, errors };
}

/** The attributes and children a response of RegistryResponseType starts with. */
export function registryResponseContent(status: ResponseStatus, errors: readonly RegistryErrorDetail[]): { status: string; errorList: XmlElementSpec | undefined } {
  return { status: STATUS_URI[status], errorList: registryErrorList(errors) };
}

export function registryResponse(status: ResponseStatus, errors: readonly RegistryErrorDetail[] = []): XmlElementSpec {
  const content = registryResponseContent(status, errors);
  return el(XDS_NS.rs, 'rs:RegistryResponse', { status: content.status }, content.errorList);
}

export interface Outcome {
  status: ResponseStatus;
  /** Errors, or warnings of a successful request. */
  errors: readonly RegistryErrorDetail[];
}

/** The outcome of an operation, or Failure with the errors it was rejected with (for handlers that audit it before answering). */
export async function outcomeOf(run: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await run();
  } catch (err) {
    return { status: 'Failure', errors: rejectionOf(err) };
  }
}

/** The rs:RegistryResponse of an outcome. */
export function responseOf(outcome: Outcome): XmlElementSpec {
  return registryResponse(outcome.status, outcome.errors);
}

/**
 * An outcome with the codec's warnings (metadata it read but ignored) added, unless it failed:
 * a Failure reports what made it fail, and nothing was saved for the warning to be about.
 */
export function withWarnings(outcome: Outcome, warnings: readonly RegistryErrorDetail[]): Outcome {
  return outcome.status === 'Failure' || warnings.length === 0 ? outcome : { ...outcome, errors: [...warnings, ...outcome.errors] };
}

/**
 * The errors a rejected request is answered with: a RegistryError's, or the XDS error of a full
 * or failing document storage. Any other error is a fault of ours (or a broken message stream)
 * and goes on to the dispatcher, which answers with a SOAP fault.
 */
export function rejectionOf(err: unknown): RegistryErrorDetail[] {
  if (err instanceof RegistryError) return err.errors;
  if (err instanceof StorageError) return [storageFailureDetail(err)];
  throw err;
}
