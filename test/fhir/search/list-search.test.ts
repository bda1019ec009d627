import assert from 'node:assert/strict';
import type { List } from '../../../src/fhir/mhd/mapping';
import { SearchParameterError } from '../../../src/fhir/mhd/search';
import { describeEachStore } from '../../support/databases';
import { FOLDER_SCHEME, RID_SYSTEM, SYSTEMS, loadSearchFixture, matchNames, matches, resourceId, runSearch, type Params, type SearchFixture } from './fixture';

// ITI-66: List searches for SubmissionSets and Folders, every parameter positive and negative.
describeEachStore('fhir/mhd/search ITI-66 List parameters', (ctx) => {
  let fx: SearchFixture;
  before(async () => {
    fx = await loadSearchFixture(ctx.db);
  });

  const patient = (): Params => [['patient.identifier', `${RID_SYSTEM}|${fx.patient.rid}`]];
  const lists = async (code: string, extra: Params, status = 'current') => matchNames(fx, await runSearch(fx, 'List', [...patient(), ['code', code], ['status', status], ...extra]));
  const SETS = ['ss1', 'ss2', 'ss3', 'ss4', 'ss5'];

  const rejects = async (params: Params, code: string, expression: string) => {
    await assert.rejects(runSearch(fx, 'List', params), (err: unknown) => {
      assert.ok(err instanceof SearchParameterError, String(err));
      assert.ok(err.issues.some((i) => i.code === code && i.expression === expression), JSON.stringify(err.issues));
      return true;
    });
  };

  it('code selects SubmissionSets, Folders, or both (SubmissionSets first)', async () => {
    assert.deepEqual(await lists('submissionset', []), SETS);
    assert.deepEqual(await lists('https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes|folder', []), ['f1']);
    assert.deepEqual(await lists('submissionset,folder', [], 'current,retired'), [...SETS, 'f1', 'f2']);
    assert.deepEqual(await lists('submissionset', [['code', 'folder']]), []);
  });

  it('status: current and retired (or superseded) for Folders; SubmissionSets are always current', async () => {
    assert.deepEqual(await lists('folder', [], 'retired'), ['f2']);
    assert.deepEqual(await lists('folder', [], 'superseded'), ['f2']);
    assert.deepEqual(await lists('folder', [], 'current,retired'), ['f1', 'f2']);
    assert.deepEqual(await lists('submissionset', [], 'retired'), []);
    assert.deepEqual(await lists('folder', [], 'entered-in-error'), []);
  });

  it('patient and patient.identifier select the patient', async () => {
    const other = await runSearch(fx, 'List', [['patient', `Patient/${fx.other.rid}`], ['code', 'submissionset,folder'], ['status', 'current']]);
    assert.deepEqual(matchNames(fx, other), ['ssX']);
    const nobody = await runSearch(fx, 'List', [['patient.identifier', `${RID_SYSTEM}|1000000001`], ['code', 'submissionset'], ['status', 'current']]);
    assert.deepEqual(matchNames(fx, nobody), []);
  });

  it('date is submissionTime for SubmissionSets and lastUpdateTime for Folders', async () => {
    assert.deepEqual(await lists('submissionset', [['date', 'ge2024-03-01']]), ['ss2', 'ss4', 'ss5']);
    assert.deepEqual(await lists('submissionset', [['date', 'lt2024-02-01']]), ['ss1']);
    assert.deepEqual(await lists('submissionset', [['date', '2024-02-01']]), ['ss3']);
    assert.deepEqual(await lists('submissionset', [['date', 'gt2024-03-20']]), []);
    assert.deepEqual(await lists('folder', [['date', 'lt2024-02-01']], 'current,retired'), ['f1']);
    assert.deepEqual(await lists('folder', [['date', 'ge2024-03-01']], 'current,retired'), ['f2']);
  });

  it('designationType is the contentTypeCode of SubmissionSets and the codeList of Folders', async () => {
    assert.deepEqual(await lists('submissionset', [['designationType', `${SYSTEMS.loinc}|11502-2`]]), ['ss2']);
    assert.deepEqual(await lists('submissionset', [['designationType', '18842-5']]), ['ss1', 'ss3', 'ss4', 'ss5']);
    assert.deepEqual(await lists('submissionset', [['designationType', `${SYSTEMS.snomed}|11502-2`]]), []);
    assert.deepEqual(await lists('folder', [['designationType', `urn:oid:${FOLDER_SCHEME}|CARDIO-FOLDER`]], 'current,retired'), ['f2']);
    assert.deepEqual(await lists('folder', [['designationType', `${SYSTEMS.loinc}|18842-5`]], 'current,retired'), ['f1']);
    assert.deepEqual(await lists('folder', [['designationType', `${SYSTEMS.loinc}|18842-5`], ['designationType', `urn:oid:${FOLDER_SCHEME}|CARDIO-FOLDER`]], 'current,retired'), []);
    await rejects([...patient(), ['code', 'submissionset'], ['status', 'current'], ['designationType', '18842-5'], ['designationType', '11502-2']], 'not-supported', 'designationType');
  });

  it('source.given / source.family search the SubmissionSet author; Folders ignore them', async () => {
    assert.deepEqual(await lists('submissionset', [['source.family', 'Svobodová']]), ['ss2']);
    assert.deepEqual(await lists('submissionset', [['source.given', 'Jan']]), ['ss1']);
    assert.deepEqual(await lists('submissionset', [['source.family', 'Dvořák'], ['source.given', 'Petr']]), ['ss4']);
    assert.deepEqual(await lists('submissionset', [['source.family', 'Zeman']]), []);
    assert.deepEqual(await lists('folder', [['source.family', 'Zeman']]), ['f1']);
    // $XDSSubmissionSetAuthorPerson is single-valued.
    await rejects([...patient(), ['code', 'submissionset'], ['status', 'current'], ['source.family', 'Novák,Svobodová']], 'not-supported', 'source.family');
  });

  it('sourceId in urn:oid:, URI-system and bare OID forms; Folders ignore it', async () => {
    assert.deepEqual(await lists('submissionset', [['sourceId', 'urn:oid:1.2.203.999.2']]), ['ss2']);
    assert.deepEqual(await lists('submissionset', [['sourceId', 'urn:ietf:rfc:3986|urn:oid:1.2.203.999.1']]), ['ss1', 'ss3']);
    assert.deepEqual(await lists('submissionset', [['sourceId', '1.2.203.999.1,1.2.203.999.2']]), ['ss1', 'ss2', 'ss3']);
    assert.deepEqual(await lists('submissionset', [['sourceId', 'urn:oid:1.2.203.999.9']]), []);
    assert.deepEqual(await lists('folder', [['sourceId', 'urn:oid:1.2.203.999.9']]), ['f1']);
    await rejects([...patient(), ['code', 'submissionset'], ['status', 'current'], ['sourceId', 'not-an-oid']], 'value', 'sourceId');
  });

  it('identifier and _id find SubmissionSets and Folders by entryUUID or uniqueId', async () => {
    const by = async (p: Params) => matchNames(fx, await runSearch(fx, 'List', p));
    assert.deepEqual(await by([['identifier', `urn:ietf:rfc:3986|${fx.ids.ss1}`]]), ['ss1']);
    assert.deepEqual(await by([['identifier', `urn:ietf:rfc:3986|urn:oid:${fx.uniqueIds.ss2}`]]), ['ss2']);
    assert.deepEqual(await by([['identifier', `urn:ietf:rfc:3986|urn:oid:${fx.uniqueIds.f1}`]]), ['f1']);
    assert.deepEqual(await by([['_id', resourceId(fx, 'f2')]]), ['f2']);
    assert.deepEqual(await by([['_id', `${resourceId(fx, 'ss1')},${resourceId(fx, 'f1')}`]]), ['ss1', 'f1']);
    assert.deepEqual(await by([['_id', `${resourceId(fx, 'ss1')},${resourceId(fx, 'f1')}`], ['code', 'folder']]), ['f1']);
    assert.deepEqual(await by([['_id', resourceId(fx, 'f2')], ['status', 'current']]), []);
    assert.deepEqual(await by([['_id', resourceId(fx, 'dA')]]), []);
    await rejects([['_id', resourceId(fx, 'ss1')], ['date', 'ge2024']], 'not-supported', 'date');
  });

  it('requires patient, code and status; refuses an unknown code', async () => {
    await assert.rejects(runSearch(fx, 'List', [['date', 'ge2024']]), (err: unknown) => {
      assert.ok(err instanceof SearchParameterError);
      assert.deepEqual(err.issues.map((i) => i.expression), ['patient', 'code', 'status']);
      return true;
    });
    await rejects([...patient(), ['code', 'manifest'], ['status', 'current']], 'value', 'code');
    await rejects([...patient(), ['code', 'http://loinc.org|folder'], ['status', 'current']], 'value', 'code');
  });

  it('SubmissionSet Lists list their documents and folders; Folder Lists their documents', async () => {
    const bundle = await runSearch(fx, 'List', [...patient(), ['code', 'submissionset,folder'], ['status', 'current,retired']]);
    const byName = new Map(matches(bundle).map((r) => [fx.names([r.id!])[0]!, r as List]));
    const entries = (name: string) => (byName.get(name)!.entry ?? []).map((e) => e.item!.reference);
    assert.deepEqual(entries('ss1'), [`DocumentReference/${resourceId(fx, 'dA')}`, `List/${resourceId(fx, 'f1')}`]);
    // ss2 also holds the f2 -> dB membership association, which a List cannot show.
    assert.deepEqual(entries('ss2'), [`DocumentReference/${resourceId(fx, 'dB')}`, `List/${resourceId(fx, 'f2')}`]);
    assert.deepEqual(entries('ss4'), ['dD', 'dE', 'dF'].map((d) => `DocumentReference/${resourceId(fx, d)}`));
    assert.deepEqual(entries('f1'), [`DocumentReference/${resourceId(fx, 'dA')}`]);
    assert.deepEqual(entries('f2'), [`DocumentReference/${resourceId(fx, 'dB')}`]);
    assert.equal(byName.get('f2')!.status, 'retired');
    assert.deepEqual(byName.get('ss1')!.code!.coding![0]!.code, 'submissionset');
    assert.equal(bundle.total, 7);
  });

  it('pages across SubmissionSets and Folders with one total', async () => {
    const params: Params = [...patient(), ['code', 'submissionset,folder'], ['status', 'current,retired'], ['_count', '3']];
    const seen: string[][] = [];
    let bundle = await runSearch(fx, 'List', params);
    for (;;) {
      assert.equal(bundle.total, 7);
      seen.push(matchNames(fx, bundle));
      const next = bundle.link.find((l) => l.relation === 'next')?.url;
      if (!next) break;
      bundle = await runSearch(fx, 'List', [...new URL(next).searchParams.entries()], { selfUrl: next });
    }
    assert.deepEqual(seen, [['ss1', 'ss2', 'ss3'], ['ss4', 'ss5', 'f1'], ['f2']]);
  });
});
