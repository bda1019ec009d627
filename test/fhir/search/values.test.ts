import assert from 'node:assert/strict';
import { SEARCH_PARAMETERS, SearchParameterError } from '../../../src/fhir/mhd/search';
import { dateValueBounds, intersectBounds, nextDtm } from '../../../src/fhir/mhd/search/dates';
import { pageLinks, readPage } from '../../../src/fhir/mhd/search/paging';
import { parseToken, splitOr, unescapeValue } from '../../../src/fhir/mhd/search/values';

// The pure pieces: value syntax, date bounds, paging arithmetic, the parameter table.
describe('fhir/mhd/search values, dates and paging (no database)', () => {
  it('splits OR lists and tokens on unescaped separators only', () => {
    assert.deepEqual(splitOr('a,b\\,c,,d'), ['a', 'b\\,c', 'd']);
    assert.deepEqual(parseToken('http://loinc.org|11502-2'), { system: 'http://loinc.org', code: '11502-2' });
    assert.deepEqual(parseToken('|11502-2'), { system: '', code: '11502-2' });
    assert.deepEqual(parseToken('11502-2'), { code: '11502-2' });
    assert.deepEqual(parseToken('urn:oid:1.2|a\\|b'), { system: 'urn:oid:1.2', code: 'a|b' });
    assert.equal(unescapeValue('x\\,y\\$z\\\\'), 'x,y$z\\');
  });

  it('nextDtm steps one unit of the DTM precision, across month, year and leap-day ends', () => {
    assert.equal(nextDtm('2024'), '2025');
    assert.equal(nextDtm('202412'), '202501');
    assert.equal(nextDtm('20240228'), '20240229');
    assert.equal(nextDtm('20240229'), '20240301');
    assert.equal(nextDtm('2024123123'), '2025010100');
    assert.equal(nextDtm('202401312359'), '202402010000');
    assert.equal(nextDtm('20241231235959'), '20250101000000');
  });

  it('date values become From (inclusive) / To (exclusive) bounds per prefix', () => {
    assert.deepEqual(dateValueBounds('2024-01-10', 'creation'), { from: '20240110', to: '20240111' });
    assert.deepEqual(dateValueBounds('ge2024-01', 'creation'), { from: '202401' });
    assert.deepEqual(dateValueBounds('gt2024-01', 'creation'), { from: '202402' });
    assert.deepEqual(dateValueBounds('le2024', 'creation'), { to: '2025' });
    assert.deepEqual(dateValueBounds('lt2024-01-10T10:00:00Z', 'creation'), { to: '20240110100000' });
    // Converted to UTC; a time without zone is UTC; an unencoded + that became a space still reads.
    assert.deepEqual(dateValueBounds('eq2024-01-10T00:30:00+01:00', 'creation'), { from: '20240109233000', to: '20240109233001' });
    assert.deepEqual(dateValueBounds('eq2024-01-10T10:00:00', 'creation'), { from: '20240110100000', to: '20240110100001' });
    assert.deepEqual(dateValueBounds('ge2024-01-10T10:00:00 01:00', 'creation'), { from: '20240110090000' });
    assert.throws(() => dateValueBounds('sa2024', 'creation'), SearchParameterError);
    assert.throws(() => dateValueBounds('2024-02-30', 'creation'), SearchParameterError);
  });

  it('intersects bounds of different precision', () => {
    assert.deepEqual(intersectBounds({ from: '2024' }, { from: '20240301', to: '2025' }), { from: '20240301', to: '2025' });
    assert.deepEqual(intersectBounds({ to: '20240301' }, { to: '2024022812' }), { to: '2024022812' });
    assert.deepEqual(intersectBounds({}, {}), {});
  });

  it('_count defaults to 20 and is capped at the maximum; links carry _count and _offset', () => {
    assert.deepEqual(readPage(undefined, undefined, 1000), { count: 20, offset: 0 });
    assert.deepEqual(readPage('5000', '40', 1000), { count: 1000, offset: 40 });
    assert.throws(() => readPage('1e3', undefined, 1000), SearchParameterError);
    const links = pageLinks('https://h/fhir/List/_search?x=1', [['code', 'folder']], { offset: 10, count: 10 }, 25);
    assert.deepEqual(links, [
      { relation: 'self', url: 'https://h/fhir/List?code=folder&_count=10&_offset=10' },
      { relation: 'next', url: 'https://h/fhir/List?code=folder&_count=10&_offset=20' },
      { relation: 'previous', url: 'https://h/fhir/List?code=folder&_count=10' },
    ]);
  });

  it('the parameter table lists every parameter ITI-67 and ITI-66 name, with its type and definition', () => {
    const names = (resource: string) => SEARCH_PARAMETERS.filter((p) => p.resource === resource).map((p) => p.name).sort();
    assert.deepEqual(names('DocumentReference'), [
      '_id', 'author.family', 'author.given', 'category', 'creation', 'date', 'event', 'facility', 'format', 'hcid', 'identifier',
      'patient', 'patient.identifier', 'period', 'related', 'security-label', 'setting', 'status', 'type',
    ]);
    assert.deepEqual(names('List'), ['_id', 'code', 'date', 'designationType', 'identifier', 'patient', 'patient.identifier', 'source.family', 'source.given', 'sourceId', 'status']);
    for (const p of SEARCH_PARAMETERS) assert.match(p.definition, /^https?:\/\//, p.name);
    const type = (resource: string, name: string) => SEARCH_PARAMETERS.find((p) => p.resource === resource && p.name === name)!.type;
    assert.deepEqual([type('DocumentReference', 'creation'), type('DocumentReference', 'patient'), type('DocumentReference', 'author.family'), type('List', 'code')], ['date', 'reference', 'string', 'token']);
  });
});
