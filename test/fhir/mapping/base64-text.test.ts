// The base64Binary check of ITI-65 contents (src/fhir/mhd/mapping/base64-text.ts): the native-decode
// fast path must decide exactly like the regular expression it stands in for, and must not
// take the event loop for long on a document at the body limit.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { isBase64Text } from '../../../src/fhir/mhd/mapping/base64-text';

const REFERENCE = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

describe('mhd/mapping isBase64Text', () => {
  it('agrees with the base64Binary expression on clean, padded, spaced and broken text', () => {
    const cases = ['', 'QQ==', 'QUI=', 'QUJD', 'QUJD\nREVG', ' QUJD ', 'QUJD\r\n', 'QQ==\n', 'QQ', 'Q===', '====', 'QU=D', 'QUJ-', 'QUJ_', 'QUJ!', 'QUJDé===', 'QUJDREVG'.repeat(3) + 'Q=Q='];
    for (const text of cases) assert.equal(isBase64Text(text), REFERENCE.test(text), JSON.stringify(text));
  });

  it('agrees with it on 20,000 random strings over the alphabet and its neighbours', () => {
    const alphabet = 'ABCab09+/=  \n-_!é';
    for (let i = 0; i < 20_000; i++) {
      const length = 4 * crypto.randomInt(1, 5) + (i % 7 === 0 ? crypto.randomInt(0, 4) : 0);
      let text = '';
      // Mostly clean base64 with the occasional foreign character, so both paths are exercised.
      for (let j = 0; j < length; j++) text += crypto.randomInt(0, 10) < 9 ? 'QUJD'[j % 4] : alphabet[crypto.randomInt(0, alphabet.length)];
      assert.equal(isBase64Text(text), REFERENCE.test(text), JSON.stringify(text));
    }
  });

  it('decides across chunk boundaries: a bad character or inner padding deep in 12 MiB of text', () => {
    const clean = crypto.randomBytes(9 * 1024 * 1024).toString('base64');
    assert.equal(isBase64Text(clean), true);
    const middle = 5 * 1024 * 1024;
    assert.equal(isBase64Text(`${clean.slice(0, middle)}!${clean.slice(middle + 1)}`), false);
    assert.equal(isBase64Text(`${clean.slice(0, middle)}=${clean.slice(middle + 1)}`), false);
    assert.equal(isBase64Text(`${clean.slice(0, middle)}\n${clean.slice(middle)}`), true);
  });

  it('checks the base64 of a 48 MiB document well under the time the expression takes', () => {
    const text = crypto.randomBytes(48 * 1024 * 1024).toString('base64');
    const time = (check: () => boolean) => {
      const start = performance.now();
      assert.equal(check(), true);
      return performance.now() - start;
    };
    // Best of three each: the machine is shared, and a stray pause must not decide the comparison.
    const best = (check: () => boolean) => Math.min(time(check), time(check), time(check));
    const fast = best(() => isBase64Text(text));
    const reference = best(() => REFERENCE.test(text));
    assert.ok(fast < reference, `isBase64Text took ${fast.toFixed(0)} ms, the expression ${reference.toFixed(0)} ms`);
  });
});
