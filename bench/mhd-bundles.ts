// ITI-65 bodies and patients for the MHD benchmarks; the bundles themselves are built by
// test/fhir/http/provide-bundles.ts, shared with the tests.
import { provideBundleObject } from '../test/fhir/http/provide-bundles';
import { RID_SYSTEM } from '../test/fhir/http/support';

export { documentOf, manyDocumentsBundle, provideBundleObject } from '../test/fhir/http/provide-bundles';

/** RID-shaped patient numbers (10 digits, divisible by 13). */
export function ridPatients(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String((769_230_770 + i) * 13));
}

export async function feedPatients(baseUrl: string, rids: string[]): Promise<void> {
  for (const rid of rids) {
    const r = await fetch(`${baseUrl}/fhir/Patient?identifier=${encodeURIComponent(`${RID_SYSTEM}|${rid}`)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Patient', identifier: [{ system: RID_SYSTEM, value: rid }] }),
    });
    if (r.status !== 200 && r.status !== 201) throw new Error(`patient feed ${rid}: ${r.status} ${await r.text()}`);
  }
}

/** A fresh one-document ITI-65 bundle (JSON text) for the patient, carrying `content` as its Binary. */
export function provideBundle(rid: string, content: Buffer): string {
  return JSON.stringify(provideBundleObject(rid, content));
}

