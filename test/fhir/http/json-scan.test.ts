// The JSON pre-scan (src/fhir/http/json-scan.ts) and the unstorable-text walk: limits stop the
// scan where they are crossed, strings and escapes are skipped correctly, and the walk names
// the element.
import assert from 'node:assert/strict';
import { DEFAULT_FHIR_INPUT_LIMITS } from '../../../src/fhir/http/limits';
import { scanJson } from '../../../src/fhir/http/json-scan';
import { unstorableTextPath } from '../../../src/fhir/http/unstorable-text';
import { deepJsonBundle, manyEntriesJsonBundle } from './heavy-bodies';

const LIMITS = { ...DEFAULT_FHIR_INPUT_LIMITS, maxDepth: 10, maxElements: 50, maxBundleEntries: 3 };

describe('fhir/http JSON pre-scan', () => {
  it('passes a small Bundle and reports nothing', () => {
    assert.deepEqual(scanJson(manyEntriesJsonBundle(3), LIMITS), { unstorableEscape: false });
  });

  it('stops at the first level past maxDepth', () => {
    assert.deepEqual(scanJson(deepJsonBundle(8), LIMITS), { exceeded: { limit: 'maxDepth', value: 10 }, unstorableEscape: false });
    assert.equal(scanJson(deepJsonBundle(6), LIMITS).exceeded, undefined);
  });

  it('counts objects and arrays against maxElements', () => {
    const wide = `{"resourceType":"Basic","x":[${Array.from({ length: 60 }, () => '{}').join(',')}]}`;
    assert.deepEqual(scanJson(wide, LIMITS).exceeded, { limit: 'maxElements', value: 50 });
  });

  it('counts only the root entry array against maxBundleEntries', () => {
    assert.deepEqual(scanJson(manyEntriesJsonBundle(4), LIMITS).exceeded, { limit: 'maxBundleEntries', value: 3 });
    const nested = `{"resourceType":"Bundle","x":{"entry":[{},{},{},{}]},"y":"entry","z":[{},{},{},{}]}`;
    assert.equal(scanJson(nested, LIMITS).exceeded, undefined);
  });

  it('skips brackets, quotes and backslashes inside strings', () => {
    const tricky = `{"resourceType":"Basic","a":"[[[[[[[[[[[[ \\" {{{{{{{{{{{{ \\\\","b":"\\\\\\"[[[[[[[[[[[["}`;
    assert.doesNotThrow(() => JSON.parse(tricky));
    assert.deepEqual(scanJson(tricky, LIMITS), { unstorableEscape: false });
  });

  for (const [text, unstorable] of [
    ['"\\u0000"', true],
    ['"a\\u0000"', true],
    ['"\\ud800"', true],
    ['"\\uDC00x"', true],
    ['"\\ud83d\\ude00"', false],
    ['"\\\\u0000"', false],
    ['"\\\\\\u0000"', true],
    ['"\\u00e9"', false],
  ] as const) {
    it(`${text} ${unstorable ? 'is' : 'is not'} flagged as unstorable`, () => {
      assert.equal(scanJson(`{"resourceType":"Basic","t":${text}}`, LIMITS).unstorableEscape, unstorable);
    });
  }

  it('stays linear on a long string full of escapes', () => {
    const text = `{"resourceType":"Basic","t":"${'\\n'.repeat(4_000_000)}"}`;
    const started = performance.now();
    assert.deepEqual(scanJson(text, LIMITS), { unstorableEscape: false });
    assert.ok(performance.now() - started < 1000);
  });
});

describe('fhir/http unstorable text walk', () => {
  it('names the first element holding U+0000 or a lone surrogate as a FHIRPath', () => {
    const bundle = { resourceType: 'Bundle', entry: [{ resource: { a: 'ok' } }, { resource: { contained: [{ name: [{ family: 'x\u0000' }] }] } }] };
    assert.equal(unstorableTextPath(bundle, 'Bundle'), 'Bundle.entry[1].resource.contained[0].name[0].family');
    assert.equal(unstorableTextPath({ t: 'a\uDFFF' }, 'Basic'), 'Basic.t');
    assert.equal(unstorableTextPath({ t: '😀 é' }, 'Basic'), undefined);
  });

  it('checks object keys too', () => {
    assert.equal(unstorableTextPath({ 'k\u0000': 1 }, 'Basic'), 'Basic.`k?`');
  });
});
