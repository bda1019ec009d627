/**
 * Large FHIR request bodies are parsed in worker threads (body-parser-worker.ts): a body of
 * 200k XML elements takes seconds through xmldom and FHIR.js, and a 64 MiB JSON Bundle ~1 s of
 * UTF-8 decoding, scanning and JSON.parse; on the main thread those seconds would stall every
 * other request. The body's bytes are transferred, not copied; the resource comes back by
 * structured clone, which costs the main thread about what copying its strings does, so a
 * Bundle's documents, most of its size, may come back decoded, as one transferred buffer.
 *
 * One thread per instance parses one body at a time. It starts on the first body and is
 * replaced when it dies. Each parse is bounded: past `timeoutMs`, or when the thread runs out of
 * its heap (`maxOldGenerationSizeMb`), the thread is terminated; the body it was parsing (the
 * oldest pending one: the thread works in order) is refused with 413 too-costly, and the bodies
 * queued behind it with 503 and Retry-After, since they would parse on a fresh thread.
 */
import path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { BodyFormat, BodyParseReply, BodyParseRequest } from './body-parser-worker';
import { attachDecodedDocuments } from './document-bytes';
import { FhirHttpError } from './http-error';
import type { FhirInputLimits } from './limits';

export interface BodyParserThreadOptions {
  /** Longest a body may take, from being handed to the thread (queueing included) to its answer. */
  timeoutMs: number;
  resourceLimits?: ResourceLimits;
}

interface Pending {
  resolve: (resource: Record<string, unknown>) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

const WORKER_FILE = path.join(__dirname, 'body-parser-worker.js');

/** The body's own ArrayBuffer when it spans all of it (then it can be transferred); a copy otherwise. */
function ownBytes(body: Buffer): Uint8Array {
  if (body.byteOffset === 0 && body.byteLength === body.buffer.byteLength) return new Uint8Array(body.buffer);
  return new Uint8Array(body);
}

function tooCostly(reason: string): FhirHttpError {
  return FhirHttpError.of(413, 'too-costly', `the body ${reason}; send a smaller one`);
}

function parserRestarted(): FhirHttpError {
  return new FhirHttpError(503, [{ severity: 'error', code: 'transient', diagnostics: 'the request body parser was restarted while this body waited for it; retry' }], { 'Retry-After': '1' });
}

export class BodyParserThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(private readonly options: BodyParserThreadOptions) {}

  /**
   * Parses a FHIR request body off the main thread; rejects with FhirHttpError for refused input.
   * `body` is unusable afterwards. `decodeDocuments`: a Bundle's documents come back decoded (document-bytes.ts).
   */
  parse(format: BodyFormat, body: Buffer, limits: FhirInputLimits, decodeDocuments = false): Promise<Record<string, unknown>> {
    const thread = this.thread();
    const id = this.nextId++;
    const bytes = ownBytes(body);
    const request: BodyParseRequest = { id, format, body: bytes, limits: { ...limits }, decodeDocuments };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.stop(thread, tooCostly(`took longer than ${this.options.timeoutMs} ms to parse`)), this.options.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      thread.postMessage(request, [bytes.buffer as ArrayBuffer]);
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const started = new Worker(WORKER_FILE, this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {});
    // An idle parser must not keep the process alive at shutdown.
    started.unref();
    started.on('message', (message: BodyParseReply) => this.settle(message));
    started.on('error', (err: Error & { code?: string }) =>
      this.failAll(started, err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooCostly('needs more memory to parse than this server gives one body') : err),
    );
    started.on('exit', (code) => this.failAll(started, new Error(`FHIR body parser thread exited with code ${code}`)));
    this.worker = started;
    return started;
  }

  private settle(message: BodyParseReply): void {
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    clearTimeout(waiting.timer);
    if ('resource' in message) {
      if (message.documents) attachDecodedDocuments(message.resource, message.documents);
      waiting.resolve(message.resource);
    }
    else if ('refused' in message) waiting.reject(new FhirHttpError(message.refused.status, message.refused.issues, message.refused.headers));
    else waiting.reject(new Error(`FHIR body parser thread: ${message.failed}`));
  }

  private stop(thread: Worker, culprit: Error): void {
    this.failAll(thread, culprit);
    void thread.terminate();
  }

  /** The oldest pending body gets `culprit`: the thread parses in order, so it was that one's. */
  private failAll(thread: Worker, culprit: Error): void {
    if (this.worker !== thread) return; // already replaced (terminate() also ends in 'exit')
    this.worker = undefined;
    let first = true;
    for (const waiting of this.pending.values()) {
      clearTimeout(waiting.timer);
      waiting.reject(first ? culprit : parserRestarted());
      first = false;
    }
    this.pending.clear();
  }
}
