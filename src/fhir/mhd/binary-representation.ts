/**
 * A stored document as a FHIR Binary resource (ITI-68 with Accept/_format asking for FHIR
 * JSON or XML), streamed: the resource is serialised (JSON.stringify, or the `fhir`
 * package for XML) around a placeholder for `data`, and the document's base64 flows in
 * its place chunk by chunk. So the length is known up front and a large document is
 * never held in memory, while the envelope is still written by the serialisers.
 */
import { Readable } from 'node:stream';
import { base64Length, encodeBase64 } from './base64';
import type { FhirFormat } from '../http/formats';
import { serialize } from '../http/respond';

/** Letters only (valid base64 and needs no escaping in JSON or XML); `data` is serialised last in both. */
const PLACEHOLDER = 'HIEGATEWAYDOCUMENTDATAPLACEHOLDER';
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

export interface BinaryRepresentation {
  /** Bytes of the whole resource. */
  length: number;
  body(): Readable;
}

export function binaryRepresentation(format: FhirFormat, doc: { id: string; contentType: string; size: number; open(): AsyncIterable<Buffer> }): BinaryRepresentation {
  const text = serialize({ resourceType: 'Binary', ...(FHIR_ID.test(doc.id) ? { id: doc.id } : {}), contentType: doc.contentType, data: PLACEHOLDER }, format);
  const at = text.lastIndexOf(PLACEHOLDER);
  const prefix = text.slice(0, at);
  const suffix = text.slice(at + PLACEHOLDER.length);
  return {
    length: Buffer.byteLength(prefix) + base64Length(doc.size) + Buffer.byteLength(suffix),
    body: () =>
      Readable.from(
        (async function* () {
          yield prefix;
          yield* encodeBase64(doc.open());
          yield suffix;
        })(),
        { objectMode: false },
      ),
  };
}
