import assert from 'node:assert/strict';
import { verifyXuaAssertion, type XuaOptions } from '../../../src/security/saml';
import { parseXml } from '../../../src/soap/safe-xml';
import {
  ALGORITHM,
  DEFAULT_XUA_ATTRIBUTES,
  TEST_AUDIENCE,
  createSamlIdp,
  parseSecurityHeader,
  securityHeader,
  soapEnvelope,
  type SamlIdp,
  type SignOptions,
} from '../support/saml-idp';
import { assertRejected } from './expect';

describe('XUA assertion verification (ITI-40)', () => {
  let idp: SamlIdp;
  let stranger: SamlIdp;
  let ecIdp: SamlIdp;

  before(async () => {
    [idp, stranger, ecIdp] = await Promise.all([createSamlIdp(), createSamlIdp({ commonName: 'Stranger IdP' }), createSamlIdp({ keyType: 'ec' })]);
  });
  after(async () => {
    await Promise.all([idp, stranger, ecIdp].map((i) => i?.cleanup()));
  });

  /** Wraps the assertion(s) in a SOAP 1.2 envelope, parses it as the gateway would, and verifies. */
  function verify(assertionXml: string | string[], options: Partial<XuaOptions> = {}) {
    const header = parseSecurityHeader(soapEnvelope(securityHeader(assertionXml), { action: 'urn:ihe:iti:2007:RegistryStoredQuery' }));
    return verifyXuaAssertion(header, { trustedCertificates: [idp.certificatePem], audiences: [TEST_AUDIENCE], ...options });
  }

  describe('accepts', () => {
    it('a valid assertion, with every XUA attribute read', () => {
      const now = Date.now();
      const conditionsEnd = new Date(now + 600_000);
      const confirmationEnd = new Date(now + 300_000);
      const identity = verify(
        idp.signedAssertion({
          id: '_valid-1',
          subject: 'UID=kolar.jan',
          notOnOrAfter: conditionsEnd,
          confirmationNotOnOrAfter: confirmationEnd,
          attributes: {
            ...DEFAULT_XUA_ATTRIBUTES,
            purposeOfUse: [
              { code: 'TREATMENT', codeSystem: '2.16.840.1.113883.3.18.7.1', displayName: 'Treatment' },
              { code: 'ETREAT', codeSystem: '2.16.840.1.113883.5.8' },
            ],
            resourceId: '1234567890^^^&1.2.203.24341.1.1&ISO',
          },
        }),
      );
      assert.deepEqual(identity, {
        issuer: idp.issuer,
        assertionId: '_valid-1',
        subject: 'UID=kolar.jan',
        subjectName: 'MUDr. Jan Kolář',
        organization: 'Nemocnice Test',
        organizationId: 'urn:oid:1.2.203.999.1',
        role: { code: '158965000', codeSystem: '2.16.840.1.113883.6.96', displayName: 'Medical practitioner' },
        purposeOfUse: [
          { code: 'TREATMENT', codeSystem: '2.16.840.1.113883.3.18.7.1', displayName: 'Treatment' },
          { code: 'ETREAT', codeSystem: '2.16.840.1.113883.5.8' },
        ],
        resourceId: '1234567890^^^&1.2.203.24341.1.1&ISO',
        homeCommunityId: 'urn:oid:1.2.203.999.100',
        // The earliest end of validity: here the subject confirmation's.
        notOnOrAfter: new Date(confirmationEnd.toISOString()),
      });
    });

    it('an assertion without XUA attributes: only the fields that are there', () => {
      const end = new Date(Date.now() + 120_000);
      const identity = verify(idp.signedAssertion({ id: '_bare', attributes: {}, notOnOrAfter: end }));
      assert.deepEqual(identity, { issuer: idp.issuer, assertionId: '_bare', subject: 'UID=kolar.jan', notOnOrAfter: new Date(end.toISOString()) });
      assert.deepEqual(Object.keys(identity).sort(), ['assertionId', 'issuer', 'notOnOrAfter', 'subject']);
    });

    it('role and purpose of use written as hl7:CE elements', () => {
      const ce = (code: string) => `<saml2:AttributeValue><hl7:CE xmlns:hl7="urn:hl7-org:v3" xsi:type="hl7:CE" code="${code}" codeSystem="2.16.840.1.113883.5.8"/></saml2:AttributeValue>`;
      const identity = verify(
        idp.signedAssertion({
          attributes: {},
          extraAttributesXml:
            `<saml2:Attribute Name="urn:oasis:names:tc:xacml:2.0:subject:role">${ce('ROLE1')}</saml2:Attribute>` +
            `<saml2:Attribute Name="urn:oasis:names:tc:xspa:1.0:subject:purposeofuse">${ce('TREAT')}</saml2:Attribute>`,
        }),
      );
      assert.deepEqual(identity.role, { code: 'ROLE1', codeSystem: '2.16.840.1.113883.5.8' });
      assert.deepEqual(identity.purposeOfUse, [{ code: 'TREAT', codeSystem: '2.16.840.1.113883.5.8' }]);
    });

    it('a signature without KeyInfo, trying each trusted certificate in turn', () => {
      const identity = verify(idp.signedAssertion({ id: '_nokeyinfo', signing: { keyInfo: 'none' } }), {
        trustedCertificates: [stranger.certificatePem, idp.certificatePem],
      });
      assert.equal(identity.assertionId, '_nokeyinfo');
    });

    it('trusted certificates given as one PEM bundle', () => {
      const identity = verify(idp.signedAssertion(), { trustedCertificates: [`${stranger.certificatePem}\n${idp.certificatePem}`] });
      assert.equal(identity.issuer, idp.issuer);
    });

    const variants: [string, SignOptions][] = [
      ['RSA-SHA384 with SHA-384', { signatureAlgorithm: ALGORITHM.rsaSha384, digestAlgorithm: ALGORITHM.sha384 }],
      ['RSA-SHA512 with SHA-512', { signatureAlgorithm: ALGORITHM.rsaSha512, digestAlgorithm: ALGORITHM.sha512 }],
      ['exclusive C14N with comments', { transforms: [ALGORITHM.envelopedSignature, ALGORITHM.excC14nWithComments], canonicalizationAlgorithm: ALGORITHM.excC14nWithComments }],
      ['the two transforms in the other order', { transforms: [ALGORITHM.excC14n, ALGORITHM.envelopedSignature] }],
    ];
    for (const [name, signing] of variants) {
      it(`${name}`, () => {
        assert.equal(verify(idp.signedAssertion({ signing })).issuer, idp.issuer);
      });
    }

    it('ECDSA (P-256, ECDSA-SHA256) from an EC identity provider', () => {
      const identity = verify(ecIdp.signedAssertion({ id: '_ec' }), { trustedCertificates: [ecIdp.certificatePem] });
      assert.equal(identity.assertionId, '_ec');
      assert.equal(verify(ecIdp.signedAssertion({ signing: { signatureAlgorithm: ALGORITHM.ecdsaSha384, digestAlgorithm: ALGORITHM.sha384 } }), { trustedCertificates: [ecIdp.certificatePem] }).issuer, ecIdp.issuer);
    });

    it('a pretty-printed assertion (whitespace is signed content, and kept)', () => {
      const pretty = idp.assertion({ id: '_pretty' }).replace(/></g, '>\n  <');
      assert.equal(verify(idp.sign(pretty)).assertionId, '_pretty');
    });

    it('an assertion whose namespaces are declared on the envelope instead (exclusive C14N is context-free)', () => {
      const signed = idp.signedAssertion({ id: '_moved-ns' });
      const declarations = / xmlns:saml2="[^"]*" xmlns:xsi="[^"]*" xmlns:xs="[^"]*"/.exec(signed)![0];
      const envelope = soapEnvelope(securityHeader(signed.replace(declarations, ''))).replace('<env:Envelope ', `<env:Envelope${declarations} `);
      const identity = verifyXuaAssertion(parseSecurityHeader(envelope), { trustedCertificates: [idp.certificatePem], audiences: [TEST_AUDIENCE] });
      assert.equal(identity.assertionId, '_moved-ns');
    });

    it('a message parsed by the gateway\'s own safe XML parser, with CRLF line ends', () => {
      const envelope = soapEnvelope(securityHeader(idp.sign(idp.assertion({ id: '_crlf' }).replace(/></g, '>\r\n<'))));
      const doc = parseXml(Buffer.from(envelope.replace(/\r?\n/g, '\r\n')));
      const header = doc.getElementsByTagNameNS('http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd', 'Security').item(0)!;
      assert.equal(verifyXuaAssertion(header, { trustedCertificates: [idp.certificatePem], audiences: [TEST_AUDIENCE] }).assertionId, '_crlf');
    });

    it('any audience when none is configured', () => {
      assert.equal(verify(idp.signedAssertion({ audiences: ['urn:someone-else'] }), { audiences: [] }).issuer, idp.issuer);
      assert.equal(verify(idp.signedAssertion({ audiences: [] }), { audiences: [] }).issuer, idp.issuer);
    });

    it('an AudienceRestriction naming several audiences, one of them ours', () => {
      assert.equal(verify(idp.signedAssertion({ audiences: ['urn:other', TEST_AUDIENCE] })).issuer, idp.issuer);
    });

    it('an assertion that expired within the clock skew (default 60 s), and one not yet valid within it', () => {
      const now = new Date('2030-01-01T12:00:00Z');
      const base = { issueInstant: new Date('2030-01-01T11:50:00Z'), notBefore: new Date('2030-01-01T11:50:00Z') };
      const expired30s = idp.signedAssertion({ ...base, notOnOrAfter: new Date('2030-01-01T11:59:30Z') });
      assert.equal(verify(expired30s, { now: () => now }).issuer, idp.issuer);
      assertRejected(() => verify(expired30s, { now: () => now, clockSkewSeconds: 0 }), /expired/);
      const startsIn30s = idp.signedAssertion({ issueInstant: now, notBefore: new Date('2030-01-01T12:00:30Z'), notOnOrAfter: new Date('2030-01-01T12:05:00Z') });
      assert.equal(verify(startsIn30s, { now: () => now }).issuer, idp.issuer);
    });
  });

  describe('refuses on time and audience', () => {
    it('an expired assertion', () => {
      const past = Date.now() - 3_600_000;
      assertRejected(
        () => verify(idp.signedAssertion({ issueInstant: new Date(past), notBefore: new Date(past), notOnOrAfter: new Date(past + 300_000), confirmationNotOnOrAfter: null })),
        /^assertion expired/,
      );
    });

    it('an assertion not yet valid', () => {
      const future = Date.now() + 3_600_000;
      assertRejected(() => verify(idp.signedAssertion({ notBefore: new Date(future), notOnOrAfter: new Date(future + 300_000) })), /not valid before/);
    });

    it('an expired subject confirmation, even when the conditions are still valid', () => {
      assertRejected(() => verify(idp.signedAssertion({ confirmationNotOnOrAfter: new Date(Date.now() - 600_000) })), /subject confirmation expired/);
    });

    it('an assertion issued in the future', () => {
      assertRejected(() => verify(idp.signedAssertion({ issueInstant: new Date(Date.now() + 600_000) })), /issued in the future/);
    });

    it('an assertion for another audience', () => {
      assertRejected(() => verify(idp.signedAssertion({ audiences: ['urn:other-gateway'] })), /is for urn:other-gateway, not for this gateway/);
    });

    it('an assertion without AudienceRestriction when audiences are configured', () => {
      assertRejected(() => verify(idp.signedAssertion({ audiences: [] })), /no AudienceRestriction/);
    });
  });

  describe('refuses on signature and trust', () => {
    it('an unsigned assertion', () => {
      assertRejected(() => verify(idp.assertion()), /not signed/);
    });

    it('an assertion signed by an unknown key', () => {
      assertRejected(() => verify(stranger.signedAssertion({ signing: { keyInfo: 'none' } })), /does not verify with any trusted certificate/);
    });

    it('an assertion whose KeyInfo carries an untrusted certificate (the embedded certificate is not trusted for being there)', () => {
      assertRejected(() => verify(stranger.signedAssertion()), /KeyInfo is not one of the trusted/);
    });

    it('a KeyInfo naming a trusted certificate that did not make the signature', () => {
      const forged = stranger.signedAssertion({ signing: { keyInfo: { certificatePem: idp.certificatePem } } });
      assertRejected(() => verify(forged), /does not verify with any trusted certificate/);
    });

    it('an attribute changed after signing', () => {
      const signed = idp.signedAssertion();
      const tampered = signed.replace('code="158965000"', 'code="309343006"');
      assert.notEqual(tampered, signed);
      assertRejected(() => verify(tampered), /altered after signing/);
    });

    it('a subject changed after signing', () => {
      const tampered = idp.signedAssertion({ subject: 'UID=kolar.jan' }).replace('UID=kolar.jan', 'UID=admin');
      assertRejected(() => verify(tampered), /altered after signing/);
    });

    it('a SignatureValue that does not verify', () => {
      const signed = idp.signedAssertion();
      const tampered = signed.replace(/<ds:SignatureValue>(.)/, (_m, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`);
      assertRejected(() => verify(tampered), /does not verify with any trusted certificate/);
    });

    it('a SHA-1 digest', () => {
      assertRejected(() => verify(idp.signedAssertion({ signing: { digestAlgorithm: ALGORITHM.sha1 } })), /digest algorithm .*#sha1 is not allowed/);
    });

    it('an RSA-SHA1 signature', () => {
      assertRejected(() => verify(idp.signedAssertion({ signing: { signatureAlgorithm: ALGORITHM.rsaSha1 } })), /signature algorithm .*#rsa-sha1 is not allowed/);
    });

    it('an inclusive C14N transform or SignedInfo canonicalization', () => {
      assertRejected(() => verify(idp.signedAssertion({ signing: { transforms: [ALGORITHM.envelopedSignature, ALGORITHM.c14n] } })), /transform .*REC-xml-c14n-20010315 is not allowed/);
      assertRejected(() => verify(idp.signedAssertion({ signing: { canonicalizationAlgorithm: ALGORITHM.c14n } })), /SignedInfo canonicalization .* is not allowed/);
    });

    it('a Reference without exclusive C14N (inclusive C14N would take in the envelope\'s namespaces)', () => {
      assertRejected(
        () => verify(idp.signedAssertion({ signing: { transforms: [ALGORITHM.envelopedSignature] } })),
        /ds:Transforms must be enveloped-signature and exclusive C14N/,
      );
      assertRejected(() => verify(idp.signedAssertion({ signing: { transforms: [ALGORITHM.excC14n] } })), /ds:Transforms must be enveloped-signature and exclusive C14N/);
    });

    it('a signature whose algorithm does not match the key type (ECDSA bytes under the RSA-SHA256 name)', () => {
      // xml-crypto's own RSA-SHA256 signs with whatever key it is given; with an EC key, Node makes
      // an ECDSA signature that Node's RSA-SHA256 verifier would also accept.
      const mislabelled = ecIdp.signedAssertion({ signing: { signatureAlgorithm: ALGORITHM.rsaSha256 } });
      assert.match(mislabelled, /xmldsig-more#rsa-sha256/);
      assertRejected(() => verify(mislabelled, { trustedCertificates: [ecIdp.certificatePem] }), /needs an RSA key, not ec/);
    });
  });

  describe('refuses on structure', () => {
    it('two assertions in the header', () => {
      assertRejected(() => verify([idp.signedAssertion(), idp.signedAssertion()]), /carries 2 SAML 2.0 assertions/);
    });

    it('a header without assertion', () => {
      assertRejected(() => verify([]), /carries no SAML 2.0 assertion/);
    });

    it('an element other than wsse:Security', () => {
      const header = parseSecurityHeader(soapEnvelope(securityHeader(idp.signedAssertion())));
      const envHeader = header.parentNode as unknown as typeof header;
      assertRejected(() => verifyXuaAssertion(envHeader, { trustedCertificates: [idp.certificatePem], audiences: [] }), /not a wsse:Security element/);
    });

    it('an assertion without ID, or with an ID that is not an NCName', () => {
      assertRejected(() => verify(idp.assertion().replace(/ ID="[^"]*"/, '')), /has no ID/);
      assertRejected(() => verify(idp.signedAssertion({ id: "_a'b" })), /not an NCName/);
    });

    it('an assertion whose Version is not 2.0 (read from the signed content)', () => {
      assertRejected(() => verify(idp.signedAssertion({ version: '1.1' })), /Version "1.1" is not 2.0/);
    });

    it('a role value without a code', () => {
      const noCode = '<saml2:Attribute Name="urn:oasis:names:tc:xacml:2.0:subject:role"><saml2:AttributeValue><Role xmlns="urn:hl7-org:v3" xsi:type="CE" codeSystem="2.16.840.1.113883.6.96"/></saml2:AttributeValue></saml2:Attribute>';
      assertRejected(() => verify(idp.signedAssertion({ attributes: {}, extraAttributesXml: noCode })), /coded value without a code/);
    });

    it('a role value that is a plain string instead of an hl7 CE', () => {
      const plain = '<saml2:Attribute Name="urn:oasis:names:tc:xacml:2.0:subject:role"><saml2:AttributeValue>physician</saml2:AttributeValue></saml2:Attribute>';
      assertRejected(() => verify(idp.signedAssertion({ attributes: {}, extraAttributesXml: plain })), /must hold one hl7 Role\/CE element/);
    });

    it('an unknown condition (validity indeterminate)', () => {
      const signed = idp.sign(idp.assertion().replace('</saml2:Conditions>', '<saml2:Condition xsi:type="x:Custom" xmlns:x="urn:x"/></saml2:Conditions>'));
      assertRejected(() => verify(signed), /unsupported condition/);
    });
  });
});
