import { DEFAULT_FHIR_MAX_BUNDLE_ENTRIES } from '../../config';

/**
 * Request body limits of the FHIR endpoint, one place to tune them. An ITI-65 Bundle
 * carries the documents themselves (base64, a third larger than the bytes), so it gets
 * a large limit; every other body is a single small resource or a search form, and a
 * small limit keeps a slow or hostile client from making the gateway buffer megabytes.
 */
export const BODY_LIMITS = {
  /** POST /fhir: ITI-65 Provide Document Bundle with its documents. */
  transaction: 64 * 1024 * 1024,
  /** PUT /fhir/Patient (ITI-104) and any other single resource. */
  resource: 1024 * 1024,
  /** POST /fhir/{type}/_search form bodies. */
  searchForm: 64 * 1024,
} as const;

/** How many FhirMapping instances (one per public base URL seen) are kept; see mapping-cache.ts. */
export const MAX_CACHED_BASES = 16;

/**
 * Limits on the structure of a FHIR request body (JSON or XML), checked before it is parsed
 * (json-scan.ts, soap/xml-scan.ts; answers in input-limits.ts). FHIR resources nest a few
 * dozen levels at most. 100k elements is twice what a Bundle of maxBundleEntries real entries
 * has (a DocumentReference is ~80 XML elements or ~50 JSON objects and arrays); FHIR.js turns
 * XML into objects at ~25 us an element, so it bounds the parser thread's time to a few seconds.
 */
export interface FhirInputLimits {
  /** Deepest nesting: JSON objects and arrays, or XML elements (the root is depth 1). */
  maxDepth: number;
  /** Most JSON objects and arrays, or XML elements, in one body. */
  maxElements: number;
  /** Most entries in one Bundle (FHIR_MAX_BUNDLE_ENTRIES). */
  maxBundleEntries: number;
}

export const DEFAULT_FHIR_INPUT_LIMITS: Readonly<FhirInputLimits> = Object.freeze({
  maxDepth: 100,
  maxElements: 100_000,
  maxBundleEntries: DEFAULT_FHIR_MAX_BUNDLE_ENTRIES,
});
