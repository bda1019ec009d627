// How the CÚER client reads a failed call (unit: the soap package's errors as it raises them).
// What matters: a Chyba is CÚER's answer, never-connected is "not done" (safe to repeat),
// connected-but-unanswered is "maybe done" for a write, and nothing of the soap/axios error,
// which carries the Basic header and the TLS key in its config, survives classification.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { classify, CuerCallFailed, CuerFault, CuerRejected, CuerUnavailable } from '../../src/bridges/erecept/cuer-client';

describe('eRecept: CÚER client failures', () => {
  it('a Chyba fault is CÚER\'s answer with its code; CUER_NEDOSTUPNE means not available', () => {
    const fault = (Kod: string) => ({ root: { Envelope: { Body: { Fault: { detail: { Chyba: { Kod, Popis: 'popis' } } } } } } });
    const f = classify(fault('CUER_NENALEZENO'));
    assert.ok(f instanceof CuerFault);
    assert.equal(f.kod, 'CUER_NENALEZENO');
    assert.ok(classify(fault('CUER_NEDOSTUPNE')) instanceof CuerUnavailable);
  });

  it('tells never-connected, unanswered, refused credentials and HTTP 503 apart', () => {
    assert.ok(classify({ code: 'ECONNREFUSED' }) instanceof CuerUnavailable);
    const unanswered = classify({ code: 'ECONNABORTED', message: 'timeout of 3000ms exceeded' });
    assert.ok(unanswered instanceof CuerUnavailable && unanswered.constructor !== CuerUnavailable, 'a distinct kind the write path turns into "outcome unknown"');
    assert.ok(classify({ response: { status: 401 } }) instanceof CuerRejected);
    assert.ok(classify({ response: { status: 503 } }) instanceof CuerUnavailable);
  });

  it('keeps nothing of an unrecognised soap/axios error: no Basic header, no key', () => {
    const secret = Buffer.from('lekar:tajne-heslo').toString('base64');
    const axiosLike = Object.assign(new Error('Request failed with status code 500'), {
      code: 'ERR_BAD_RESPONSE',
      response: { status: 500 },
      config: { headers: { Authorization: `Basic ${secret}` }, httpsAgent: { options: { key: '-----BEGIN PRIVATE KEY-----' } } },
    });
    const e = classify(axiosLike);
    assert.ok(e instanceof CuerCallFailed);
    const shown = inspect(e, { depth: 10 }) + JSON.stringify(e);
    assert.ok(!shown.includes(secret));
    assert.ok(!shown.includes('PRIVATE KEY'));
  });
});
