// The FHIR body parser threads (src/fhir/http/body-parser-thread.ts): JSON and XML parse off the
// main thread with the main thread's answers, and a body that takes too long or too much memory
// is refused with 413 without taking the thread down for the bodies after it.
import assert from 'node:assert/strict';
import { BodyParserThread } from '../../../src/fhir/http/body-parser-thread';
import { FhirHttpError } from '../../../src/fhir/http/http-error';
import { DEFAULT_FHIR_INPUT_LIMITS } from '../../../src/fhir/http/limits';
import { deepJsonBundle, wideXmlBundle } from './heavy-bodies';
import { FHIR_NAMESPACE } from '../../../src/fhir/http/fhir-xml';

const LIMITS = DEFAULT_FHIR_INPUT_LIMITS;
const patientXml = `<Patient xmlns="${FHIR_NAMESPACE}"><id value="p1"/></Patient>`;

async function refusal(promise: Promise<unknown>): Promise<FhirHttpError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof FhirHttpError, `expected a FhirHttpError, got ${String(err)}`);
  return err;
}

describe('fhir/http BodyParserThread', function () {
  this.timeout(60_000);

  it('parses JSON and XML bodies, and passes the limits refusals back as FhirHttpError', async () => {
    const thread = new BodyParserThread({ timeoutMs: 20_000 });
    assert.deepEqual(await thread.parse('json', Buffer.from('{"resourceType":"Patient","id":"p1"}'), LIMITS), { resourceType: 'Patient', id: 'p1' });
    assert.deepEqual(await thread.parse('xml', Buffer.from(patientXml), LIMITS), { resourceType: 'Patient', id: 'p1' });
    const deep = await refusal(thread.parse('json', Buffer.from(deepJsonBundle(1000)), LIMITS));
    assert.equal(deep.status, 400);
    assert.match(deep.message, /maxDepth/);
    assert.equal((await refusal(thread.parse('json', Buffer.from([0xff, 0xfe]), LIMITS))).status, 400);
  });

  it('a body over the time limit: 413 too-costly, the bodies queued behind it 503 with Retry-After, and the next body parses on a new thread', async () => {
    const thread = new BodyParserThread({ timeoutMs: 300 });
    const slow = thread.parse('xml', Buffer.from(wideXmlBundle(90_000)), LIMITS);
    const queued = thread.parse('xml', Buffer.from(patientXml), LIMITS);
    const tooSlow = await refusal(slow);
    assert.equal(tooSlow.status, 413);
    assert.equal(tooSlow.issues[0]!.code, 'too-costly');
    assert.match(tooSlow.message, /longer than 300 ms/);
    const restarted = await refusal(queued);
    assert.equal(restarted.status, 503);
    assert.equal(restarted.headers['Retry-After'], '1');
    assert.deepEqual(await thread.parse('xml', Buffer.from(patientXml), LIMITS), { resourceType: 'Patient', id: 'p1' });
  });

  it('a body that needs more than the thread\'s heap: 413 too-costly, and the next body parses', async () => {
    const thread = new BodyParserThread({ timeoutMs: 50_000, resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } });
    const hungry = await refusal(thread.parse('xml', Buffer.from(wideXmlBundle(99_000)), LIMITS));
    assert.equal(hungry.status, 413);
    assert.match(hungry.message, /more memory/);
    assert.deepEqual(await thread.parse('xml', Buffer.from(patientXml), LIMITS), { resourceType: 'Patient', id: 'p1' });
  });
});
