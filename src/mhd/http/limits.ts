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
