import { DEFAULT_FHIR_MAX_BUNDLE_ENTRIES, DEFAULT_FHIR_XML_MAX_BYTES } from '../../config';

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
  /** Largest FHIR XML request body in bytes (FHIR_XML_MAX_BYTES), below the interaction's own limit. */
  maxXmlBytes: number;
}

export const DEFAULT_FHIR_INPUT_LIMITS: Readonly<FhirInputLimits> = Object.freeze({
  maxDepth: 100,
  maxElements: 100_000,
  maxBundleEntries: DEFAULT_FHIR_MAX_BUNDLE_ENTRIES,
  maxXmlBytes: DEFAULT_FHIR_XML_MAX_BYTES,
});

/**
 * JSON bodies from this size on are parsed in a worker thread (body-parser-thread.ts). Below
 * it the main thread decodes, scans and parses (~15 ms a MiB on a busy 2-core machine, so at
 * most ~15 ms here), and a normal request (one 10 KB document, ~15 KB of JSON, ~0.2 ms) pays
 * no thread hop, whose transfer, wake-up and structured clone back cost more than that parse.
 */
export const JSON_OFF_THREAD_BYTES = 1024 * 1024;

/**
 * Bounds of the parser threads. FHIR.js and xmldom need ~40 MB of heap and ~0.4 s per MiB of
 * XML, so FHIR_XML_MAX_BYTES (8 MiB by default) fits well inside 1 GiB and a few seconds; the
 * heap limit and the timeout catch what the byte limit does not (a raised FHIR_XML_MAX_BYTES,
 * a pathological body), answering 413 instead of exhausting the process or holding the thread.
 */
export const PARSER_THREAD_LIMITS = {
  timeoutMs: 30_000,
  xmlHeapMb: 1024,
} as const;
