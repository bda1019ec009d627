// Signature wrapping and related attacks: a valid IdP signature somewhere in the message, and an
// assertion the attacker wrote where the application reads from. Each test states what it plants
// and checks that the refusal comes from the defence aimed at it.
import assert from 'node:assert/strict';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { verifyXuaAssertion, type XuaOptions } from '../../../src/security/saml';
import { parseSignedXml } from '../../../src/security/saml/dom';
import { TEST_AUDIENCE, createSamlIdp, parseSecurityHeader, securityHeader, soapEnvelope, type EnvelopeOptions, type SamlIdp } from '../support/saml-idp';
import { assertRejected } from './expect';

const SIGNATURE = /<ds:Signature [\s\S]*<\/ds:Signature>/;

/** The ds:Signature element text of a signed assertion, and the assertion without it. */
function splitSignature(signedAssertion: string): { signature: string; rest: string } {
  const signature = SIGNATURE.exec(signedAssertion)?.[0];
  assert.ok(signature, 'no ds:Signature in the signed assertion');
  return { signature, rest: signedAssertion.replace(signature, '') };
}

/** Puts `signature` where SAML expects it: right after the Issuer of `assertion`. */
function withSignature(assertion: string, signature: string): string {
  return assertion.replace('</saml2:Issuer>', `</saml2:Issuer>${signature}`);
}

const ADMIN = { subjectName: 'Mallory', role: { code: 'ADMIN', codeSystem: '1.2.3' } };

