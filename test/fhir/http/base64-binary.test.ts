// The base64Binary check of ITI-65 contents (src/fhir/http/base64-binary.ts): the linear, piecewise
// check must decide exactly like the regular expression it stands in for (whitespace anywhere,
// padding only at the end), also on line-wrapped text, and never hold the event loop for long.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { base64BinarySteps, isBase64Binary } from '../../../src/fhir/http/base64-binary';
import { base64Stream } from '../../../src/fhir/mhd/base64';

const REFERENCE = /^[A-Za-z0-9+/\t\n\r ]*={0,2}[\t\n\r ]*$/;

/** MIME-style: 76 characters a line, CRLF between lines. */
function wrapped(text: string): string {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 76) lines.push(text.slice(i, i + 76));
  return lines.join('\r\n');
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('fhir/http isBase64Binary', () => {
  it('agrees with the base64Binary expression on clean, padded, spaced and broken text', () => {
    const cases = ['', 'QQ==', 'QUI=', 'QUJD', 'QUJD\nREVG', ' QUJD ', 'QUJD\r\n', 'QQ==\n', 'QQ', 'Q===', '====', 'QU=D', 'QUJ-', 'QUJ_', 'QUJ!', 'QUJDé===', 'QUJDREVG'.repeat(3) + 'Q=Q=', 'QQ= =', 'QQ=\t=', 'QUJD\fREVG', 'QUJD\u00a0', 'Q\tU\rJ\nD ='];
    for (const text of cases) assert.equal(isBase64Binary(text), REFERENCE.test(text), JSON.stringify(text));
  });

  it('agrees with it on 20,000 random strings over the alphabet and its neighbours', () => {
    const alphabet = 'ABCab09+/=  \n\r\t-_!é';
    for (let i = 0; i < 20_000; i++) {
      const length = 4 * crypto.randomInt(1, 5) + (i % 7 === 0 ? crypto.randomInt(0, 4) : 0);
      let text = '';
      // Mostly clean base64 with the occasional foreign character, so both paths are exercised.
      for (let j = 0; j < length; j++) text += crypto.randomInt(0, 10) < 9 ? 'QUJD'[j % 4] : alphabet[crypto.randomInt(0, alphabet.length)];
      assert.equal(isBase64Binary(text), REFERENCE.test(text), JSON.stringify(text));
    }
  });

  it('decides across piece boundaries: a bad character or inner padding deep in 12 MiB of text', () => {
    const clean = crypto.randomBytes(9 * 1024 * 1024).toString('base64');
    assert.equal(isBase64Binary(clean), true);
    const middle = 5 * 1024 * 1024;
    assert.equal(isBase64Binary(`${clean.slice(0, middle)}!${clean.slice(middle + 1)}`), false);
    assert.equal(isBase64Binary(`${clean.slice(0, middle)}=${clean.slice(middle + 1)}`), false);
    assert.equal(isBase64Binary(`${clean.slice(0, middle)}\n${clean.slice(middle)}`), true);
    // Padding, then whitespace that runs over a piece boundary, then one more character.
    const padded = crypto.randomBytes(3 * 1024 * 1024 + 1).toString('base64');
    assert.equal(isBase64Binary(`${padded}${' '.repeat(5 * 1024 * 1024)}`), true);
    assert.equal(isBase64Binary(`${padded}${' '.repeat(5 * 1024 * 1024)}Q`), false);
  });

  it('accepts line-wrapped base64 (76 characters, CRLF) and decodes it to the same bytes', async () => {
    const bytes = crypto.randomBytes(6 * 1024 * 1024 + 2);
    const text = wrapped(bytes.toString('base64'));
    assert.equal(isBase64Binary(text), true);
    assert.equal(isBase64Binary(`${text.slice(0, 4_000_001)}!${text.slice(4_000_001)}`), false);
    assert.deepEqual(await bytesOf(base64Stream(text)), bytes);
  });

  it('checks 48 MiB of line-wrapped base64 linearly, in pieces of a few ms each', () => {
    const text = wrapped(crypto.randomBytes(48 * 1024 * 1024).toString('base64'));
    const steps = base64BinarySteps(text);
    const times: number[] = [];
    for (;;) {
      const start = performance.now();
      const step = steps.next();
      times.push(performance.now() - start);
      if (step.done) {
        assert.equal(step.value, true);
        break;
      }
    }
    // ~66 M characters in pieces of 4 Mi, each a few ms on a quiet machine. The median, since
    // on a busy shared machine any one piece may be descheduled for a while.
    assert.equal(times.length, Math.ceil(text.length / (4 * 1024 * 1024)));
    const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    assert.ok(median < 40, `the median piece took ${median.toFixed(0)} ms`);
  });
});
