// What an outage test checks in the database afterwards: every submission the client saw
// acknowledged is registered with its audit record, and every refusal has its audit
// record (written from the spool once the database answered again).
import assert from 'node:assert/strict';
import pg from 'pg';
import type { LoadAnswer } from '../../support/fhir-load';

async function withClient<T>(databaseUrl: string, body: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    return await body(c);
  } finally {
    await c.end();
  }
}

/** Every acknowledged ITI-65: its document entry and its success audit record. */
export async function assertAcknowledgedStored(databaseUrl: string, answers: readonly LoadAnswer[]): Promise<void> {
  const acknowledged = answers.filter((a) => a.transaction === 'ITI-65' && a.status === 200);
  assert.ok(acknowledged.length > 0, 'some submissions were acknowledged');
  await withClient(databaseUrl, async (c) => {
    const docs = await c.query<{ unique_id: string }>('SELECT unique_id FROM document_entries WHERE unique_id = ANY($1::text[])', [acknowledged.map((a) => a.documentUid)]);
    assert.equal(docs.rowCount, acknowledged.length, 'every acknowledged document is registered');
    const audited = await c.query<{ n: number }>(
      `SELECT count(DISTINCT s.uid)::int AS n FROM unnest($1::text[]) AS s(uid)
       WHERE EXISTS (SELECT 1 FROM audit_events e WHERE e.outcome = '0' AND 'ITI-65' = ANY(e.subtypes) AND e.resource::text LIKE '%' || s.uid || '%')`,
      [acknowledged.map((a) => a.submissionSetUid)],
    );
    assert.equal(audited.rows[0]!.n, acknowledged.length, 'every acknowledged submission has its success audit record');
  });
}

function refusedBy(answers: readonly LoadAnswer[]): Map<string, number> {
  const refused = new Map<string, number>();
  for (const a of answers) if (a.status === 503) refused.set(a.transaction, (refused.get(a.transaction) ?? 0) + 1);
  return refused;
}

/** Waits until each transaction's failure audit records number its 503 answers (they come from the spool after the outage). */
export async function waitForRefusalRecords(databaseUrl: string, answers: readonly LoadAnswer[], timeoutMs = 30_000): Promise<void> {
  const expected = refusedBy(answers);
  const deadline = Date.now() + timeoutMs;
  let found = new Map<string, number>();
  while (Date.now() < deadline) {
    found = await withClient(databaseUrl, async (c) => {
      const r = await c.query<{ tx: string; n: number }>(
        `SELECT t.tx, count(e.id)::int AS n FROM unnest($1::text[]) AS t(tx)
         LEFT JOIN audit_events e ON e.outcome <> '0' AND t.tx = ANY(e.subtypes) GROUP BY t.tx`,
        [[...expected.keys()]],
      );
      return new Map(r.rows.map((row) => [row.tx, row.n]));
    });
    if ([...expected].every(([tx, n]) => found.get(tx) === n)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.deepEqual(Object.fromEntries(found), Object.fromEntries(expected), 'failure audit records per transaction = 503 answers');
}
