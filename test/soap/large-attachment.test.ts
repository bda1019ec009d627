/**
 * Large MTOM attachments stream through with flat memory: the producer (a simulated socket) is
 * never more than a few chunks ahead of the consumer, and RSS stays well under 100 MB of growth
 * for a 200 MB document, inbound, spooled out of order, and written outbound then parsed back.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buildEnvelope, parseEnvelope } from '../../src/soap/envelope';
import { readSoapMessage, type InboundSoapMessage } from '../../src/soap/mtom';
import { writeMtom, xopInclude } from '../../src/soap/mtom-writer';
import { childrenNamed, el } from '../../src/soap/xml-dom';
import { BOUNDARY, iti41Root, mtomContentType } from './helpers';

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;
const BLOCKS = [0, 1, 2, 3].map(() => crypto.randomBytes(CHUNK));

/** A document of `size` bytes produced chunk by chunk (never materialised), with its SHA-1 and a count of bytes produced. */
class Generated {
  produced = 0;
  private readonly hash = crypto.createHash('sha1');
  constructor(readonly size: number, private readonly seed: number) {}

  *chunks(): Generator<Buffer> {
    for (let i = 0; this.produced < this.size; i++) {
      const block = BLOCKS[(i * 7 + this.seed) % BLOCKS.length]!;
      const chunk = block.subarray(0, Math.min(CHUNK, this.size - this.produced));
      this.hash.update(chunk);
      this.produced += chunk.length;
      yield chunk;
    }
  }

  get sha1(): string {
    return this.hash.digest('hex');
  }
}

/** Peak RSS growth over the baseline while `fn` runs, sampled every few milliseconds. */
async function peakRssGrowth(fn: () => Promise<void>): Promise<number> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage().rss) - base;
}

/** Hashes a stream; checks on every chunk that the producer is at most `maxAheadBytes` ahead (backpressure works). */
async function consume(stream: Readable, producers: Generated[], maxAheadBytes: number): Promise<{ sha1: string; size: number }> {
  const hash = crypto.createHash('sha1');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
    const produced = producers.reduce((n, p) => n + p.produced, 0);
    assert.ok(produced - size <= maxAheadBytes, `producer ${((produced - size) / MB).toFixed(1)} MB ahead of the consumer`);
  }
  return { sha1: hash.digest('hex'), size };
}

function* frame(parts: { headers: string; body: Iterable<Buffer> }[]): Generator<Buffer> {
  for (const [i, p] of parts.entries()) {
    yield Buffer.from(`${i === 0 ? '' : '\r\n'}--${BOUNDARY}\r\n${p.headers}\r\n\r\n`);
    yield* p.body;
  }
  yield Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
}

function attachmentHeaders(cid: string): string {
  return `Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <${cid}>`;
}

const ROOT_HEADERS = 'Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\nContent-ID: <root.message@example.org>';

function documents(msg: InboundSoapMessage) {
  return childrenNamed(parseEnvelope(msg.document).bodyElements[0]!, 'urn:ihe:iti:xds-b:2007', 'Document');
}

