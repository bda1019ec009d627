// Documents decoded by the body parser thread (src/fhir/http/document-bytes.ts): what the thread
// decodes and leaves, and what the main thread finds after the reply crossed by structured clone
// with its buffer transferred.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { attachDecodedDocuments, decodeDocuments, decodedDocumentBytes, DECODED_PLACEHOLDER, type DecodedDocuments } from '../../../src/fhir/http/document-bytes';
import type { Json } from './support';

function wrapped(text: string): string {
  return (text.match(/.{1,76}/g) ?? []).join('\r\n');
}

/** What the main thread receives: a structured clone, the buffer transferred. */
function acrossThreads(resource: Json, documents: DecodedDocuments): { resource: Json; documents: DecodedDocuments } {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage({ resource, documents }, [documents.buffer]);
  const received = receiveMessageOnPort(port2)!.message as { resource: Json; documents: DecodedDocuments };
  port1.close();
  return received;
}

describe('fhir/http decoded documents of a large Bundle', () => {
  const first = crypto.randomBytes(300_001);
  const second = crypto.randomBytes(1_000);
  const bundle = (): Json => ({
    resourceType: 'Bundle',
    entry: [
      { resource: { resourceType: 'List', title: 'not touched', data: first.toString('base64') } },
      { resource: { resourceType: 'DocumentReference', content: [{ attachment: { contentType: 'text/plain', data: second.toString('base64') } }, { attachment: { data: 'not base64!' } }] } },
      { resource: { resourceType: 'Binary', contentType: 'application/pdf', data: wrapped(first.toString('base64')) } },
      { resource: { resourceType: 'Binary', data: '' } },
      { resource: { resourceType: 'DocumentReference', content: [{ attachment: { url: 'urn:uuid:x' } }] } },
    ],
  });

  it('decodes Binary.data and attachment.data that are base64Binary (wrapped too), and leaves everything else', () => {
    const b = bundle();
    const documents = decodeDocuments(b)!;
    assert.equal(documents.pieces.length, 2);
    assert.equal(b.entry[1].resource.content[0].attachment.data, DECODED_PLACEHOLDER);
    assert.equal(b.entry[2].resource.data, DECODED_PLACEHOLDER);
    // Not a document holder, not base64, empty: as sent, for the mapping to judge.
    assert.equal(b.entry[0].resource.data, first.toString('base64'));
    assert.equal(b.entry[1].resource.content[1].attachment.data, 'not base64!');
    assert.equal(b.entry[3].resource.data, '');
  });

  it('the main thread finds the bytes on their elements, invisible to JSON and Object.keys', () => {
    const b = bundle();
    const { resource, documents } = acrossThreads(b, decodeDocuments(b)!);
    attachDecodedDocuments(resource, documents);
    const attachment = resource.entry[1].resource.content[0].attachment;
    const binary = resource.entry[2].resource;
    assert.deepEqual(Buffer.from(decodedDocumentBytes(attachment)!), second);
    assert.deepEqual(Buffer.from(decodedDocumentBytes(binary)!), first);
    assert.equal(decodedDocumentBytes(resource.entry[1].resource.content[1].attachment), undefined);
    assert.deepEqual(Object.keys(binary), ['resourceType', 'contentType', 'data']);
    assert.equal(JSON.stringify(binary), JSON.stringify({ resourceType: 'Binary', contentType: 'application/pdf', data: DECODED_PLACEHOLDER }));
  });

  it('nothing to decode: no buffer; not a Bundle: untouched', () => {
    assert.equal(decodeDocuments({ resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Binary', data: '!' } }] }), undefined);
    const binary = { resourceType: 'Binary', data: 'QUJD' };
    assert.equal(decodeDocuments(binary), undefined);
    assert.equal(binary.data, 'QUJD');
  });
});