describe('XUA assertion verification: signature wrapping', () => {
  let idp: SamlIdp;

  before(async () => {
    idp = await createSamlIdp();
  });
  after(async () => {
    await idp?.cleanup();
  });

  const options = (): XuaOptions => ({ trustedCertificates: [idp.certificatePem], audiences: [TEST_AUDIENCE] });

  function verifyEnvelope(envelope: string) {
    return verifyXuaAssertion(parseSecurityHeader(envelope), options());
  }

  function verify(headerContent: string | string[], envelope: EnvelopeOptions = {}) {
    return verifyEnvelope(soapEnvelope(securityHeader(headerContent), envelope));
  }

  it('the untouched signed assertion verifies (baseline for the variants below)', () => {
    assert.equal(verify(idp.signedAssertion({ id: '_orig' })).assertionId, '_orig');
  });

  describe('variant 1: the attacker\'s assertion in the header, the signed one moved elsewhere with the same ID', () => {
    it('moved into an Extensions element of the Body, attacker assertion unsigned', () => {
      const signed = idp.signedAssertion({ id: '_orig', subject: 'UID=nurse' });
      const evil = idp.assertion({ id: '_orig', subject: 'UID=admin', attributes: ADMIN });
      assertRejected(() => verify(evil, { body: `<Extensions xmlns="urn:x">${signed}</Extensions>` }), /ID is used 2 times/);
    });

    it('moved into an Extensions element inside wsse:Security, attacker assertion carrying a copy of the signature', () => {
      const signed = idp.signedAssertion({ id: '_orig', subject: 'UID=nurse' });
      const { signature } = splitSignature(signed);
      const evil = withSignature(idp.assertion({ id: '_orig', subject: 'UID=admin', attributes: ADMIN }), signature);
      assertRejected(() => verify([evil, `<wsse:Extensions>${signed}</wsse:Extensions>`]), /ID is used 2 times/);
    });

    it('moved into the Advice of the attacker\'s assertion (a different ID), signature moved along to the outside', () => {
      const { signature, rest } = splitSignature(idp.signedAssertion({ id: '_orig', subject: 'UID=nurse' }));
      const evil = withSignature(idp.assertion({ id: '_evil', subject: 'UID=admin', attributes: ADMIN }), signature).replace(
        '<saml2:AuthnStatement',
        `<saml2:Advice>${rest}</saml2:Advice><saml2:AuthnStatement`,
      );
      assertRejected(() => verify(evil), /Reference URI "#_orig" does not point to the assertion/);
    });
  });

  describe('variant 2: the signed assertion kept, a second element with the same ID added', () => {
    const cases: [string, (id: string) => EnvelopeOptions][] = [
      ['an element with ID in the Body', (id) => ({ body: `<x:Decoy xmlns:x="urn:x" ID="${id}"/>` })],
      ['a wsu:Id on another header block', (id) => ({ headers: `<x:Other xmlns:x="urn:x" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" wsu:Id="${id}"/>` })],
      ['a lower-case id deep in the Body', (id) => ({ body: `<a xmlns="urn:x"><b><c id="${id}"/></b></a>` })],
    ];
    for (const [name, extra] of cases) {
      it(name, () => {
        assertRejected(() => verify(idp.signedAssertion({ id: '_orig' }), extra('_orig')), /ID is used 2 times/);
      });
    }

    it('the same assertion twice, once in the header and once in the Body', () => {
      const signed = idp.signedAssertion({ id: '_orig' });
      assertRejected(() => verify(signed, { body: signed }), /ID is used 2 times/);
    });
  });

  describe('variant 3: a signature whose Reference points to another element than the assertion used', () => {
    it('the attacker\'s assertion carries the signature of a genuine assertion placed in the Body', () => {
      const { signature, rest: genuine } = splitSignature(idp.signedAssertion({ id: '_genuine', subject: 'UID=nurse' }));
      const evil = withSignature(idp.assertion({ id: '_evil', subject: 'UID=admin', attributes: ADMIN }), signature);
      const envelope = soapEnvelope(securityHeader(evil), { body: `<Stash xmlns="urn:x">${genuine}</Stash>` });

      // xml-crypto on its own finds nothing wrong: the signature is valid for what it references.
      const doc = new DOMParser().parseFromString(envelope, 'text/xml');
      const sig = new SignedXml({ publicCert: idp.certificatePem });
      sig.loadSignature(doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature').item(0)!);
      assert.equal(sig.checkSignature(envelope), true);

      assertRejected(() => verifyEnvelope(envelope), /Reference URI "#_genuine" does not point to the assertion/);
    });

    it('a Reference with an empty URI (the whole document)', () => {
      assertRejected(() => verify(idp.signedAssertion({ signing: { emptyReferenceUri: true } })), /Reference URI "" does not point to the assertion/);
    });
  });

  describe('other ways to slip content past the signature', () => {
    it('a comment splitting the NameID: the identity is what was signed, whole', () => {
      const signed = idp.signedAssertion({ subject: 'admin@hospital.test.evil.test' });
      const commented = signed.replace('admin@hospital.test.evil.test', 'admin@hospital.test<!---->.evil.test');
      assert.notEqual(commented, signed);
      // Comments are outside the digest, so the signature holds; a reader of the first text node would see "admin@hospital.test".
      assert.equal(verify(commented).subject, 'admin@hospital.test.evil.test');
    });

    it('an assertion nested in Advice does not feed the identity', () => {
      const inner = idp.assertion({ id: '_inner', subject: 'UID=admin', attributes: ADMIN });
      const signed = idp.sign(idp.assertion({ id: '_outer', subject: 'UID=nurse' }).replace('<saml2:AuthnStatement', `<saml2:Advice>${inner}</saml2:Advice><saml2:AuthnStatement`));
      const identity = verify(signed);
      assert.equal(identity.subject, 'UID=nurse');
      assert.equal(identity.subjectName, 'MUDr. Jan Kolář');
      assert.equal(identity.role?.code, '158965000');
    });

    it('a ds:Object added to the signature after signing', () => {
      const signed = idp.signedAssertion().replace('</ds:KeyInfo>', '</ds:KeyInfo><ds:Object><saml2:NameID>UID=admin</saml2:NameID></ds:Object>');
      assertRejected(() => verify(signed), /unexpected <ds:Object>/);
    });

    it('a second Reference added to SignedInfo', () => {
      const signed = idp.signedAssertion();
      const reference = /<ds:Reference [\s\S]*<\/ds:Reference>/.exec(signed)![0];
      assertRejected(() => verify(signed.replace(reference, reference + reference.replace(/URI="[^"]*"/, 'URI="#other"'))), /unexpected <ds:Reference>/);
    });

    it('a signature that is not a direct child of the assertion', () => {
      const { signature, rest } = splitSignature(idp.signedAssertion());
      assertRejected(() => verify(rest.replace('</saml2:Subject>', `${signature}</saml2:Subject>`)), /not signed/);
    });

    it('a message with a DOCTYPE', () => {
      const envelope = soapEnvelope(securityHeader(idp.signedAssertion())).replace('<env:Envelope', '<!DOCTYPE env:Envelope><env:Envelope');
      const doc = new DOMParser({ onError: () => undefined }).parseFromString(envelope, 'text/xml');
      assert.ok(doc.doctype, 'xmldom kept the DOCTYPE');
      const header = doc.getElementsByTagNameNS('http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd', 'Security').item(0)!;
      assertRejected(() => verifyXuaAssertion(header, options()), /DOCTYPE/);
    });

    it('signed content is never parsed with a DOCTYPE', () => {
      assertRejected(() => parseSignedXml('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'), /DOCTYPE/);
      assertRejected(() => parseSignedXml('<a><b></a>'), /not well-formed/);
      assert.equal(parseSignedXml('<a xmlns="urn:x">t</a>').documentElement!.textContent, 't');
    });
  });
});
