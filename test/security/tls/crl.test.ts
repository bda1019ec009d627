// CRL PEM helpers: splitting a bundle, and reading thisUpdate / nextUpdate.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { crlValidity, splitPemCrls } from '../../../src/security/tls/crl';
import { createPki, type Pki } from '../support/pki';

describe('CRL helpers', () => {
  let pki: Pki;

  before(async () => {
    pki = await createPki();
  });
  after(async () => {
    await pki?.cleanup();
  });

  it('splits a PEM bundle into its CRLs, ignoring anything else', async () => {
    const stranger = await readFile(pki.strangerCa.crlFile);
    const bundle = Buffer.concat([Buffer.from('# comment\n'), pki.crl, pki.ca, stranger]);
    assert.deepEqual(splitPemCrls(bundle), [pki.crl.toString().trim(), stranger.toString().trim()]);
    assert.deepEqual(splitPemCrls(pki.ca), []);
  });

  it('reads thisUpdate and nextUpdate as issued', async () => {
    const lastUpdate = new Date('2031-02-03T04:05:06Z');
    const nextUpdate = new Date('2051-07-08T09:10:11Z'); // after 2049: GeneralizedTime
    await pki.issueCrl({ lastUpdate, nextUpdate });
    assert.deepEqual(crlValidity(pki.crl), [{ thisUpdate: lastUpdate, nextUpdate }]);

    const before = Date.now();
    await pki.issueCrl();
    const [fresh] = crlValidity(pki.crl);
    assert.ok(Math.abs(fresh!.thisUpdate.getTime() - before) < 5000);
    assert.equal(fresh!.nextUpdate!.getTime() - fresh!.thisUpdate.getTime(), 24 * 3600_000);
  });

  it('fails on a CRL it cannot read', () => {
    assert.throws(() => crlValidity('-----BEGIN X509 CRL-----\nMAMCAQE=\n-----END X509 CRL-----'), /CRL:/);
  });
});
