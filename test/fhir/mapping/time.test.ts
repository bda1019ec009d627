import assert from 'node:assert/strict';
import { dtmToFhir, fhirToDtm } from '../../../src/fhir/mhd/mapping';

const ok = (r: { ok: boolean; value?: string }) => {
  assert.ok(r.ok, JSON.stringify(r));
  return r.value;
};

describe('mhd/mapping time: XDS DTM <-> FHIR dateTime', () => {
  it('converts FHIR times with a zone to UTC, crossing day, month and year boundaries', () => {
    const cases: Array<[string, string]> = [
      ['2026-03-14T10:15:30+01:00', '20260314091530'], // CET
      ['2026-07-02T14:05:00+02:00', '20260702120500'], // CEST
      ['2026-03-14T10:15:30Z', '20260314101530'],
      ['2026-01-01T00:30:00+01:00', '20251231233000'], // into the previous year
      ['2026-02-28T23:30:00-05:00', '20260301043000'], // into the next month (not a leap year)
      ['2024-02-28T23:30:00-05:00', '20240229043000'], // leap year
      ['2026-03-14T10:15:30.987+01:00', '20260314091530'], // fraction truncated, not rounded
      ['2026-06-01T05:00:00+05:45', '20260531231500'], // quarter-hour zone
    ];
    for (const [fhir, dtm] of cases) assert.equal(ok(fhirToDtm(fhir)), dtm, fhir);
  });

  it('keeps date precision as it is, with no zone to apply', () => {
    assert.equal(ok(fhirToDtm('2026')), '2026');
    assert.equal(ok(fhirToDtm('2026-03')), '202603');
    assert.equal(ok(fhirToDtm('2026-03-14')), '20260314');
    assert.equal(ok(dtmToFhir('2026')), '2026');
    assert.equal(ok(dtmToFhir('202603')), '2026-03');
    assert.equal(ok(dtmToFhir('20260314')), '2026-03-14');
  });

  it('writes DTM times in UTC with seconds; hour and minute precision are padded (FHIR has no such precision)', () => {
    assert.equal(ok(dtmToFhir('20260314091530')), '2026-03-14T09:15:30Z');
    assert.equal(ok(dtmToFhir('202603140915')), '2026-03-14T09:15:00Z');
    assert.equal(ok(dtmToFhir('2026031409')), '2026-03-14T09:00:00Z');
  });

  it('round-trips every second-precision DTM unchanged', () => {
    for (const dtm of ['20260314091530', '19991231235959', '20000229000000']) assert.equal(ok(fhirToDtm(ok(dtmToFhir(dtm))!)), dtm);
  });

  it('refuses a time without zone, impossible dates and malformed values', () => {
    for (const bad of ['2026-03-14T10:15:30', '2026-02-30', '2026-13-01', '2026-03-14T24:00:00Z', '2026-03-14T10:15:60Z', '14.3.2026', '']) {
      assert.equal(fhirToDtm(bad).ok, false, bad);
    }
    for (const bad of ['2026031', '20260230', '20261301', '2026031425', 'abcd']) assert.equal(dtmToFhir(bad).ok, false, bad);
  });

  it('knows the length of every month, leap years by the Gregorian rules', () => {
    for (const good of ['20240229', '20000229', '20260131', '20260430', '20261231']) assert.equal(dtmToFhir(good).ok, true, good);
    for (const bad of ['20250229', '19000229', '21000229', '20260431', '20260631', '20260931', '20261131']) assert.equal(dtmToFhir(bad).ok, false, bad);
  });
});
