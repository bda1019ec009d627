// eHDSI HCP identity + TRC assertions: issued and signed by one NCP (createEhdsiIssuer), verified
// by another (createEhdsiVerifier) on the shared XUA pipeline. Each refusal names the defence
// that fired and the WS-Security fault it is answered with.
import assert from 'node:assert/strict';
import { createEhdsiIssuer, createEhdsiVerifier, EhdsiSecurityError, type EhdsiAssertionIssuer, type EhdsiVerifier, type HcpIdentity } from '../../../src/security/ehdsi';
import { buildHcpAssertion } from '../../../src/security/ehdsi/build-assertions';
import { signAssertion, signingKey } from '../../../src/security/saml';
import { parseSecurityHeader, soapEnvelope } from '../support/saml-idp';
import { ncpCertificate, type NcpCertificate } from '../support/ncp-certificates';
import { DANISH_DOCTOR } from '../support/ehdsi-parties';

const PATIENT = '7608139877^^^&1.2.203.24341.1.1&ISO';
const OTHER_PATIENT = '8001010009^^^&1.2.203.24341.1.1&ISO';

const DOCTOR: HcpIdentity = DANISH_DOCTOR;

function refusal(fn: () => unknown, fault: 'InvalidSecurity' | 'FailedAuthentication', reason: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof EhdsiSecurityError, `expected an EhdsiSecurityError, got ${String(caught)}`);
  assert.equal(caught.fault, fault, caught.reason);
  assert.match(caught.reason, reason);
}

