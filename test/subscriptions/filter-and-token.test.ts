// Without a database: DSUBm filter criteria -> the subscription's filter in registry terms,
// the registry change a document becomes, and websocket binding tokens.
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { documentChange } from '../../src/domain/registry-changes';
import { topicByUrl } from '../../src/domain/subscription';
import { createMhdMapping } from '../../src/fhir/mhd/mapping';
import type { SearchContext } from '../../src/fhir/mhd/search/context';
import { SearchParameterError } from '../../src/fhir/mhd/search';
import { parseFilterCriteria } from '../../src/fhir/subscriptions/filter-criteria';
import { checkWsToken, issueWsToken } from '../../src/subscriptions/ws-token';
import { documentEntry } from '../support/metadata-builders';
import { TOPIC } from './support';

const config = loadConfig({ AUTH: 'off' });
const ctx: SearchContext = {
  terminology: createMhdMapping({ patientIdSystems: config.profile.patientIdSystems, fhirBase: 'http://gw/fhir' }).terminology,
  patientAuthority: config.acceptedPatientAuthorities[0] ?? config.profile.patientIdAuthority,
  homeCommunityId: config.homeCommunityId,
};
const LOINC_OID = '2.16.840.1.113883.6.1';

describe('subscriptions: filter criteria', () => {
  const patientTopic = topicByUrl(TOPIC.documentOfPatient)!;
  const anyPatient = topicByUrl(TOPIC.documentAnyPatient)!;

  it('reads patient, codes (with and without system), authors and status as the ITI-67 search does', () => {
    const f = parseFilterCriteria(`DocumentReference?patient.identifier=https://ncez.mzcr.cz/fhir/sid/rid|7608139877&type=http://loinc.org|18842-5,urn:oid:${LOINC_OID}|11488-4&category=|REPORTS&author.family=Novák&status=current`, patientTopic, ctx);
    assert.equal(f.patientId, `7608139877^^^&${ctx.patientAuthority}&ISO`);
    assert.deepEqual(f.typeCodes, [`${LOINC_OID}|18842-5`, `${LOINC_OID}|11488-4`]);
    assert.deepEqual(f.classCodes, ['|REPORTS']);
    assert.deepEqual(f.authors, ['novák']);
    assert.deepEqual(f.statuses, ['Approved']);
  });

  it('refuses parameters DSUBm does not filter by, another resource type, and codes of a system with no OID', () => {
    assert.throws(() => parseFilterCriteria('DocumentReference?creation=ge2020-01-01', anyPatient, ctx), SearchParameterError);
    assert.throws(() => parseFilterCriteria('List?status=current', anyPatient, ctx), SearchParameterError);
    assert.throws(() => parseFilterCriteria('type=http://example.org/no-oid|x', anyPatient, ctx), SearchParameterError);
  });

  it('a document matches a filter through the tokens its change carries', () => {
    const doc = documentEntry(`7608139877^^^&${ctx.patientAuthority}&ISO`, { typeCode: { code: '18842-5', scheme: LOINC_OID } });
    const change = documentChange(doc, 'create');
    const filter = parseFilterCriteria(`type=http://loinc.org|18842-5`, anyPatient, ctx);
    assert.ok(filter.typeCodes!.some((t) => change.codes.type.includes(t)));
    const anyScheme = parseFilterCriteria(`type=18842-5`, anyPatient, ctx);
    assert.ok(anyScheme.typeCodes!.some((t) => change.codes.type.includes(t)));
  });
});

describe('subscriptions: websocket binding tokens', () => {
  const key = Buffer.from('a key for tests only, 32 bytes..');
  it('binds its subscription until it expires', () => {
    const token = issueWsToken(key, 'sub-1', new Date(Date.now() + 60_000));
    assert.equal(checkWsToken(key, token), 'sub-1');
    assert.equal(checkWsToken(key, token, Date.now() + 120_000), undefined);
  });
  it('a changed subscription id, signature or key binds nothing', () => {
    const token = issueWsToken(key, 'sub-1', new Date(Date.now() + 60_000));
    assert.equal(checkWsToken(key, token.replace('sub-1', 'sub-2')), undefined);
    assert.equal(checkWsToken(key, `${token.slice(0, -2)}xx`), undefined);
    assert.equal(checkWsToken(Buffer.from('another key'), token), undefined);
    assert.equal(checkWsToken(key, 'garbage'), undefined);
  });
});
