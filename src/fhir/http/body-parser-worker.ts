/**
 * Worker thread entry of body-parser-thread.ts: parses FHIR request bodies (JSON with
 * parseFhirJson, XML with parseFhirXmlBody) so the seconds a large one takes never stall the
 * main thread's event loop; on request it also decodes a Bundle's documents (document-bytes.ts).
 * A refusal goes back as the FhirHttpError's parts; anything else as
 * a failure message (a 500 on the main side).
 */
import { parentPort } from 'node:worker_threads';
import { resourceText } from './body-text';
import { decodeDocuments, type DecodedDocuments } from './document-bytes';
import { parseFhirJson } from './fhir-json';
import { parseFhirXmlBody } from './fhir-xml';
import { FhirHttpError } from './http-error';
import type { FhirInputLimits } from './limits';

export type BodyFormat = 'json' | 'xml';

export interface BodyParseRequest {
  id: number;
  format: BodyFormat;
  body: Uint8Array;
  limits: FhirInputLimits;
  /** Decode the documents of a Bundle here and send them as bytes (document-bytes.ts). */
  decodeDocuments: boolean;
}

export type BodyParseReply =
  | { id: number; resource: Record<string, unknown>; documents?: DecodedDocuments }
  | { id: number; refused: Pick<FhirHttpError, 'status' | 'issues' | 'headers'> }
  | { id: number; failed: string };

function parse(request: BodyParseRequest): Record<string, unknown> {
  return request.format === 'json' ? parseFhirJson(resourceText(request.body), request.limits) : parseFhirXmlBody(request.body, request.limits);
}

function reply(request: BodyParseRequest): BodyParseReply {
  try {
    const resource = parse(request);
    const documents = request.decodeDocuments ? decodeDocuments(resource) : undefined;
    return { id: request.id, resource, ...(documents ? { documents } : {}) };
  } catch (err) {
    if (err instanceof FhirHttpError) return { id: request.id, refused: { status: err.status, issues: err.issues, headers: err.headers } };
    return { id: request.id, failed: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}

parentPort?.on('message', (request: BodyParseRequest) => {
  const answer = reply(request);
  parentPort!.postMessage(answer, 'documents' in answer && answer.documents ? [answer.documents.buffer] : []);
});
