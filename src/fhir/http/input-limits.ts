/**
 * The answer to a body past one of the structural input limits (limits.ts FhirInputLimits):
 * 400 for nesting too deep (a shape no FHIR resource needs), 413 for too many elements or
 * entries (the request is too large in volume, whatever its byte size). The diagnostics name
 * the limit, and FHIR_MAX_BUNDLE_ENTRIES where the operator can change it.
 */
import { FhirHttpError } from './http-error';

export interface InputLimitHit {
  limit: 'maxDepth' | 'maxElements' | 'maxBundleEntries';
  value: number;
}

export function inputLimitError(hit: InputLimitHit, format: 'JSON' | 'XML'): FhirHttpError {
  switch (hit.limit) {
    case 'maxDepth':
      return FhirHttpError.of(400, 'too-costly', `the body nests ${format === 'XML' ? 'elements' : 'objects and arrays'} deeper than ${hit.value} levels, the most this server accepts (limit maxDepth)`);
    case 'maxElements':
      return FhirHttpError.of(413, 'too-costly', `the body has more than ${hit.value} ${format === 'XML' ? 'elements' : 'objects and arrays'}, the most this server accepts in one request (limit maxElements)`);
    case 'maxBundleEntries':
      return FhirHttpError.of(413, 'too-costly', `the Bundle has more than ${hit.value} entries, the most this server accepts in one Bundle (limit FHIR_MAX_BUNDLE_ENTRIES)`, 'Bundle.entry');
  }
}
