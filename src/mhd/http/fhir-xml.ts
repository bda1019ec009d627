/**
 * FHIR XML <-> the JSON object model, through the `fhir` package (FHIR.js) rather than a
 * serializer of our own. Inbound XML is checked first, because FHIR.js is lenient where
 * a server must not be:
 * - any DOCTYPE is refused outright (FHIR forbids it; it is how XXE and entity-expansion
 *   attacks start), before any parser sees the text;
 * - the text must be well-formed (FHIR.js quietly accepts an unclosed document, so a
 *   truncated upload would be processed) and its root must be in the FHIR namespace;
 *   @xmldom/xmldom checks both and stops at the first error.
 * Known limit: FHIR.js drops elements its R4 model does not know instead of failing.
 */
import { DOMParser, onErrorStopParsing } from '@xmldom/xmldom';
import { Fhir } from 'fhir';
import { FhirHttpError } from './http-error';

export const FHIR_NAMESPACE = 'http://hl7.org/fhir';

let fhir: Fhir | undefined;
/** Loading the R4 model takes ~100 ms: once, on first use. */
function fhirJs(): Fhir {
  fhir ??= new Fhir();
  return fhir;
}

const DOCTYPE = /<!DOCTYPE/i;

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

/** Parses a FHIR XML resource; throws FhirHttpError 400 for anything unsafe or malformed. */
export function parseFhirXml(text: string): Record<string, unknown> {
  if (DOCTYPE.test(text)) throw FhirHttpError.of(400, 'security', 'XML with a DOCTYPE declaration is refused (FHIR forbids DTDs; they enable entity expansion and external entity attacks)');
  const root = wellFormedRoot(text);
  if (!root) throw malformed('no root element');
  if (root.namespaceURI !== FHIR_NAMESPACE) throw malformed(`the root element <${root.nodeName}> is not in the FHIR namespace ${FHIR_NAMESPACE}`);
  try {
    return fhirJs().xmlToObj(text) as Record<string, unknown>;
  } catch (err) {
    throw malformed(err instanceof Error ? err.message : String(err));
  }
}

/** Serialises a resource (JSON object model) as FHIR XML. */
export function toFhirXml(resource: object): string {
  return fhirJs().objToXml(resource);
}
