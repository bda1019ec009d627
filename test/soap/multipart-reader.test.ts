import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { MtomError } from '../../src/soap/mtom-error';
import { MultipartReader, type MultipartLimits } from '../../src/soap/multipart-reader';
import { BOUNDARY, assertCode, binaryPart, bytes, multipart, rejectsWith, splitAt, inChunksOf, type TestPart } from './helpers';

const LIMITS: MultipartLimits = { maxHeaderBytes: 16 * 1024, maxParts: 100, maxPartBytes: 1 << 30, maxBodyBytes: Number.MAX_SAFE_INTEGER };

interface ParsedPart {
  contentId: string | undefined;
  headers: Record<string, string>;
  body: Buffer;
}

async function parseAll(source: Readable, boundary = BOUNDARY, limits: MultipartLimits = LIMITS): Promise<ParsedPart[]> {
  const reader = new MultipartReader(source, boundary, limits);
  const out: ParsedPart[] = [];
  for (let p = await reader.nextPart(); p; p = await reader.nextPart()) {
    const chunks: Buffer[] = [];
    for (let c = await reader.read(); c !== null; c = await reader.read()) chunks.push(c);
    out.push({ contentId: p.contentId, headers: Object.fromEntries(p.headers), body: Buffer.concat(chunks) });
  }
  return out;
}

/** Binary bodies that look like delimiters: CR, LF, dashes, the boundary itself without its line break, a longer boundary. */
const TRICKY: TestPart[] = [
  { headers: ['Content-Type: text/plain', 'Content-ID: <one@x>'], body: 'first\r\n' },
  binaryPart('two@x', Buffer.concat([Buffer.from(`--${BOUNDARY}\r\n\n--${BOUNDARY}X\r\n\r\r\n-\n--`), bytes(300, 2), Buffer.from('\r')])),
  binaryPart('three@x', Buffer.alloc(0)),
  { headers: [], body: 'no headers at all' },
];

function expectTricky(parts: ParsedPart[]): void {
  assert.equal(parts.length, TRICKY.length);
  parts.forEach((p, i) => assert.ok(p.body.equals(Buffer.from(TRICKY[i]!.body as Buffer | string)), `body of part ${i}`));
  assert.deepEqual(parts.map((p) => p.contentId), ['one@x', 'two@x', 'three@x', undefined]);
}

