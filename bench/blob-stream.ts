/**
 * Streams one large generated document into the Document Repository (SHA-1 + AES-256-GCM
 * segments + fsync) and back out, and reports MB/s for each direction plus the peak RSS, to
 * show that document size does not turn into memory use.
 *
 *   node dist/bench/blob-stream.js
 *   BENCH_BLOB_MB=2000 BENCH_BLOB_SEGMENT_KB=256 BENCH_BLOB_DIR=/mnt/fast node dist/bench/blob-stream.js
 *
 * The document comes from a generator stream (views onto a 4 MiB random pool at shifting
 * offsets), never from one buffer, so the process holds no copy of it. Reads come from the
 * page cache (the file was just written; dropping caches needs root), so the read figure is
 * the crypto/stream ceiling rather than disk speed; the write figure includes the fsync.
 * Results: bench/results/blob-stream.json.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DocumentRepository } from '../src/repository/document-repository';
import { DEFAULT_SEGMENT_SIZE } from '../src/store/blobs/format';
import { FsBlobStore } from '../src/store/blobs/fs-blob-store';

const MB = 1e6;
const sizeMB = Number(process.env.BENCH_BLOB_MB ?? 500);
const segmentSize = process.env.BENCH_BLOB_SEGMENT_KB ? Number(process.env.BENCH_BLOB_SEGMENT_KB) * 1024 : DEFAULT_SEGMENT_SIZE;
const totalBytes = Math.round(sizeMB * MB);
const CHUNK = 64 * 1024; // what an HTTP body or file stream delivers
const RSS_LIMIT_MB = 300;

const pool = crypto.randomBytes(4 * 1024 * 1024);

let peakRss = 0;
function sampleRss(): void {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
}

/** The generated document: `totalBytes` in 64 KiB views of the pool, offset shifting by a prime. */
function documentStream(): Readable {
  let sent = 0;
  let n = 0;
  return new Readable({
    highWaterMark: CHUNK,
    read() {
      if (sent >= totalBytes) {
        this.push(null);
        return;
      }
      const len = Math.min(CHUNK, totalBytes - sent);
      const off = (n * 65_537) % (pool.length - CHUNK);
      n += 1;
      sent += len;
      if ((n & 15) === 0) sampleRss();
      this.push(pool.subarray(off, off + len));
    },
  });
}

async function sha1Of(stream: Readable): Promise<string> {
  const h = crypto.createHash('sha1');
  for await (const c of stream) h.update(c as Buffer);
  return h.digest('hex');
}

/** A sink that drops the bytes (an HTTP response to a fast client), counting them. */
function discardSink(counter: { bytes: number }): Writable {
  let n = 0;
  return new Writable({
    highWaterMark: CHUNK,
    write(chunk: Buffer, _enc, cb) {
      counter.bytes += chunk.length;
      if ((++n & 3) === 0) sampleRss();
      cb();
    },
  });
}