describe('eHDSI security: HCP identity and TRC assertions', () => {
  let dk: NcpCertificate;
  let at: NcpCertificate;
  let intruder: NcpCertificate;
  let dkIssuer: EhdsiAssertionIssuer;
  let verifier: EhdsiVerifier;

  before(async () => {
    [dk, at, intruder] = await Promise.all([ncpCertificate('DK'), ncpCertificate('AT'), ncpCertificate('DK', 'intruder.test')]);
    dkIssuer = createEhdsiIssuer({ key: signingKey(dk.certificatePem, dk.privateKeyPem), country: 'DK', homeCommunityId: 'urn:oid:1.2.208' });
    verifier = createEhdsiVerifier({ trustedCertificates: [dk.certificatePem, at.certificatePem] });
  });

  const header = (...assertions: string[]) => parseSecurityHeader(soapEnvelope(dkIssuer.securityHeader(...assertions), { action: 'urn:ihe:iti:2007:CrossGatewayQuery' }));

  function pair(patient = PATIENT, issuer = dkIssuer) {
    const hcp = issuer.hcpAssertion(DOCTOR);
    const trc = issuer.trcAssertion(hcp, patient);
    return { hcp, trc };
  }

  it('accepts a valid pair: the HCP, the country that signed, the patient and the purpose', () => {
    const { hcp, trc } = pair();
    const identity = verifier(header(hcp.xml, trc.xml), { patientId: PATIENT });
    assert.equal(identity.hcp.assertionId, hcp.id);
    assert.equal(identity.hcp.name, 'Gregory House');
    assert.equal(identity.hcp.nameId, DOCTOR.nameId);
    assert.deepEqual(identity.hcp.role, { code: '221', codeSystem: '2.16.840.1.113883.2.9.6.2.7', displayName: 'Medical Doctors' });
    assert.equal(identity.hcp.organization, 'Rigshospitalet');
    assert.equal(identity.hcp.facilityType, 'Hospital');
    assert.deepEqual(identity.hcp.permissions, DOCTOR.permissions);
    assert.equal(identity.hcp.homeCommunityId, 'urn:oid:1.2.208');
    assert.equal(identity.hcp.country, 'DK');
    assert.equal(identity.trc?.assertionId, trc.id);
    assert.equal(identity.trc?.patientId, PATIENT);
    assert.equal(identity.trc?.purposeOfUse, 'TREATMENT');
  });

  it('accepts the HCP assertion alone when no patient is required (patient discovery)', () => {
    const identity = verifier(header(dkIssuer.hcpAssertion(DOCTOR).xml), {});
    assert.equal(identity.trc, undefined);
    assert.equal(identity.hcp.country, 'DK');
  });

  it('accepts EMERGENCY as purpose of use', () => {
    const hcp = dkIssuer.hcpAssertion({ ...DOCTOR, purposeOfUse: 'EMERGENCY' });
    const trc = dkIssuer.trcAssertion(hcp, PATIENT);
    assert.equal(verifier(header(hcp.xml, trc.xml), { patientId: PATIENT }).trc?.purposeOfUse, 'EMERGENCY');
  });

  it('refuses a request about a patient without a TRC assertion (InvalidSecurity)', () => {
    refusal(() => verifier(header(dkIssuer.hcpAssertion(DOCTOR).xml), { patientId: PATIENT }), 'InvalidSecurity', /no TRC assertion/);
    refusal(() => verifier(header(dkIssuer.hcpAssertion(DOCTOR).xml), { requireTrc: true }), 'InvalidSecurity', /no TRC assertion/);
  });

  it('refuses a message without an HCP assertion, and one without a security header (InvalidSecurity)', () => {
    const { trc } = pair();
    refusal(() => verifier(header(trc.xml), { patientId: PATIENT }), 'InvalidSecurity', /no HCP identity assertion/);
    refusal(() => verifier(undefined, {}), 'InvalidSecurity', /no wsse:Security/);
  });

  it('refuses an assertion signed by a key outside the trust list, even with a trusted certificate in KeyInfo', () => {
    const forger = createEhdsiIssuer({ key: signingKey(intruder.certificatePem, intruder.privateKeyPem), country: 'DK', homeCommunityId: 'urn:oid:1.2.208' });
    const { hcp, trc } = pair(PATIENT, forger);
    refusal(() => verifier(header(hcp.xml, trc.xml), { patientId: PATIENT }), 'FailedAuthentication', /not one of the trusted/);
    // The forger's certificate swapped for the trusted one: the signature no longer verifies with its key.
    const b64 = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');
    const disguised = hcp.xml.replace(b64(intruder.certificatePem), b64(dk.certificatePem));
    refusal(() => verifier(header(disguised), {}), 'FailedAuthentication', /does not verify with any trusted certificate/);
  });

  it('refuses an assertion altered after signing', () => {
    const { hcp, trc } = pair();
    const altered = hcp.xml.replace('Gregory House', 'Mallory');
    refusal(() => verifier(header(altered, trc.xml), { patientId: PATIENT }), 'FailedAuthentication', /altered after signing/);
  });

  it('refuses an expired pair (beyond the skew), and an HCP assertion from the future', () => {
    const fiveHoursAgo = createEhdsiIssuer({ key: signingKey(dk.certificatePem, dk.privateKeyPem), country: 'DK', homeCommunityId: 'urn:oid:1.2.208', now: () => new Date(Date.now() - 5 * 3600_000) });
    const { hcp, trc } = pair(PATIENT, fiveHoursAgo);
    refusal(() => verifier(header(hcp.xml, trc.xml), { patientId: PATIENT }), 'FailedAuthentication', /expired/);
    const tomorrow = createEhdsiIssuer({ key: signingKey(dk.certificatePem, dk.privateKeyPem), country: 'DK', homeCommunityId: 'urn:oid:1.2.208', now: () => new Date(Date.now() + 86_400_000) });
    refusal(() => verifier(header(tomorrow.hcpAssertion(DOCTOR).xml), {}), 'FailedAuthentication', /future|not valid before/);
  });

  it('refuses a TRC for another patient than the request\'s', () => {
    const { hcp, trc } = pair(OTHER_PATIENT);
    refusal(() => verifier(header(hcp.xml, trc.xml), { patientId: PATIENT }), 'FailedAuthentication', /TRC assertion is for patient 8001010009/);
  });

  it('refuses a TRC bound to another HCP assertion', () => {
    const first = pair();
    const second = dkIssuer.hcpAssertion(DOCTOR);
    refusal(() => verifier(header(second.xml, first.trc.xml), { patientId: PATIENT }), 'FailedAuthentication', /refers to \[.*\], not to the HCP assertion/);
  });

  it('refuses a TRC about another professional than the HCP assertion\'s', () => {
    const hcp = dkIssuer.hcpAssertion(DOCTOR);
    const trc = dkIssuer.trcAssertion({ ...hcp, hcp: { ...DOCTOR, nameId: 'someone.else@ehdsi.dk.test' } }, PATIENT);
    refusal(() => verifier(header(hcp.xml, trc.xml), { patientId: PATIENT }), 'FailedAuthentication', /another professional/);
  });

  it('refuses a TRC signed by another country than the HCP assertion', () => {
    const atIssuer = createEhdsiIssuer({ key: signingKey(at.certificatePem, at.privateKeyPem), country: 'AT', homeCommunityId: 'urn:oid:1.2.40' });
    const hcp = dkIssuer.hcpAssertion(DOCTOR);
    const trc = atIssuer.trcAssertion(hcp, PATIENT);
    refusal(() => verifier(header(hcp.xml, trc.xml), { patientId: PATIENT }), 'FailedAuthentication', /different countries/);
  });

  it('refuses a signature-wrapped assertion: the signed original moved aside, an altered copy with its ID in its place', () => {
    const { hcp, trc } = pair();
    const forged = hcp.xml.replace('Gregory House', 'Mallory').replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    const envelope = soapEnvelope(dkIssuer.securityHeader(forged, trc.xml), { body: `<Wrapper xmlns="urn:x">${hcp.xml}</Wrapper>` });
    refusal(() => verifier(parseSecurityHeader(envelope), { patientId: PATIENT }), 'FailedAuthentication', /ID is used 2 times/);
  });

  it('refuses a signed TRC presented as the HCP assertion (the signed NameQualifier decides the kind)', () => {
    const { hcp, trc } = pair();
    const relabelled = trc.xml.replace('NameQualifier="urn:ehdsi:assertions:trc"', 'NameQualifier="urn:ehdsi:assertions:hcp"');
    refusal(() => verifier(header(relabelled), {}), 'FailedAuthentication', /altered after signing/);
    refusal(() => verifier(header(hcp.xml, hcp.xml), {}), 'FailedAuthentication', /more than one|ID is used 2 times/);
  });

  it('refuses a purpose of use eHDSI does not define, an assertion for another audience an assertion valid for too long and an assertion kind not accepted', () => {
    const key = signingKey(dk.certificatePem, dk.privateKeyPem);
    const now = new Date();
    const operations = buildHcpAssertion({ ...DOCTOR, purposeOfUse: 'OPERATIONS' as 'TREATMENT' }, 'urn:oid:1.2.208', { issuer: 'urn:idp:DK:countryB', now });
    refusal(() => verifier(header(signAssertion(operations.xml, key)), {}), 'FailedAuthentication', /not an eHDSI purpose/);
    const otherAudience = buildHcpAssertion(DOCTOR, 'urn:oid:1.2.208', { issuer: 'urn:idp:DK:countryB', now }).xml.replace('urn:ehdsi:assertions.audience:x-border', 'urn:somewhere:else');
    refusal(() => verifier(header(signAssertion(otherAudience, key)), {}), 'FailedAuthentication', /not for this gateway/);
    const longLived = buildHcpAssertion(DOCTOR, 'urn:oid:1.2.208', { issuer: 'urn:idp:DK:countryB', now }).xml.replace(/NotOnOrAfter="[^"]+"/, `NotOnOrAfter="${new Date(now.getTime() + 5 * 3600_000).toISOString()}"`);
    refusal(() => verifier(header(signAssertion(longLived, key)), {}), 'FailedAuthentication', /longer than the profile allows/);
    const nok = buildHcpAssertion(DOCTOR, 'urn:oid:1.2.208', { issuer: 'urn:idp:DK:countryB', now }).xml.replace('urn:ehdsi:assertions:hcp', 'urn:ehdsi:assertions:nok');
    refusal(() => verifier(header(dkIssuer.hcpAssertion(DOCTOR).xml, signAssertion(nok, key)), {}), 'FailedAuthentication', /kind "urn:ehdsi:assertions:nok" is not accepted/);
  });

  it('a session\'s HCP assertion presented again (its signature check remembered) is still held to the wrapping defence and its validity window', () => {
    let clock = Date.now();
    const session = createEhdsiVerifier({ trustedCertificates: [dk.certificatePem], now: () => new Date(clock) });
    const hcp = dkIssuer.hcpAssertion(DOCTOR);
    assert.equal(session(header(hcp.xml), {}).hcp.assertionId, hcp.id);
    assert.equal(session(header(hcp.xml), {}).hcp.name, 'Gregory House');
    const wrapped = soapEnvelope(dkIssuer.securityHeader(hcp.xml), { body: `<Wrapper xmlns="urn:x">${hcp.xml}</Wrapper>` });
    refusal(() => session(parseSecurityHeader(wrapped), {}), 'FailedAuthentication', /ID is used 2 times/);
    refusal(() => session(header(hcp.xml.replace('Gregory House', 'Mallory')), {}), 'FailedAuthentication', /altered after signing/);
    clock += 5 * 3600_000;
    refusal(() => session(header(hcp.xml), {}), 'FailedAuthentication', /expired/);
  });

  it('signs with RSA-SHA256 over exclusive C14N, enveloped, one Reference to the assertion, right after Issuer', () => {
    const { xml } = dkIssuer.hcpAssertion(DOCTOR);
    assert.match(xml, /SignatureMethod Algorithm="http:\/\/www.w3.org\/2001\/04\/xmldsig-more#rsa-sha256"/);
    assert.match(xml, /CanonicalizationMethod Algorithm="http:\/\/www.w3.org\/2001\/10\/xml-exc-c14n#"/);
    assert.match(xml, /<ds:Reference URI="#_[0-9a-f-]+"><ds:Transforms><ds:Transform Algorithm="http:\/\/www.w3.org\/2000\/09\/xmldsig#enveloped-signature"\/><ds:Transform Algorithm="http:\/\/www.w3.org\/2001\/10\/xml-exc-c14n#"\/><\/ds:Transforms>/);
    // ds:Signature right after Issuer, as SAML's schema orders it.
    assert.match(xml, /<\/saml2:Issuer><ds:Signature/);
  });
});
