/**
 * Worker thread entry of fhir-xml-thread.ts: parses FHIR XML request bodies (parseFhirXmlBody)
 * so the seconds a large one takes never stall the main thread's event loop. A refusal goes
 * back as the FhirHttpError's parts; anything else as a failure message (a 500 on the main side).
 */
import { parentPort } from 'node:worker_threads';
import { parseFhirXmlBody } from './fhir-xml';
import { FhirHttpError } from './http-error';
import type { FhirInputLimits } from './limits';

export interface XmlParseRequest {
  id: number;
  body: Uint8Array;
  limits: FhirInputLimits;
}

export type XmlParseReply =
  | { id: number; resource: Record<string, unknown> }
  | { id: number; refused: Pick<FhirHttpError, 'status' | 'issues' | 'headers'> }
  | { id: number; failed: string };

function reply(request: XmlParseRequest): XmlParseReply {
  try {
    return { id: request.id, resource: parseFhirXmlBody(request.body, request.limits) };
  } catch (err) {
    if (err instanceof FhirHttpError) return { id: request.id, refused: { status: err.status, issues: err.issues, headers: err.headers } };
    return { id: request.id, failed: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}

parentPort?.on('message', (request: XmlParseRequest) => parentPort!.postMessage(reply(request)));
