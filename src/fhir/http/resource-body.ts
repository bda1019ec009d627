/**
 * A FHIR request body's bytes -> the resource, on the thread that suits its size: small JSON
 * bodies (every normal request) on the main thread, large JSON and all XML in parser threads
 * (body-parser-thread.ts). XML and JSON have a thread each, so a slow XML body never queues
 * a JSON one.
 */
import { BodyParserThread } from './body-parser-thread';
import { resourceText } from './body-text';
import { parseFhirJson } from './fhir-json';
import { JSON_OFF_THREAD_BYTES, PARSER_THREAD_LIMITS, type FhirInputLimits } from './limits';

const jsonThread = new BodyParserThread({ timeoutMs: PARSER_THREAD_LIMITS.timeoutMs });
const xmlThread = new BodyParserThread({ timeoutMs: PARSER_THREAD_LIMITS.timeoutMs, resourceLimits: { maxOldGenerationSizeMb: PARSER_THREAD_LIMITS.xmlHeapMb } });

/**
 * `body` is unusable afterwards when it went to a thread. Rejects with FhirHttpError for refused input.
 * `decodeDocuments`: a thread decodes a Bundle's documents (document-bytes.ts); a small body keeps them as text.
 */
export async function parseResourceBody(format: 'json' | 'xml', body: Buffer, limits: FhirInputLimits, decodeDocuments = false): Promise<Record<string, unknown>> {
  if (format === 'xml') return xmlThread.parse('xml', body, limits, decodeDocuments);
  if (body.length < JSON_OFF_THREAD_BYTES) return parseFhirJson(resourceText(body), limits);
  return jsonThread.parse('json', body, limits, decodeDocuments);
}
