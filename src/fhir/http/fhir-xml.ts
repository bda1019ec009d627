/**
 * FHIR XML <-> the JSON object model, through the `fhir` package (FHIR.js) rather than a
 * serializer of our own. Inbound XML is checked first, because FHIR.js is lenient where
 * a server must not be:
 * - any DOCTYPE is refused outright (FHIR forbids it; it is how XXE and entity-expansion
 *   attacks start), by the pre-scan, before any parser sees the text;
 * - the lexical pre-scan of the SOAP side (soap/xml-scan.ts) enforces the input limits
 *   (depth, elements) before any parser builds a tree, and refuses what XML 1.0 cannot
 *   carry (U+0000 and other control characters, `&#0;`, unpaired surrogates);
 * - the text must be well-formed (FHIR.js quietly accepts an unclosed document, so a
 *   truncated upload would be processed) and its root must be in the FHIR namespace;
 *   @xmldom/xmldom checks both and stops at the first error;
 * - a Bundle has at most maxBundleEntries entries.
 * Parsing a body inside the limits still takes seconds at the top of them, so requests are
 * parsed off the main thread (body-parser-thread.ts runs parseFhirXmlBody in a worker).
 * Known limit: FHIR.js drops elements its R4 model does not know instead of failing.
 */
import { DOMParser, onErrorStopParsing } from '@xmldom/xmldom';
import { Fhir } from 'fhir';
import { scanXml } from '../../soap/xml-scan';
import { XmlSafetyError } from '../../soap/xml-errors';
import { resourceText } from './body-text';
import { FhirHttpError } from './http-error';
import { inputLimitError } from './input-limits';
import type { FhirInputLimits } from './limits';

export const FHIR_NAMESPACE = 'http://hl7.org/fhir';

let fhir: Fhir | undefined;
/** Loading the R4 model takes ~100 ms: once, on first use. */
function fhirJs(): Fhir {
  fhir ??= new Fhir();
  return fhir;
}


function malformed(reason: string): FhirHttpError {
  return FhirHttpError.of(400, 'structure', `the body is not a FHIR XML resource: ${reason}`);
}

function wellFormedRoot(text: string) {
  try {
    return new DOMParser({ onError: onErrorStopParsing }).parseFromString(text, 'application/xml').documentElement;
  } catch (err) {
    throw malformed((err instanceof Error ? err.message : String(err)).split('\n')[0]!);
  }
}

function scanError(err: XmlSafetyError, limits: FhirInputLimits): FhirHttpError {
  if (err.code === 'TOO_DEEP') return inputLimitError({ limit: 'maxDepth', value: limits.maxDepth }, 'XML');
  if (err.code === 'TOO_MANY_ELEMENTS') return inputLimitError({ limit: 'maxElements', value: limits.maxElements }, 'XML');
  if (err.code === 'DTD_FORBIDDEN') return FhirHttpError.of(400, 'security', 'XML with a DOCTYPE declaration is refused (FHIR forbids DTDs; they enable entity expansion and external entity attacks)');
  return malformed(err.message);
}

/** Parses a FHIR XML resource; throws FhirHttpError 400 (413) for anything unsafe, malformed or past `limits`. */
function parseFhirXml(text: string, limits: FhirInputLimits): Record<string, unknown> {
  try {
    scanXml(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { maxDepth: limits.maxDepth, maxElements: limits.maxElements, maxAttributesPerElement: 64, allowProcessingInstructions: true });
  } catch (err) {
    if (err instanceof XmlSafetyError) throw scanError(err, limits);
    throw err;
  }
  const root = wellFormedRoot(text);
  if (!root) throw malformed('no root element');
  if (root.namespaceURI !== FHIR_NAMESPACE) throw malformed(`the root element <${root.nodeName}> is not in the FHIR namespace ${FHIR_NAMESPACE}`);
  let resource: Record<string, unknown>;
  try {
    resource = fhirJs().xmlToObj(text) as Record<string, unknown>;
  } catch (err) {
    throw malformed(err instanceof Error ? err.message : String(err));
  }
  if (Array.isArray(resource.entry) && resource.entry.length > limits.maxBundleEntries) throw inputLimitError({ limit: 'maxBundleEntries', value: limits.maxBundleEntries }, 'XML');
  return resource;
}

/** A request body (bytes) as a FHIR XML resource: UTF-8, not empty, then parseFhirXml. */
export function parseFhirXmlBody(body: Uint8Array, limits: FhirInputLimits): Record<string, unknown> {
  return parseFhirXml(resourceText(body), limits);
}

/** Serialises a resource (JSON object model) as FHIR XML. */
export function toFhirXml(resource: object): string {
  return fhirJs().objToXml(resource);
}
