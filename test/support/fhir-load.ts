// Steady MHD load against a running gateway: loops that alternate an ITI-65 submission
// (a fresh minimal Bundle) and an ITI-67 search for the fixtures' patient, recording
// every answer, so a test can compare what the client saw with what was stored.
import { freshBundle, RID, RID_SYSTEM, type Json } from '../fhir/http/support';

export interface LoadAnswer {
  transaction: 'ITI-65' | 'ITI-67';
  /** HTTP status; 0 when no answer came (connection refused or reset, client timeout). */
  status: number;
  retryAfter: string | null;
  /** First OperationOutcome issue code of an error answer. */
  issueCode?: string;
  /** ITI-65: the submission set's and document's uniqueIds (without urn:oid:). */
  submissionSetUid?: string;
  documentUid?: string;
}

const oid = (v: string) => v.replace(/^urn:oid:/, '');

function uidsOf(bundle: Json): { submissionSetUid: string; documentUid: string } {
  const resources = (bundle.entry as Json[]).map((e) => e.resource as Json);
  const list = resources.find((r) => r.resourceType === 'List')!;
  const doc = resources.find((r) => r.resourceType === 'DocumentReference')!;
  return { submissionSetUid: oid(list.identifier.find((i: Json) => i.use === 'usual').value), documentUid: oid(doc.masterIdentifier.value) };
}

async function send(transaction: LoadAnswer['transaction'], url: string, init: RequestInit): Promise<LoadAnswer> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    const issueCode = res.status >= 400 ? (JSON.parse(text) as Json).issue?.[0]?.code : undefined;
    return { transaction, status: res.status, retryAfter: res.headers.get('retry-after'), ...(issueCode ? { issueCode } : {}) };
  } catch {
    return { transaction, status: 0, retryAfter: null };
  }
}

export class FhirLoad {
  readonly answers: LoadAnswer[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly fhir: string) {}

  start(concurrency = 2): void {
    this.running = true;
    this.loops = Array.from({ length: concurrency }, () => this.loop());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Answers since `from` (an earlier answers.length). */
  since(from: number): LoadAnswer[] {
    return this.answers.slice(from);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const bundle = freshBundle('minimal-bundle.json');
      const submitted = await send('ITI-65', this.fhir, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(bundle) });
      this.answers.push({ ...submitted, ...uidsOf(bundle) });
      const search = `${this.fhir}/DocumentReference?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${RID}`)}&status=current&_count=5`;
      this.answers.push(await send('ITI-67', search, { headers: { accept: 'application/fhir+json' } }));
      // Some air between rounds: the point is a steady stream, not saturating a busy machine.
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
