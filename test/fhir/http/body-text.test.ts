// A request body's bytes as text (src/fhir/http/body-text.ts): ASCII takes the byte-for-byte
// path, anything else the strict UTF-8 decoder; both give the text UTF-8 gives.
import assert from 'node:assert/strict';
import { decodeUtf8, resourceText } from '../../../src/fhir/http/body-text';
import { FhirHttpError } from '../../../src/fhir/http/http-error';

describe('fhir/http body text', () => {
  it('reads ASCII and UTF-8 bodies as UTF-8 text', () => {
    for (const text of ['{"resourceType":"Bundle","id":"a~\\u0041"}', '{"family":"Dvořák","given":["Šárka"]}', '\u007f\t\r\n']) {
      assert.equal(decodeUtf8(Buffer.from(text, 'utf8')), text);
    }
  });

  it('reads a view into a larger buffer from its own offset', () => {
    const whole = Buffer.from('xx{"a":1}yy');
    assert.equal(decodeUtf8(whole.subarray(2, 9)), '{"a":1}');
  });

  it('drops a UTF-8 byte order mark and refuses invalid UTF-8 with a 400', () => {
    assert.equal(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d])), '{}');
    for (const bytes of [[0x7b, 0xff, 0x7d], [0x7b, 0xc3], [0xed, 0xa0, 0x80]]) {
      assert.throws(() => decodeUtf8(Buffer.from(bytes)), (err: unknown) => err instanceof FhirHttpError && err.status === 400);
    }
  });

  it('names a body of whitespace only as missing', () => {
    assert.throws(() => resourceText(Buffer.from(' \n\t ')), (err: unknown) => err instanceof FhirHttpError && err.status === 400 && /no body/.test(JSON.stringify(err)));
  });
});
