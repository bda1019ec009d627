/** Builders for the SOAP layer tests: fixtures, multipart bodies, chunked sources, stream readers. */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

export const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'soap');

export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

export interface TestPart {
  /** Header lines without line ends, e.g. 'Content-ID: <a@b>'. */
  headers: string[];
  body: Buffer | string;
}

export interface MultipartShape {
  /** Line end used everywhere (RFC 2046 says CRLF; LF-only senders exist). */
  eol?: string;
  preamble?: string;
  epilogue?: string;
  /** Leave the closing delimiter out (a truncated body). */
  omitClose?: boolean;
  /** Transport padding after each boundary. */
  padding?: string;
}

export function multipart(boundary: string, parts: TestPart[], shape: MultipartShape = {}): Buffer {
  const eol = shape.eol ?? '\r\n';
  const pad = shape.padding ?? '';
  const out: Buffer[] = [];
  if (shape.preamble !== undefined) out.push(Buffer.from(shape.preamble + eol));
  parts.forEach((p, i) => {
    out.push(Buffer.from(`${i === 0 ? '' : eol}--${boundary}${pad}${eol}${p.headers.map((h) => h + eol).join('')}${eol}`, 'latin1'));
    out.push(typeof p.body === 'string' ? Buffer.from(p.body) : p.body);
  });
  if (!shape.omitClose) out.push(Buffer.from(`${eol}--${boundary}--${pad}${eol}${shape.epilogue ?? ''}`, 'latin1'));
  return Buffer.concat(out);
}

export const BOUNDARY = 'MIMEBoundary_4c1f0e8d2b7a49e6a3d5c9b1f0e2d4c6';

export function mtomContentType(boundary = BOUNDARY, start = '<root.message@example.org>', extra = ''): string {
  return `multipart/related; boundary="${boundary}"; type="application/xop+xml"; start="${start}"; start-info="application/soap+xml"${extra}`;
}

export function rootPart(envelope: string, contentId = '<root.message@example.org>'): TestPart {
  return {
    headers: ['Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"', 'Content-Transfer-Encoding: binary', `Content-ID: ${contentId}`],
    body: envelope,
  };
}

export function binaryPart(contentId: string, body: Buffer, contentType = 'application/octet-stream'): TestPart {
  return { headers: [`Content-Type: ${contentType}`, 'Content-Transfer-Encoding: binary', `Content-ID: <${contentId}>`], body };
}

/** Deterministic pseudo-random bytes (binary, with CR/LF and dashes in them). */
export function bytes(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** The ITI-41 root fixture with the given Content-IDs put in its three xop:Include hrefs. */
export function iti41Root(cids: string[]): string {
  let xml = fixture('iti41-mtom-root.xml');
  cids.forEach((cid, i) => {
    xml = xml.replace(`cid:CID_${i + 1}`, `cid:${encodeURIComponent(cid).replace(/%40/g, '@')}`);
  });
  return xml;
}

/** `data` as a stream cut at the given offsets. */
export function splitAt(data: Buffer, cuts: number[]): Readable {
  const points = [0, ...cuts.filter((c) => c > 0 && c < data.length).sort((a, b) => a - b), data.length];
  const pieces: Buffer[] = [];
  for (let i = 1; i < points.length; i++) if (points[i]! > points[i - 1]!) pieces.push(data.subarray(points[i - 1], points[i]));
  return Readable.from(pieces, { objectMode: false });
}

export function inChunksOf(data: Buffer, size: number): Readable {
  const cuts: number[] = [];
  for (let k = size; k < data.length; k += size) cuts.push(k);
  return splitAt(data, cuts);
}

export async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(parts);
}

export async function readError(stream: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const _ of stream) void _;
  } catch (err) {
    return err;
  }
  assert.fail('expected the stream to fail');
}

export function sha1(data: Buffer): string {
  return crypto.createHash('sha1').update(data).digest('hex');
}

/** Asserts `err` is an instance of `type` with `code`. */
export function assertCode<T extends Error & { code: string }>(err: unknown, type: abstract new (...args: never[]) => T, code: string): void {
  assert.ok(err instanceof type, `expected ${type.name} ${code}, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  assert.equal((err as T).code, code, (err as T).message);
}

/** Awaits `p` expecting a rejection of `type` with `code`. */
export async function rejectsWith<T extends Error & { code: string }>(p: Promise<unknown>, type: abstract new (...args: never[]) => T, code: string): Promise<T> {
  try {
    await p;
  } catch (err) {
    assertCode(err, type, code);
    return err as T;
  }
  assert.fail(`expected ${type.name} ${code}`);
}
