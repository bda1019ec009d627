// FHIR_MAX_BUNDLE_ENTRIES: the default, an operator's value, and values refused at start-up.
import assert from 'node:assert/strict';
import { DEFAULT_FHIR_MAX_BUNDLE_ENTRIES, loadConfig } from '../../../src/config';

describe('FHIR_MAX_BUNDLE_ENTRIES', () => {
  it('defaults to 1000 and takes a positive integer', () => {
    assert.equal(DEFAULT_FHIR_MAX_BUNDLE_ENTRIES, 1000);
    assert.equal(loadConfig({ AUTH: 'off' }).fhirMaxBundleEntries, 1000);
    assert.equal(loadConfig({ AUTH: 'off', FHIR_MAX_BUNDLE_ENTRIES: '5000' }).fhirMaxBundleEntries, 5000);
  });

  for (const bad of ['0', '-1', '1.5', 'many']) {
    it(`refuses "${bad}"`, () => {
      assert.throws(() => loadConfig({ AUTH: 'off', FHIR_MAX_BUNDLE_ENTRIES: bad }), /FHIR_MAX_BUNDLE_ENTRIES must be a positive integer/);
    });
  }
});
