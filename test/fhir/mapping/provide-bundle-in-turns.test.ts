// ITI-65 mapping in pieces (src/fhir/mhd/mapping/steps.ts): provideBundleInTurns pauses between
// DocumentReferences and inside a large document's base64 check, so the HTTP handler can hand
// the event loop over (issue 11), and it maps exactly what the synchronous provideBundle does.
import assert from 'node:assert/strict';
import { RegistryError } from '../../../src/domain/registry-error';
import { base64BinarySteps } from '../../../src/fhir/http/base64-binary';
import { documentOf, manyDocumentsBundle, provideBundleObject } from '../http/provide-bundles';
import { RID } from '../http/support';
import { mhd } from './support';

describe('mhd/mapping provideBundleInTurns', () => {
  it('pauses once per DocumentReference and maps what provideBundle maps', async () => {
    const bundle = manyDocumentsBundle(RID, 20, 64);
    let pauses = 0;
    const plan = await mhd.provideBundleInTurns(bundle, async () => void (pauses += 1));
    assert.equal(pauses, 20);
    assert.equal(plan.submission.documents.length, 20);
    assert.deepEqual(plan, mhd.provideBundle(bundle));
  });

  it('pauses inside the base64 check of a document of several MiB', async () => {
    const bundle = provideBundleObject(RID, documentOf(10 * 1024 * 1024));
    let pauses = 0;
    const plan = await mhd.provideBundleInTurns(bundle, async () => void (pauses += 1));
    // 10 MiB is ~13.3 M base64 characters: checked in four 4 M-character chunks, a pause between each, then one after the DocumentReference.
    assert.equal(pauses, 4);
    assert.equal(plan.documents.length, 1);
  });

  it('rejects with every problem, like provideBundle throws', async () => {
    const bundle = manyDocumentsBundle(RID, 2, 64);
    bundle.type = 'batch';
    await assert.rejects(mhd.provideBundleInTurns(bundle, async () => {}), (err: unknown) => err instanceof RegistryError && /must be transaction/.test(err.message));
    assert.throws(() => mhd.provideBundle(bundle), /must be transaction/);
  });
});

describe('fhir/http base64BinarySteps', () => {
  it('decides like isBase64Binary, one pause per further 4 M-character chunk', () => {
    const text = 'QUJD'.repeat(2 * 1024 * 1024 + 1); // 8 M characters + 4: three chunks
    const steps = base64BinarySteps(text);
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses += 1;
    assert.equal(step.value, true);
    assert.equal(pauses, 2);
  });
});
