/**
 * FHIR XML request bodies are parsed in one worker thread (fhir-xml-worker.ts): even inside
 * the input limits, a body of 200k elements takes seconds through xmldom and FHIR.js, and on
 * the main thread those seconds would stall every other request. The body's bytes are
 * transferred, not copied; the resource comes back by structured clone, which costs the main
 * thread about what copying its strings does. The worker starts on the first XML body, parses
 * one body at a time, and is replaced if it dies (its pending requests fail).
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { XmlParseReply, XmlParseRequest } from './fhir-xml-worker';
import { FhirHttpError } from './http-error';
import type { FhirInputLimits } from './limits';

interface Pending {
  resolve: (resource: Record<string, unknown>) => void;
  reject: (err: Error) => void;
}

const WORKER_FILE = path.join(__dirname, 'fhir-xml-worker.js');

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

function settle(message: XmlParseReply): void {
  const waiting = pending.get(message.id);
  if (!waiting) return;
  pending.delete(message.id);
  if ('resource' in message) waiting.resolve(message.resource);
  else if ('refused' in message) waiting.reject(new FhirHttpError(message.refused.status, message.refused.issues, message.refused.headers));
  else waiting.reject(new Error(`FHIR XML parser thread: ${message.failed}`));
}

function failAll(err: Error): void {
  worker = undefined;
  for (const waiting of pending.values()) waiting.reject(err);
  pending.clear();
}

function parserThread(): Worker {
  if (worker) return worker;
  const started = new Worker(WORKER_FILE);
  // An idle parser must not keep the process alive at shutdown.
  started.unref();
  started.on('message', settle);
  started.on('error', (err) => failAll(err));
  started.on('exit', (code) => failAll(new Error(`FHIR XML parser thread exited with code ${code}`)));
  worker = started;
  return started;
}

/** The body's own ArrayBuffer when it spans all of it (then it can be transferred); a copy otherwise. */
function ownBytes(body: Buffer): Uint8Array {
  if (body.byteOffset === 0 && body.byteLength === body.buffer.byteLength) return new Uint8Array(body.buffer);
  return new Uint8Array(body);
}

/** Parses a FHIR XML request body off the main thread; rejects with FhirHttpError for refused input. `body` is unusable afterwards. */
export function parseFhirXmlOffThread(body: Buffer, limits: FhirInputLimits): Promise<Record<string, unknown>> {
  const thread = parserThread();
  const id = nextId++;
  const bytes = ownBytes(body);
  const request: XmlParseRequest = { id, body: bytes, limits: { ...limits } };
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    thread.postMessage(request, [bytes.buffer as ArrayBuffer]);
  });
}
