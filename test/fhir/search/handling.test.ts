import assert from 'node:assert/strict';
import { SearchParameterError } from '../../../src/fhir/mhd/search';
import { describeEachStore } from '../../support/databases';
import { RID_SYSTEM, loadSearchFixture, matchNames, outcome, runSearch, type Params, type SearchFixture } from './fixture';

// Unknown parameters under Prefer: handling=strict and lenient, modifiers, empty values.
describeEachStore('fhir/mhd/search unknown parameters and handling', (ctx) => {
  let fx: SearchFixture;
  before(async () => {
    fx = await loadSearchFixture(ctx.db);
  });

  const base = (): Params => [['patient.identifier', `${RID_SYSTEM}|${fx.patient.rid}`], ['status', 'current']];
  const CURRENT = ['dA', 'dB', 'dD', 'dE', 'dF'];

  it('strict: an unknown parameter is an error naming it', async () => {
    await assert.rejects(runSearch(fx, 'DocumentReference', [...base(), ['foo', 'bar'], ['_sort', 'date']], { strict: true }), (err: unknown) => {
      assert.ok(err instanceof SearchParameterError);
      assert.deepEqual(err.issues.map((i) => [i.severity, i.code, i.expression]), [['error', 'not-supported', 'foo'], ['error', 'not-supported', '_sort']]);
      return true;
    });
    // A List parameter is unknown on DocumentReference and the other way round.
    await assert.rejects(runSearch(fx, 'DocumentReference', [...base(), ['sourceId', 'urn:oid:1.2.3']]), SearchParameterError);
    await assert.rejects(runSearch(fx, 'List', [...base(), ['code', 'folder'], ['category', '11502-2']]), SearchParameterError);
  });

  it('lenient: unknown parameters are ignored, listed in an outcome entry and left out of the links', async () => {
    const bundle = await runSearch(fx, 'DocumentReference', [...base(), ['foo', 'bar'], ['author.middle', 'X']], { strict: false });
    assert.deepEqual(matchNames(fx, bundle), CURRENT);
    const issues = outcome(bundle);
    assert.deepEqual(issues.map((i) => [i.severity, i.code, i.expression]), [['warning', 'not-supported', ['foo']], ['warning', 'not-supported', ['author.middle']]]);
    const outcomeEntry = bundle.entry.find((e) => e.search.mode === 'outcome')!;
    assert.equal(outcomeEntry.resource!.resourceType, 'OperationOutcome');
    const self = new URL(bundle.link.find((l) => l.relation === 'self')!.url);
    assert.equal(self.searchParams.has('foo'), false);
    assert.equal(self.searchParams.get('status'), 'current');
  });

  it('paging and format parameters are never unknown', async () => {
    const bundle = await runSearch(fx, 'DocumentReference', [...base(), ['_format', 'xml'], ['_pretty', 'true'], ['_count', '2'], ['_offset', '0']], { strict: true });
    assert.equal(bundle.total, 5);
    assert.equal(outcome(bundle).length, 0);
  });

  it('an unsupported modifier is refused even when lenient', async () => {
    for (const name of ['status:not', 'category:text', 'author.family:exact', 'patient:missing']) {
      await assert.rejects(runSearch(fx, 'DocumentReference', [...base(), [name, 'x']], { strict: false }), (err: unknown) => {
        assert.ok(err instanceof SearchParameterError);
        assert.equal(err.issues[0]!.code, 'not-supported');
        assert.equal(err.issues[0]!.expression, name);
        return true;
      });
    }
  });

  it('a parameter without a value is ignored; escaped commas stay part of a value', async () => {
    assert.deepEqual(matchNames(fx, await runSearch(fx, 'DocumentReference', [...base(), ['category', '']])), CURRENT);
    // "Svobodová\,Eva" is one family name (no author has it), not an OR of two.
    assert.deepEqual(matchNames(fx, await runSearch(fx, 'DocumentReference', [...base(), ['author.family', 'Svobodová\\,Eva']])), []);
    assert.deepEqual(matchNames(fx, await runSearch(fx, 'DocumentReference', [...base(), ['author.family', 'Svobodová,Eva']])), ['dB']);
  });
});