function seconds(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** In-memory SHA-1 + AES-256-GCM over the same segment size: the CPU ceiling for the write path. */
function cryptoCeiling(): number {
  const bytes = 256 * 1024 * 1024;
  const seg = pool.subarray(0, Math.min(segmentSize, pool.length));
  const key = crypto.randomBytes(32);
  const h = crypto.createHash('sha1');
  const t0 = process.hrtime.bigint();
  for (let done = 0, i = 0; done < bytes; done += seg.length, i++) {
    const iv = Buffer.alloc(12);
    iv.writeUInt32BE(i, 8);
    const c = crypto.createCipheriv('aes-256-gcm', key, iv);
    for (let o = 0; o < seg.length; o += CHUNK) {
      const p = seg.subarray(o, o + CHUNK);
      h.update(p);
      c.update(p);
    }
    c.final();
    c.getAuthTag();
  }
  h.digest();
  return bytes / MB / seconds(t0);
}

async function main(): Promise<void> {
  const ownDir = !process.env.BENCH_BLOB_DIR;
  const dir = process.env.BENCH_BLOB_DIR ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'hie-bench-blobs-')));
  const store = await FsBlobStore.open(dir, { keys: new Map([['bench', crypto.randomBytes(32)]]), activeKeyId: 'bench' }, { segmentSize });
  const repo = new DocumentRepository(store);
  const timer = setInterval(sampleRss, 5);
  sampleRss();
  const rssStart = peakRss;

  try {
    const expectedSha1 = await sha1Of(documentStream()); // untimed: what the round trip must reproduce

    let t0 = process.hrtime.bigint();
    const stored = await repo.storeDocument(documentStream(), { size: totalBytes, hash: expectedSha1 });
    const writeSeconds = seconds(t0);
    const rssAfterWrite = peakRss;

    const counter = { bytes: 0 };
    t0 = process.hrtime.bigint();
    await pipeline(repo.openDocument(stored.blobKey), discardSink(counter));
    const readSeconds = seconds(t0);
    if (counter.bytes !== totalBytes) throw new Error(`read ${counter.bytes} bytes, expected ${totalBytes}`);

    t0 = process.hrtime.bigint();
    const readBackSha1 = await sha1Of(repo.openDocument(stored.blobKey));
    const readVerifySeconds = seconds(t0);
    if (readBackSha1 !== expectedSha1) throw new Error('round trip changed the document');

    clearInterval(timer);
    sampleRss();
    const ceiling = cryptoCeiling();
    const storedBytes = (await store.stat(stored.blobKey)).storedSize;
    await repo.removeDocument(stored.blobKey);

    const round = (x: number): number => Math.round(x * 10) / 10;
    const result = {
      bench: 'blob-stream',
      date: new Date().toISOString(),
      node: process.version,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      documentMB: sizeMB,
      documentBytes: totalBytes,
      storedBytes,
      segmentBytes: segmentSize,
      sourceChunkBytes: CHUNK,
      write: { seconds: Math.round(writeSeconds * 1000) / 1000, MBps: round(sizeMB / writeSeconds), includes: 'SHA-1, AES-256-GCM, write, fsync, rename, dir fsync, hash/size check' },
      read: { seconds: Math.round(readSeconds * 1000) / 1000, MBps: round(sizeMB / readSeconds), includes: 'read (page cache), GCM verify+decrypt, stream to a discarding sink' },
      readAndSha1: { seconds: Math.round(readVerifySeconds * 1000) / 1000, MBps: round(sizeMB / readVerifySeconds) },
      cryptoCeilingMBps: round(ceiling),
      rss: { startMB: round(rssStart / MB), afterWriteMB: round(rssAfterWrite / MB), peakMB: round(peakRss / MB), limitMB: RSS_LIMIT_MB },
      sha1: expectedSha1,
    };

    console.log(`blob-stream: ${sizeMB} MB document, ${segmentSize / 1024} KiB segments, ${result.cpu}, node ${process.version}`);
    console.log(`  write (hash+encrypt+fsync)   ${result.write.MBps.toFixed(1).padStart(8)} MB/s  (${result.write.seconds} s)`);
    console.log(`  read  (verify+decrypt)       ${result.read.MBps.toFixed(1).padStart(8)} MB/s  (${result.read.seconds} s)`);
    console.log(`  read + SHA-1 of the output   ${result.readAndSha1.MBps.toFixed(1).padStart(8)} MB/s`);
    console.log(`  CPU ceiling SHA-1+AES-GCM    ${result.cryptoCeilingMBps.toFixed(1).padStart(8)} MB/s (in memory, one core)`);
    console.log(`  RSS start ${result.rss.startMB} MB, peak ${result.rss.peakMB} MB (limit ${RSS_LIMIT_MB} MB)`);

    const outDir = path.join(__dirname, '..', '..', 'bench', 'results');
    await fs.mkdir(outDir, { recursive: true });
    await fs.writeFile(path.join(outDir, 'blob-stream.json'), `${JSON.stringify(result, null, 2)}\n`);

    if (peakRss / MB > RSS_LIMIT_MB) {
      console.error(`peak RSS ${result.rss.peakMB} MB exceeds ${RSS_LIMIT_MB} MB`);
      process.exitCode = 1;
    }
  } finally {
    clearInterval(timer);
    if (ownDir) await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
