import assert from 'node:assert/strict';
import type { DocumentReference } from '../../../src/fhir/mhd/mapping';
import { SearchParameterError } from '../../../src/fhir/mhd/search';
import { describeEachStore } from '../../support/databases';
import { FHIR_BASE, REFERENCE_AUTHORITY, RID_SYSTEM, SYSTEMS, loadSearchFixture, matchNames, matches, outcome, resourceId, runSearch, type Params, type SearchFixture } from './fixture';

// ITI-67: every search parameter filters (positive and negative), in each token and date form.
describeEachStore('fhir/mhd/search ITI-67 DocumentReference parameters', (ctx) => {
  let fx: SearchFixture;
  before(async () => {
    fx = await loadSearchFixture(ctx.db);
  });

  const patient = (): Params => [['patient.identifier', `${RID_SYSTEM}|${fx.patient.rid}`]];
  /** Names found for the patient's current documents plus `extra`. */
  const find = async (extra: Params, status = 'current') => matchNames(fx, await runSearch(fx, 'DocumentReference', [...patient(), ['status', status], ...extra]));
  const CURRENT = ['dA', 'dB', 'dD', 'dE', 'dF'];

  const rejects = async (params: Params, code: string, expression?: string) => {
    await assert.rejects(runSearch(fx, 'DocumentReference', params), (err: unknown) => {
      assert.ok(err instanceof SearchParameterError, String(err));
      assert.ok(err.issues.some((i) => i.code === code && (expression === undefined || i.expression === expression)), JSON.stringify(err.issues));
      return true;
    });
  };

  describe('patient and status', () => {
    it('status current / superseded map to Approved / Deprecated; a comma ORs, a repetition ANDs', async () => {
      assert.deepEqual(await find([]), CURRENT);
      assert.deepEqual(await find([], 'superseded'), ['dC']);
      assert.deepEqual(await find([], 'current,superseded'), ['dA', 'dB', 'dC', 'dD', 'dE', 'dF']);
      assert.deepEqual(await find([['status', 'superseded']]), []);
      assert.deepEqual(await find([], '|current'), CURRENT);
      assert.deepEqual(await find([], 'http://hl7.org/fhir/document-reference-status|superseded'), ['dC']);
      assert.deepEqual(await find([], 'entered-in-error'), []);
    });

    it('refuses an unknown status code or system', async () => {
      await rejects([...patient(), ['status', 'approved']], 'value', 'status');
      await rejects([...patient(), ['status', 'http://example.org|current']], 'value', 'status');
    });

    it('patient.identifier names the patient by RID, by urn:oid: system, or by value in the domain authority', async () => {
      const by = async (p: Params) => matchNames(fx, await runSearch(fx, 'DocumentReference', [...p, ['status', 'current']]));
      assert.deepEqual(await by([['patient.identifier', `${RID_SYSTEM}|${fx.other.rid}`]]), ['dX']);
      assert.deepEqual(await by([['patient.identifier', `urn:oid:${fx.patient.cx.split('&')[1]}|${fx.patient.rid}`]]), CURRENT);
      assert.deepEqual(await by([['patient.identifier', fx.patient.rid]]), CURRENT);
      assert.deepEqual(await by([['patient.identifier', `${RID_SYSTEM}|1000000001`]]), []);
    });

    it('patient takes Patient/<id>, a full URL, a bare id, or :identifier', async () => {
      const by = async (p: Params) => matchNames(fx, await runSearch(fx, 'DocumentReference', [...p, ['status', 'current']]));
      assert.deepEqual(await by([['patient', `Patient/${fx.patient.rid}`]]), CURRENT);
      assert.deepEqual(await by([['patient', `${FHIR_BASE}/Patient/${fx.other.rid}`]]), ['dX']);
      assert.deepEqual(await by([['patient', fx.other.rid]]), ['dX']);
      assert.deepEqual(await by([['patient:identifier', `${RID_SYSTEM}|${fx.other.rid}`]]), ['dX']);
      // Both given: the same patient is fine, two different patients match nothing.
      assert.deepEqual(await by([['patient', `Patient/${fx.patient.rid}`], ['patient.identifier', `${RID_SYSTEM}|${fx.patient.rid}`]]), CURRENT);
      assert.deepEqual(await by([['patient', `Patient/${fx.patient.rid}`], ['patient.identifier', `${RID_SYSTEM}|${fx.other.rid}`]]), []);
    });

    it('refuses a patient OR list, an unknown identifier system and a malformed reference', async () => {
      await rejects([['patient', `${fx.patient.rid},${fx.other.rid}`], ['status', 'current']], 'not-supported', 'patient');
      await rejects([['patient.identifier', `https://example.org/mrn|${fx.patient.rid}`], ['status', 'current']], 'value', 'patient.identifier');
      await rejects([['patient', 'Practitioner/123'], ['status', 'current']], 'value', 'patient');
    });

    it('requires patient and status, naming each one missing', async () => {
      await assert.rejects(runSearch(fx, 'DocumentReference', [['category', '11502-2']]), (err: unknown) => {
        assert.ok(err instanceof SearchParameterError);
        assert.deepEqual(err.issues.map((i) => [i.code, i.expression]), [['required', 'patient'], ['required', 'status']]);
        return true;
      });
      await rejects(patient(), 'required', 'status');
    });
  });

  describe('coded parameters', () => {
    it('category (classCode) in the forms system|code, urn:oid:|code, |code and code', async () => {
      assert.deepEqual(await find([['category', `${SYSTEMS.loinc}|11502-2`]]), ['dB']);
      assert.deepEqual(await find([['category', 'urn:oid:2.16.840.1.113883.6.1|11502-2']]), ['dB']);
      assert.deepEqual(await find([['category', '|11502-2']]), ['dB']);
      assert.deepEqual(await find([['category', '11502-2']]), ['dB']);
      assert.deepEqual(await find([['category', `${SYSTEMS.loinc}|18842-5`]]), ['dA', 'dD', 'dE', 'dF']);
      assert.deepEqual(await find([['category', `${SYSTEMS.loinc}|18842-5,${SYSTEMS.loinc}|11502-2`]]), CURRENT);
      assert.deepEqual(await find([['category', `${SYSTEMS.loinc}|34133-9`]]), []);
      // The right code in the wrong system does not match.
      assert.deepEqual(await find([['category', `${SYSTEMS.snomed}|11502-2`]]), []);
    });

    it('a system without an OID matches nothing and says so in an OperationOutcome warning', async () => {
      const bundle = await runSearch(fx, 'DocumentReference', [...patient(), ['status', 'current'], ['category', 'http://example.org/classes|11502-2']]);
      assert.equal(bundle.total, 0);
      assert.deepEqual(matches(bundle), []);
      const issues = outcome(bundle);
      assert.equal(issues.length, 1);
      assert.equal(issues[0]!.severity, 'warning');
      assert.deepEqual(issues[0]!.expression, ['category']);
      // One value of an OR list without OID leaves the others searching.
      assert.deepEqual(await find([['category', `http://example.org/classes|x,${SYSTEMS.loinc}|11502-2`]]), ['dB']);
    });

    it('type, setting, facility and format', async () => {
      assert.deepEqual(await find([['type', `${SYSTEMS.loinc}|11502-2`]]), ['dB']);
      assert.deepEqual(await find([['type', `${SYSTEMS.loinc}|18842-5`]]), ['dA', 'dD', 'dE', 'dF']);
      assert.deepEqual(await find([['setting', `${SYSTEMS.snomed}|394609007`]]), ['dB']);
      assert.deepEqual(await find([['setting', `${SYSTEMS.snomed}|394802001`]]), ['dA', 'dD', 'dE', 'dF']);
      assert.deepEqual(await find([['facility', `${SYSTEMS.snomed}|35971002`]]), ['dB']);
      assert.deepEqual(await find([['facility', `${SYSTEMS.snomed}|99999999`]]), []);
      assert.deepEqual(await find([['format', `${SYSTEMS.format}|urn:ihe:pcc:xds-ms:2007`]]), ['dB']);
      assert.deepEqual(await find([['format', 'urn:ihe:iti:xds:2017:mimeTypeSufficient']]), ['dA', 'dD', 'dE', 'dF']);
      // Parameters AND together.
      assert.deepEqual(await find([['format', `${SYSTEMS.format}|urn:ihe:pcc:xds-ms:2007`], ['category', `${SYSTEMS.loinc}|18842-5`]]), []);
    });

    it('event and security-label: a comma ORs, a repeated parameter ANDs', async () => {
      assert.deepEqual(await find([['event', `${SYSTEMS.event}|CARDIO`]]), ['dA', 'dB']);
      assert.deepEqual(await find([['event', `${SYSTEMS.event}|ECG`]]), ['dB']);
      assert.deepEqual(await find([['event', `${SYSTEMS.event}|XRAY,${SYSTEMS.event}|ECG`]]), ['dB']);
      assert.deepEqual(await find([['event', `${SYSTEMS.event}|CARDIO`], ['event', 'ECG']]), ['dB']);
      assert.deepEqual(await find([['event', `${SYSTEMS.event}|XRAY`]]), []);
      assert.deepEqual(await find([['security-label', `${SYSTEMS.confidentiality}|R`]]), ['dB', 'dE']);
      assert.deepEqual(await find([['security-label', `${SYSTEMS.confidentiality}|R`], ['security-label', `${SYSTEMS.confidentiality}|N`]]), ['dB']);
      assert.deepEqual(await find([['security-label', `${SYSTEMS.confidentiality}|V`]]), []);
    });

    it('refuses repeating a parameter whose XDS form has no AND, and system| without code', async () => {
      await rejects([...patient(), ['status', 'current'], ['category', '11502-2'], ['category', '18842-5']], 'not-supported', 'category');
      await rejects([...patient(), ['status', 'current'], ['type', `${SYSTEMS.loinc}|`]], 'not-supported', 'type');
    });
  });

  describe('dates', () => {
    it('creation: eq (default), ge, gt, le, lt at the precision given', async () => {
      assert.deepEqual(await find([['creation', '2024-01-10']]), ['dA']);
      assert.deepEqual(await find([['creation', 'eq2024-03']]), ['dB', 'dD', 'dE']);
      assert.deepEqual(await find([['creation', 'ge2024-03-01']]), ['dB', 'dD', 'dE']);
      // gt a day: after the whole day, so dB (that morning) is out.
      assert.deepEqual(await find([['creation', 'gt2024-03-01']]), ['dD', 'dE']);
      assert.deepEqual(await find([['creation', 'lt2024-03-01']]), ['dA']);
      assert.deepEqual(await find([['creation', 'le2024-03-01']]), ['dA', 'dB']);
      assert.deepEqual(await find([['creation', 'gt2024']]), []);
      // The on-demand dF has no creationTime, so any creation criterion leaves it out.
      assert.deepEqual(await find([['creation', 'ge2000']]), ['dA', 'dB', 'dD', 'dE']);
    });

    it('creation: times with zones are compared in UTC; repeated values AND into a range', async () => {
      assert.deepEqual(await find([['creation', '2024-03-01T10:15:00Z']]), ['dB']);
      assert.deepEqual(await find([['creation', 'eq2024-03-01T11:15:00+01:00']]), ['dB']);
      assert.deepEqual(await find([['creation', 'eq2024-03-01T10:15:01Z']]), []);
      assert.deepEqual(await find([['creation', 'ge2024-03-01T10:15:00Z'], ['creation', 'lt2024-03-16']]), ['dB', 'dD']);
      assert.deepEqual(await find([['creation', 'ge2024-01-01'], ['creation', 'lt2024-01-01']]), []);
    });

    it('date is aligned with creation (MHD ITI-67 Note 5) and ANDs with it', async () => {
      assert.deepEqual(await find([['date', '2024-01-10']]), ['dA']);
      assert.deepEqual(await find([['date', 'ge2024-03-01'], ['creation', 'lt2024-03-15']]), ['dB']);
    });

    it('period: the time of service overlaps the range searched', async () => {
      // dA served 2024-01-05 08:00 .. 2024-01-09 10:00, dB 2024-02-20 .. 2024-02-25; the others have no service times.
      assert.deepEqual(await find([['period', 'ge2024-02-01']]), ['dB']);
      assert.deepEqual(await find([['period', 'le2024-01-31']]), ['dA']);
      assert.deepEqual(await find([['period', '2024-01-07']]), ['dA']);
      assert.deepEqual(await find([['period', '2024-02-10']]), []);
      assert.deepEqual(await find([['period', 'ge2024-01-09'], ['period', 'le2024-02-20']]), ['dA', 'dB']);
      assert.deepEqual(await find([['period', 'gt2024-02-25']]), []);
    });

    it('refuses unsupported prefixes, OR lists of dates and malformed dates', async () => {
      await rejects([...patient(), ['status', 'current'], ['creation', 'ne2024-01-10']], 'not-supported', 'creation');
      await rejects([...patient(), ['status', 'current'], ['creation', 'ap2024-01-10']], 'not-supported', 'creation');
      await rejects([...patient(), ['status', 'current'], ['creation', '2024-01-10,2024-03-01']], 'not-supported', 'creation');
      await rejects([...patient(), ['status', 'current'], ['period', '2024-13-01']], 'value', 'period');
      await rejects([...patient(), ['status', 'current'], ['creation', 'yesterday']], 'value', 'creation');
    });
  });

  describe('authors', () => {
    it('author.family and author.given match the start of the XCN name components', async () => {
      assert.deepEqual(await find([['author.family', 'Svobodová']]), ['dB']);
      assert.deepEqual(await find([['author.family', 'Novák']]), ['dA', 'dF']);
      assert.deepEqual(await find([['author.family', 'Nováková']]), ['dF']);
      assert.deepEqual(await find([['author.family', 'Dvořák']]), ['dD']);
      assert.deepEqual(await find([['author.given', 'Eva']]), ['dB']);
      assert.deepEqual(await find([['author.given', 'Karel']]), ['dE']);
      assert.deepEqual(await find([['author.family', 'Zeman']]), []);
    });

    it('given and family together name one author; comma lists OR', async () => {
      assert.deepEqual(await find([['author.family', 'Dvořák'], ['author.given', 'Petr']]), ['dD']);
      assert.deepEqual(await find([['author.family', 'Novák'], ['author.given', 'Eva']]), []);
      assert.deepEqual(await find([['author.family', 'Svobodová,Horák']]), ['dB', 'dE']);
      await rejects([...patient(), ['status', 'current'], ['author.family', 'Novák'], ['author.family', 'Svobodová']], 'not-supported', 'author.family');
    });
  });

  describe('related (referenceIdList) and identifier', () => {
    it('related finds documents by a referenceIdList identifier, whatever its CXi type', async () => {
      assert.deepEqual(await find([['related', `urn:oid:${REFERENCE_AUTHORITY}|ORD-1`]]), ['dA']);
      assert.deepEqual(await find([['related:identifier', `urn:oid:${REFERENCE_AUTHORITY}|ACC-9`]]), ['dB']);
      assert.deepEqual(await find([['related', `urn:oid:${REFERENCE_AUTHORITY}|ORD-1,urn:oid:${REFERENCE_AUTHORITY}|ACC-9`]]), ['dA', 'dB']);
      assert.deepEqual(await find([['related', `urn:oid:${REFERENCE_AUTHORITY}|ORD-1`], ['related', `urn:oid:${REFERENCE_AUTHORITY}|ACC-9`]]), []);
      assert.deepEqual(await find([['related', `urn:oid:${REFERENCE_AUTHORITY}|ORD-2`]]), []);
      assert.deepEqual(await find([['related', `urn:oid:1.2.203.999.77|ORD-1`]]), []);
    });

    it('identifier by entryUUID or by uniqueId; _id by resource id', async () => {
      const by = async (p: Params) => matchNames(fx, await runSearch(fx, 'DocumentReference', p));
      assert.deepEqual(await by([['identifier', `urn:ietf:rfc:3986|${fx.ids.dA}`]]), ['dA']);
      assert.deepEqual(await by([['identifier', fx.ids.dA!]]), ['dA']);
      assert.deepEqual(await by([['identifier', `urn:ietf:rfc:3986|urn:oid:${fx.uniqueIds.dB}`]]), ['dB']);
      assert.deepEqual(await by([['identifier', fx.uniqueIds.dB!]]), ['dB']);
      // A uniqueId with an extension: urn:oid:<root>|<extension>, as the mapping writes masterIdentifier.
      const [root, extension] = fx.uniqueIds.dE!.split('^');
      assert.deepEqual(await by([['identifier', `urn:oid:${root}|${extension}`]]), ['dE']);
      assert.deepEqual(await by([['_id', resourceId(fx, 'dA')]]), ['dA']);
      assert.deepEqual(await by([['_id', `${resourceId(fx, 'dA')},${resourceId(fx, 'dX')}`]]), ['dA', 'dX']);
      assert.deepEqual(await by([['_id', 'not-a-uuid']]), []);
      assert.deepEqual(await by([['identifier', 'urn:ietf:rfc:3986|urn:uuid:00000000-0000-4000-8000-000000000000']]), []);
      // Two identifiers AND: the entryUUID and the uniqueId of the same document.
      assert.deepEqual(await by([['_id', resourceId(fx, 'dB')], ['identifier', fx.uniqueIds.dB!]]), ['dB']);
      assert.deepEqual(await by([['_id', resourceId(fx, 'dA')], ['identifier', fx.uniqueIds.dB!]]), []);
    });

    it('identifier combines with patient and status, which filter what it names', async () => {
      const by = async (p: Params) => matchNames(fx, await runSearch(fx, 'DocumentReference', p));
      const ids: Params = [['_id', `${resourceId(fx, 'dA')},${resourceId(fx, 'dC')},${resourceId(fx, 'dX')}`]];
      assert.deepEqual(await by(ids), ['dA', 'dC', 'dX']);
      assert.deepEqual(await by([...ids, ['status', 'current']]), ['dA', 'dX']);
      assert.deepEqual(await by([...ids, ['status', 'superseded']]), ['dC']);
      assert.deepEqual(await by([...ids, ...patient()]), ['dA', 'dC']);
      assert.deepEqual(await by([...ids, ['patient', fx.other.rid], ['status', 'current']]), ['dX']);
      await rejects([...ids, ['category', '11502-2']], 'not-supported', 'category');
    });
  });

  describe('hcid (Czech routing parameter)', () => {
    it('this community is searched locally, in any spelling', async () => {
      assert.deepEqual(await find([['hcid', fx.homeCommunityId]]), CURRENT);
      assert.deepEqual(await find([['hcid', `urn:ietf:rfc:3986|${fx.homeCommunityId}`]]), CURRENT);
      assert.deepEqual(await find([['hcid', fx.homeCommunityId.slice('urn:oid:'.length)]]), CURRENT);
    });

    it('only another community is refused (not-supported); with this one, the others are named in a warning', async () => {
      await rejects([...patient(), ['status', 'current'], ['hcid', 'urn:oid:1.2.203.999.999']], 'not-supported', 'hcid');
      await rejects([...patient(), ['status', 'current'], ['hcid', 'not an oid']], 'value', 'hcid');
      const bundle = await runSearch(fx, 'DocumentReference', [...patient(), ['status', 'current'], ['hcid', `urn:oid:1.2.203.999.999,${fx.homeCommunityId}`]]);
      assert.deepEqual(matchNames(fx, bundle), CURRENT);
      const issues = outcome(bundle);
      assert.equal(issues.length, 1);
      assert.equal(issues[0]!.code, 'incomplete');
      assert.match(issues[0]!.diagnostics, /1\.2\.203\.999\.999/);
    });
  });

  describe('results', () => {
    it('carry relatesTo for replacements and addenda, and on-demand entries without hash and size', async () => {
      const bundle = await runSearch(fx, 'DocumentReference', [...patient(), ['status', 'current,superseded']]);
      const byName = new Map(matches(bundle).map((r) => [fx.names([r.id!])[0]!, r as DocumentReference]));
      assert.deepEqual(byName.get('dD')!.relatesTo, [{ code: 'replaces', target: { reference: `DocumentReference/${resourceId(fx, 'dC')}` } }]);
      assert.deepEqual(byName.get('dE')!.relatesTo, [{ code: 'appends', target: { reference: `DocumentReference/${resourceId(fx, 'dA')}` } }]);
      assert.equal(byName.get('dA')!.relatesTo, undefined);
      assert.equal(byName.get('dC')!.status, 'superseded');
      const onDemand = byName.get('dF')!.content![0]!.attachment!;
      assert.equal(onDemand.hash, undefined);
      assert.equal(onDemand.size, undefined);
      assert.equal(byName.get('dA')!.content![0]!.attachment!.size !== undefined, true);
    });

    it('entries are full URLs on the FHIR base, search mode match, resource ids the entryUUIDs', async () => {
      const bundle = await runSearch(fx, 'DocumentReference', [...patient(), ['status', 'superseded']]);
      assert.equal(bundle.resourceType, 'Bundle');
      assert.equal(bundle.type, 'searchset');
      assert.equal(bundle.total, 1);
      assert.deepEqual(bundle.entry, [
        { fullUrl: `${FHIR_BASE}/DocumentReference/${resourceId(fx, 'dC')}`, resource: bundle.entry[0]!.resource, search: { mode: 'match' } },
      ]);
      const dr = bundle.entry[0]!.resource as DocumentReference;
      assert.equal(dr.id, resourceId(fx, 'dC'));
      assert.deepEqual(dr.subject, { type: 'Patient', identifier: { system: RID_SYSTEM, value: fx.patient.rid } });
    });

    it('a patient-context principal sees only its own patient', async () => {
      const own = { subject: 'patient-app', patientId: fx.patient.cx };
      const other = { subject: 'other-app', patientId: fx.other.cx };
      const params: Params = [...patient(), ['status', 'current']];
      assert.deepEqual(matchNames(fx, await runSearch(fx, 'DocumentReference', params, { principal: own })), CURRENT);
      assert.deepEqual(matchNames(fx, await runSearch(fx, 'DocumentReference', params, { principal: other })), []);
      assert.deepEqual(matchNames(fx, await runSearch(fx, 'DocumentReference', [['_id', resourceId(fx, 'dA')]], { principal: other })), []);
    });
  });
});