describe('large MTOM attachments', function () {
  this.timeout(180_000);
  let spoolDir: string;
  before(async () => {
    spoolDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hie-soap-large-'));
  });
  after(async () => {
    assert.deepEqual(await fs.readdir(spoolDir), []);
    await fs.rm(spoolDir, { recursive: true, force: true });
  });

  it('streams a 200 MB inbound attachment to the consumer with flat memory and backpressure', async () => {
    const doc = new Generated(200 * MB, 1);
    const small = [new Generated(10, 2), new Generated(20, 3)];
    let result: { sha1: string; size: number } | undefined;
    const growth = await peakRssGrowth(async () => {
      const body = Readable.from(frame([
        { headers: ROOT_HEADERS, body: [Buffer.from(iti41Root(['big@x', 's1@x', 's2@x']))] },
        { headers: attachmentHeaders('big@x'), body: doc.chunks() },
        { headers: attachmentHeaders('s1@x'), body: small[0]!.chunks() },
        { headers: attachmentHeaders('s2@x'), body: small[1]!.chunks() },
      ]), { objectMode: false });
      const msg = await readSoapMessage(body, mtomContentType(), { spoolDir });
      try {
        result = await consume(msg.binary(documents(msg)[0]!).open(), [doc], 1 * MB);
      } finally {
        await msg.dispose();
      }
    });
    assert.equal(result!.size, doc.size);
    assert.equal(result!.sha1, doc.sha1);
    if (process.env.SOAP_TEST_VERBOSE) console.log(`      RSS growth ${(growth / MB).toFixed(1)} MB`);
    assert.ok(growth < 100 * MB, `RSS grew by ${(growth / MB).toFixed(1)} MB`);
  });

  it('spools a 100 MB part read out of order to disk, not memory', async () => {
    const first = new Generated(100 * MB, 5);
    const second = new Generated(30 * MB, 6);
    const third = new Generated(1, 7);
    const results: { sha1: string; size: number }[] = [];
    const growth = await peakRssGrowth(async () => {
      const body = Readable.from(frame([
        { headers: ROOT_HEADERS, body: [Buffer.from(iti41Root(['a@x', 'b@x', 'c@x']))] },
        { headers: attachmentHeaders('a@x'), body: first.chunks() },
        { headers: attachmentHeaders('b@x'), body: second.chunks() },
        { headers: attachmentHeaders('c@x'), body: third.chunks() },
      ]), { objectMode: false });
      const msg = await readSoapMessage(body, mtomContentType(), { spoolDir });
      try {
        const docs = documents(msg);
        results[1] = await consume(msg.binary(docs[1]!).open(), [first, second], first.size + 1 * MB);
        results[0] = await consume(msg.binary(docs[0]!).open(), [first, second], Infinity);
        results[2] = await consume(msg.binary(docs[2]!).open(), [third], 1 * MB);
      } finally {
        await msg.dispose();
      }
    });
    assert.deepEqual(results.map((r) => r.sha1), [first.sha1, second.sha1, third.sha1]);
    if (process.env.SOAP_TEST_VERBOSE) console.log(`      RSS growth ${(growth / MB).toFixed(1)} MB`);
    assert.ok(growth < 100 * MB, `RSS grew by ${(growth / MB).toFixed(1)} MB`);
  });

  it('writes a 200 MB attachment outbound and parses it back, streaming both ways', async () => {
    const doc = new Generated(200 * MB, 9);
    let result: { sha1: string; size: number } | undefined;
    const growth = await peakRssGrowth(async () => {
      const envelope = buildEnvelope({ body: [el('urn:ihe:iti:xds-b:2007', 'xdsb:RetrieveDocumentSetResponse', {}, el('urn:ihe:iti:xds-b:2007', 'xdsb:Document', {}, xopInclude('doc@hie')))] });
      const out = writeMtom(envelope, [{ contentId: 'doc@hie', contentType: 'application/pdf', content: () => Readable.from(doc.chunks(), { objectMode: false }) }]);
      const msg = await readSoapMessage(out.body, out.contentType, { spoolDir });
      try {
        const docEl = childrenNamed(parseEnvelope(msg.document).bodyElements[0]!, 'urn:ihe:iti:xds-b:2007', 'Document')[0]!;
        result = await consume(msg.binary(docEl).open(), [doc], 2 * MB);
      } finally {
        await msg.dispose();
      }
    });
    assert.equal(result!.sha1, doc.sha1);
    assert.equal(result!.size, doc.size);
    if (process.env.SOAP_TEST_VERBOSE) console.log(`      RSS growth ${(growth / MB).toFixed(1)} MB`);
    assert.ok(growth < 100 * MB, `RSS grew by ${(growth / MB).toFixed(1)} MB`);
  });
});
