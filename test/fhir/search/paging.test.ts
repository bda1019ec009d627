import assert from 'node:assert/strict';
import type { DocumentReference } from '../../../src/fhir/mhd/mapping';
import { SearchParameterError, type SearchsetBundle } from '../../../src/fhir/mhd/search';
import { describeEachStore } from '../../support/databases';
import { FHIR_BASE, RID_SYSTEM, depsFor, loadSearchFixture, matchNames, matches, newRegistry, resourceId, runSearch, type Params, type SearchFixture } from './fixture';

const ALL = ['dA', 'dB', 'dC', 'dD', 'dE', 'dF'];

function link(bundle: SearchsetBundle, relation: string): string | undefined {
  return bundle.link.find((l) => l.relation === relation)?.url;
}

/** A link's query as the pairs a route would pass on. */
function paramsOf(url: string): Params {
  return [...new URL(url).searchParams.entries()];
}

// Paging: _count, the _offset the links carry, totals, and links that work as the next request.
describeEachStore('fhir/mhd/search paging and links', (ctx) => {
  let fx: SearchFixture;
  before(async () => {
    fx = await loadSearchFixture(ctx.db);
  });

  const base = (): Params => [['patient.identifier', `${RID_SYSTEM}|${fx.patient.rid}`], ['status', 'current,superseded']];

  /** Follows next links from the first page until there is none; returns the pages. */
  const walk = async (first: Params, options: Parameters<typeof runSearch>[3] = {}) => {
    const pages = [await runSearch(fx, 'DocumentReference', first, options)];
    for (let next = link(pages[0]!, 'next'); next; next = link(pages[pages.length - 1]!, 'next')) {
      assert.ok(pages.length < 20, 'paging does not end');
      pages.push(await runSearch(fx, 'DocumentReference', paramsOf(next), { ...options, selfUrl: next }));
    }
    return pages;
  };

  it('defaults to 20 per page: everything on one page, no next link', async () => {
    const bundle = await runSearch(fx, 'DocumentReference', base());
    assert.equal(bundle.total, 6);
    assert.deepEqual(matchNames(fx, bundle), ALL);
    assert.equal(link(bundle, 'next'), undefined);
    assert.equal(link(bundle, 'previous'), undefined);
    assert.equal(link(bundle, 'self'), `${FHIR_BASE}/DocumentReference?${new URLSearchParams([...base(), ['_count', '20']])}`);
  });

  it('follows next links until exhausted; every page keeps the total; previous links go back', async () => {
    const pages = await walk([...base(), ['_count', '4']]);
    assert.deepEqual(pages.map((p) => matchNames(fx, p)), [ALL.slice(0, 4), ALL.slice(4)]);
    assert.deepEqual(pages.map((p) => p.total), [6, 6]);
    const small = await walk([...base(), ['_count', '2']]);
    assert.deepEqual(small.map((p) => matchNames(fx, p)), [['dA', 'dB'], ['dC', 'dD'], ['dE', 'dF']]);
    const previous = link(small[2]!, 'previous')!;
    assert.equal(new URL(previous).searchParams.get('_offset'), '2');
    assert.deepEqual(matchNames(fx, await runSearch(fx, 'DocumentReference', paramsOf(previous), { selfUrl: previous })), ['dC', 'dD']);
    assert.equal(new URL(link(small[1]!, 'self')!).searchParams.get('_offset'), '2');
  });

  it('relatesTo is right on every page, whichever page the related document is on', async () => {
    const pages = await walk([...base(), ['_count', '1']]);
    assert.equal(pages.length, 6);
    const dD = pages.flatMap(matches).find((r) => r.id === resourceId(fx, 'dD')) as DocumentReference;
    assert.deepEqual(dD.relatesTo, [{ code: 'replaces', target: { reference: `DocumentReference/${resourceId(fx, 'dC')}` } }]);
  });

  it('_count=0 returns only the total; a page past the end is empty with the total and a previous link', async () => {
    const count0 = await runSearch(fx, 'DocumentReference', [...base(), ['_count', '0']]);
    assert.equal(count0.total, 6);
    assert.deepEqual(count0.entry, []);
    assert.equal(link(count0, 'next'), undefined);
    const past = await runSearch(fx, 'DocumentReference', [...base(), ['_count', '5'], ['_offset', '10']]);
    assert.equal(past.total, 6);
    assert.deepEqual(matches(past), []);
    assert.equal(link(past, 'next'), undefined);
    assert.equal(new URL(link(past, 'previous')!).searchParams.get('_offset'), '5');
  });

  it('a POST _search pages by GET links on the type URL, carrying the search parameters', async () => {
    const selfUrl = `${FHIR_BASE}/DocumentReference/_search`;
    const pages = await walk([...base(), ['_count', '3'], ['_format', 'json']], { selfUrl });
    assert.deepEqual(pages.map((p) => matchNames(fx, p)), [ALL.slice(0, 3), ALL.slice(3)]);
    const next = link(pages[0]!, 'next')!;
    assert.ok(next.startsWith(`${FHIR_BASE}/DocumentReference?`), next);
    assert.equal(new URL(next).searchParams.get('_format'), 'json');
    assert.equal(new URL(next).searchParams.get('status'), 'current,superseded');
    assert.equal(pages[0]!.entry[0]!.fullUrl, `${FHIR_BASE}/DocumentReference/${resourceId(fx, 'dA')}`);
  });

  it('_count above queryMaxResults is capped; associations beyond it are still all read', async () => {
    // A registry answering at most 4 objects per query: a page of 4 documents has 7 associations.
    const small = newRegistry(ctx.db, () => '20240401000000', { QUERY_MAX_RESULTS: '4' });
    const deps = depsFor(small);
    const first = await runSearch(fx, 'DocumentReference', [...base(), ['_count', '100']], { deps });
    assert.equal(first.total, 6);
    assert.deepEqual(matchNames(fx, first), ALL.slice(0, 4));
    assert.equal(new URL(link(first, 'next')!).searchParams.get('_count'), '4');
    const dD = matches(first).find((r) => r.id === resourceId(fx, 'dD')) as DocumentReference;
    assert.deepEqual(dD.relatesTo, [{ code: 'replaces', target: { reference: `DocumentReference/${resourceId(fx, 'dC')}` } }]);
  });

  it('refuses a _count or _offset that is not a non-negative integer', async () => {
    for (const p of [['_count', '-1'], ['_count', 'ten'], ['_offset', '1.5']] as Params) {
      await assert.rejects(runSearch(fx, 'DocumentReference', [...base(), p]), (err: unknown) => {
        assert.ok(err instanceof SearchParameterError);
        assert.equal(err.issues[0]!.expression, p[0]);
        return true;
      });
    }
  });
});
