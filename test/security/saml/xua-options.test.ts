import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { XuaError, createXuaVerifier, verifyXuaAssertion } from '../../../src/security/saml';
import { TEST_AUDIENCE, createSamlIdp, insertSecurityHeader, parseSecurityHeader, securityHeader, soapEnvelope, type SamlIdp } from '../support/saml-idp';
import { assertRejected } from './expect';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'fixtures', 'soap');

describe('XUA verifier options and test IdP helpers', () => {
  let idp: SamlIdp;

  before(async () => {
    idp = await createSamlIdp();
  });
  after(async () => {
    await idp?.cleanup();
  });

  describe('options', () => {
    it('a verifier made once verifies many assertions', () => {
      const verify = createXuaVerifier({ trustedCertificates: [idp.certificatePem], audiences: [TEST_AUDIENCE] });
      for (const id of ['_one', '_two', '_three']) {
        assert.equal(verify(parseSecurityHeader(soapEnvelope(securityHeader(idp.signedAssertion({ id }))))).assertionId, id);
      }
    });

    it('misconfiguration is a TypeError at creation, not a refused assertion', () => {
      const ok = { trustedCertificates: [idp.certificatePem], audiences: [] };
      assert.throws(() => createXuaVerifier({ ...ok, trustedCertificates: [] }), TypeError);
      assert.throws(() => createXuaVerifier({ ...ok, trustedCertificates: ['not a certificate'] }), TypeError);
      assert.throws(() => createXuaVerifier({ ...ok, trustedCertificates: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'] }), TypeError);
      assert.throws(() => createXuaVerifier({ ...ok, clockSkewSeconds: -1 }), TypeError);
      assert.throws(() => createXuaVerifier({ ...ok, clockSkewSeconds: Number.NaN }), TypeError);
      assert.throws(() => createXuaVerifier({ ...ok, audiences: [''] }), TypeError);
    });

    it('an RSA identity-provider key under 2048 bits is refused as a trust anchor', async () => {
      const weak = await createSamlIdp({ rsaBits: 1024 });
      try {
        assert.throws(() => createXuaVerifier({ trustedCertificates: [weak.certificatePem], audiences: [] }), /at least 2048/);
      } finally {
        await weak.cleanup();
      }
    });

    it('refusals are XuaErrors carrying the reason (for logs and audit)', () => {
      const err = assertRejected(
        () => verifyXuaAssertion(parseSecurityHeader(soapEnvelope(securityHeader(idp.assertion()))), { trustedCertificates: [idp.certificatePem], audiences: [] }),
        /not signed/,
      );
      assert.ok(err instanceof XuaError);
      assert.equal(err.name, 'XuaError');
      assert.equal(err.message, 'the assertion is not signed');
    });
  });

  describe('saml-idp helpers', () => {
    it('insertSecurityHeader puts the header into an existing envelope (a fixture) that then verifies', () => {
      const fixture = fs.readFileSync(path.join(FIXTURES, 'iti18-request.xml'), 'utf8');
      const envelope = insertSecurityHeader(fixture, securityHeader(idp.signedAssertion({ id: '_fixture' })));
      const header = parseSecurityHeader(envelope);
      assert.equal(header.parentNode?.localName, 'Header');
      assert.equal(verifyXuaAssertion(header, { trustedCertificates: [idp.certificatePem], audiences: [TEST_AUDIENCE] }).assertionId, '_fixture');
    });

    it('insertSecurityHeader creates a Header when the envelope has none', () => {
      const bare = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><x xmlns="urn:x"/></s:Body></s:Envelope>';
      const header = parseSecurityHeader(insertSecurityHeader(bare, securityHeader(idp.signedAssertion())));
      assert.equal(header.parentNode?.nodeName, 's:Header');
    });

    it('securityHeader marks the header mustUnderstand unless told not to', () => {
      assert.match(securityHeader(idp.signedAssertion()), /env:mustUnderstand="true"/);
      assert.doesNotMatch(securityHeader(idp.signedAssertion(), { mustUnderstand: false }), /mustUnderstand/);
    });

    it('two IdPs never share an issuer or a certificate', async () => {
      const other = await createSamlIdp();
      try {
        assert.notEqual(other.issuer, idp.issuer);
        assert.notEqual(other.certificatePem, idp.certificatePem);
      } finally {
        await other.cleanup();
      }
    });
  });
});
