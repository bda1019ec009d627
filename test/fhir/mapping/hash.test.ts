import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { base64ToHex, hexToBase64 } from '../../../src/fhir/mhd/mapping';

describe('mhd/mapping hash: XDS hex SHA-1 <-> FHIR base64', () => {
  const content = Buffer.from('Propouštěcí zpráva', 'utf8');
  const hex = createHash('sha1').update(content).digest('hex');
  const b64 = createHash('sha1').update(content).digest('base64');

  it('converts both ways, base64 of the 20 digest bytes', () => {
    assert.equal(hexToBase64(hex), b64);
    assert.equal(hexToBase64(hex.toUpperCase()), b64);
    assert.deepEqual(base64ToHex(b64), { ok: true, hex });
  });

  it('reads the common mistake of base64-encoding the hex text, flagged as lenient', () => {
    assert.deepEqual(base64ToHex(Buffer.from(hex, 'latin1').toString('base64')), { ok: true, hex, lenient: true });
  });

  it('refuses digests of another length and non-base64 text', () => {
    assert.equal(base64ToHex(createHash('sha256').update(content).digest('base64')).ok, false);
    assert.equal(base64ToHex('not base64!').ok, false);
    assert.throws(() => hexToBase64('abc'));
  });
});
