// ITI-68: the read's audit record (now written through the shared group commit) has committed
// before the response's first byte: looked for from another connection the moment the
// response headers arrive, before any of the body is read. Also for a document in a blob file.
import assert from 'node:assert/strict';
import http from 'node:http';
import pg from 'pg';
import { describeEachStoreOverHttp, type HttpGatewayContext } from '../../support/http-gateway';
import { feedPatient, freshBundle, request } from './support';

const ITI_68 = 'urn:ihe:event-type-code|ITI-68';

/** ITI-68 records and the patient of the newest, read from a connection of its own (PGlite has only one). */
async function iti68Records(ctx: HttpGatewayContext): Promise<{ count: number; patient: string | null }> {
  const sql = `SELECT count(*)::int AS count, (SELECT patient_id FROM audit_events WHERE $1 = ANY(subtypes) ORDER BY recorded DESC LIMIT 1) AS patient
                 FROM audit_events WHERE $1 = ANY(subtypes)`;
  if (!ctx.gw.config.databaseUrl) return (await ctx.gw.db.query<{ count: number; patient: string | null }>(sql, [ITI_68])).rows[0]!;
  const other = new pg.Client({ connectionString: ctx.gw.config.databaseUrl });
  await other.connect();
  try {
    return (await other.query<{ count: number; patient: string | null }>(sql, [ITI_68])).rows[0]!;
  } finally {
    await other.end();
  }
}

/** GETs `url` and, once its headers arrive (the body unread), runs `atHeaders`; then drains the body. */
function atFirstByte<T>(url: string, atHeaders: () => Promise<T>): Promise<{ status: number; seen: T }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      res.pause();
      atHeaders().then((seen) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, seen }));
      }, reject);
    }).on('error', reject);
  });
}

const STORAGE: Array<{ where: string; env: Record<string, string> }> = [{ where: 'inline', env: {} }, { where: 'in a blob file', env: { DOCUMENT_INLINE_MAX_BYTES: '0' } }];

for (const storage of STORAGE) {
  describeEachStoreOverHttp(`fhir/http ITI-68 audits before the first byte (${storage.where})`, (ctx) => {
    it("the read's record has committed when the response headers arrive, with the document's patient", async () => {
      await feedPatient(ctx.fhir);
      const reply = await request(ctx.fhir, { method: 'POST', json: freshBundle('minimal-bundle.json') });
      assert.equal(reply.status, 200, reply.text);
      const dr = await request(`${ctx.fhir}/${reply.resource!.entry[1].response.location}`);
      const url: string = dr.resource!.content[0].attachment.url;
      const before = await iti68Records(ctx);
      const { status, seen } = await atFirstByte(url, () => iti68Records(ctx));
      assert.equal(status, 200);
      assert.equal(seen.count, before.count + 1, 'the record is visible before the body was read');
      assert.match(seen.patient ?? '', /\S/, 'the record names the patient the lookup found');
    });
  }, storage.env);
}