describe('multipart reader', () => {
  const body = multipart(BOUNDARY, TRICKY, { preamble: 'This is a preamble.', epilogue: 'and an epilogue\r\n' });

  it('reads parts whose bodies contain boundary look-alikes', async () => {
    expectTricky(await parseAll(splitAt(body, [])));
  });

  it('gives the same result however the body is split into two chunks (every byte position)', async () => {
    for (let cut = 1; cut < body.length; cut++) expectTricky(await parseAll(splitAt(body, [cut])));
  });

  it('gives the same result for three-way splits around every delimiter, and one byte at a time', async () => {
    const delimiters: number[] = [];
    for (let at = body.indexOf(`--${BOUNDARY}`); at !== -1; at = body.indexOf(`--${BOUNDARY}`, at + 1)) delimiters.push(at);
    for (const d of delimiters) {
      for (let a = d - 3; a <= d + BOUNDARY.length + 6; a++) {
        for (let b = a + 1; b <= a + 4; b++) expectTricky(await parseAll(splitAt(body, [a, b])));
      }
    }
    expectTricky(await parseAll(inChunksOf(body, 1)));
  });

  it('tolerates LF-only line ends and transport padding after boundaries (RFC 2046 5.1.1)', async () => {
    const lf = multipart(BOUNDARY, TRICKY.slice(0, 1).concat([binaryPart('b@x', bytes(100, 5))]), { eol: '\n', padding: ' \t ' });
    const parts = await parseAll(inChunksOf(lf, 7));
    assert.equal(parts[0]!.body.toString(), 'first\r\n');
    assert.ok(parts[1]!.body.equals(bytes(100, 5)));
  });

  it('reads folded, odd-cased and parameterised headers; Content-ID with or without angle brackets', async () => {
    const odd = multipart(BOUNDARY, [
      { headers: ['content-TYPE:   application/xop+xml;', '\tcharset=UTF-8;  type="application/soap+xml"', 'CONTENT-ID:<root@x>', 'X-Note: a: b: c'], body: '<a/>' },
      { headers: ['Content-Id:  bare-id@x  ', 'Content-Type: image/png'], body: 'png' },
    ]);
    const [root, bare] = await parseAll(splitAt(odd, []));
    assert.equal(root!.contentId, 'root@x');
    assert.equal(root!.headers['content-type'], 'application/xop+xml; charset=UTF-8;  type="application/soap+xml"');
    assert.equal(root!.headers['x-note'], 'a: b: c');
    assert.equal(bare!.contentId, 'bare-id@x');
  });

  it('treats a nested multipart body (another boundary) and header-like lines in a body as opaque bytes', async () => {
    const inner = `--inner\r\nContent-Type: text/plain\r\nContent-ID: <not-a-part@x>\r\n\r\nhello\r\n--inner--\r\n`;
    const nested = multipart(BOUNDARY, [
      { headers: ['Content-Type: multipart/mixed; boundary=inner', 'Content-ID: <nested@x>'], body: inner },
      { headers: ['Content-ID: <after@x>'], body: 'Content-ID: <fake@x>\r\n\r\nbody text' },
    ]);
    const parts = await parseAll(inChunksOf(nested, 5));
    assert.deepEqual(parts.map((p) => p.contentId), ['nested@x', 'after@x']);
    assert.equal(parts[0]!.body.toString(), inner);
    assert.equal(parts[1]!.body.toString(), 'Content-ID: <fake@x>\r\n\r\nbody text');
  });

  it('refuses ambiguous or broken headers', async () => {
    const dupId = multipart(BOUNDARY, [{ headers: ['Content-ID: <a@x>', 'Content-ID: <b@x>'], body: 'x' }]);
    await rejectsWith(parseAll(splitAt(dupId, [])), MtomError, 'MALFORMED_MULTIPART');
    const noColon = multipart(BOUNDARY, [{ headers: ['this is not a header'], body: 'x' }]);
    await rejectsWith(parseAll(splitAt(noColon, [])), MtomError, 'MALFORMED_MULTIPART');
    const huge = multipart(BOUNDARY, [{ headers: [`X-Big: ${'a'.repeat(20_000)}`], body: 'x' }]);
    await rejectsWith(parseAll(inChunksOf(huge, 1000)), MtomError, 'HEADERS_TOO_LARGE');
  });

  describe('truncation is always an error, never a short part', () => {
    const full = multipart(BOUNDARY, TRICKY);
    it('without the closing delimiter', async () => {
      await rejectsWith(parseAll(splitAt(multipart(BOUNDARY, TRICKY, { omitClose: true }), [])), MtomError, 'TRUNCATED');
    });
    it('cut at every position', async () => {
      for (let cut = 0; cut <= full.length - 3; cut++) {
        // Up to the last "-" of the closing "--boundary--" every cut must fail; after it the body is complete.
        await rejectsWith(parseAll(splitAt(full.subarray(0, cut), [Math.floor(cut / 2)])), MtomError, 'TRUNCATED');
      }
    });
    it('a body with no boundary at all', async () => {
      await rejectsWith(parseAll(splitAt(Buffer.from('just text, no multipart'), [])), MtomError, 'TRUNCATED');
    });
  });

  it('enforces part, part-count and body limits', async () => {
    const big = multipart(BOUNDARY, [binaryPart('a@x', bytes(10_000, 1))]);
    await rejectsWith(parseAll(inChunksOf(big, 999), BOUNDARY, { ...LIMITS, maxPartBytes: 9_999 }), MtomError, 'PART_TOO_LARGE');
    await rejectsWith(parseAll(inChunksOf(big, 999), BOUNDARY, { ...LIMITS, maxBodyBytes: 5_000 }), MtomError, 'BODY_TOO_LARGE');
    const many = multipart(BOUNDARY, Array.from({ length: 5 }, (_, i) => binaryPart(`${i}@x`, Buffer.from('x'))));
    await rejectsWith(parseAll(splitAt(many, []), BOUNDARY, { ...LIMITS, maxParts: 4 }), MtomError, 'TOO_MANY_PARTS');
  });

  it('refuses an invalid boundary parameter', () => {
    for (const b of ['', 'x'.repeat(71), 'ends with space ', 'bad\r\nchar']) {
      assert.throws(() => new MultipartReader(splitAt(Buffer.alloc(0), []), b, LIMITS), (err) => {
        assertCode(err, MtomError, 'BAD_CONTENT_TYPE');
        return true;
      });
    }
  });

  it('skips the unread rest of a part when asked for the next one', async () => {
    const reader = new MultipartReader(inChunksOf(body, 10), BOUNDARY, LIMITS);
    const ids: (string | undefined)[] = [];
    for (let p = await reader.nextPart(); p; p = await reader.nextPart()) ids.push(p.contentId);
    assert.deepEqual(ids, ['one@x', 'two@x', 'three@x', undefined]);
  });
});
