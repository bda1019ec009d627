// ITI-65 content that public IHE test material and off-the-shelf MHD Document Sources
// send, and what the mapping makes of it (issue 13): a Bundle without an MHD profile is
// refused; an Organization authenticator, a sourcePatientId of a URI system and parties
// referenced outside the Bundle are accepted; an over-long OID is refused with a message
// that says so.
import assert from 'node:assert/strict';
import { RegistryError } from '../../../src/domain/registry-error';
import { Profiles } from '../../../src/fhir/mhd/mapping';
import { fixture, mhd } from './support';

const DR = 'Bundle.entry[1].resource';

function errorsOf(run: () => unknown): Array<[string | undefined, string]> {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof RegistryError, String(e));
    return e.errors.map((x) => [x.location, x.context]);
  }
  assert.fail('the Bundle was accepted');
}

/** The Comprehensive fixture declared UnContained, its DocumentReference edited by `edit`. */
function unContained(edit: (dr: Record<string, any>) => void): Record<string, any> {
  const b = fixture('comprehensive-bundle.json');
  b.meta.profile = [Profiles.Bundle.UnContainedComprehensive];
  edit(b.entry[1].resource);
  return b;
}

describe('mhd/mapping ITI-65 as third-party Document Sources send it', () => {
  describe('Bundle.meta.profile (MHD 4.2 ITI-65 2:3.65.4.1.2)', () => {
    it('refuses a Bundle without meta.profile even when its SubmissionSet names a profile', () => {
      const b = fixture('comprehensive-bundle.json');
      delete b.meta;
      assert.ok(b.entry[0].resource.meta.profile.length > 0, 'the List still declares Comprehensive');
      const errors = errorsOf(() => mhd.provideBundle(b));
      assert.deepEqual(errors.map(([at]) => at), ['Bundle.meta.profile']);
      assert.match(errors[0]![1], /IHE\.MHD\.Comprehensive\.ProvideBundle/, 'the message names the profiles to use');
    });

    it('refuses a Bundle whose meta.profile names no MHD Provide Document Bundle profile', () => {
      const b = fixture('comprehensive-bundle.json');
      b.meta.profile = ['http://example.org/fhir/StructureDefinition/SomeBundle', Profiles.SubmissionSet.Comprehensive];
      assert.deepEqual(errorsOf(() => mhd.provideBundle(b)).map(([at]) => at), ['Bundle.meta.profile']);
    });

    it('accepts a versioned canonical', () => {
      const b = fixture('comprehensive-bundle.json');
      b.meta.profile = [`${Profiles.Bundle.Comprehensive}|4.2.3`];
      assert.equal(mhd.provideBundle(b).option, 'Comprehensive');
    });
  });

  describe('UnContained References: parties outside the Bundle the gateway cannot resolve', () => {
    it('maps an author Practitioner/x from the reference and its display, an Organization/y from its display', () => {
      const b = unContained((dr) => {
        dr.author = [{ reference: 'Practitioner/dr-42', display: 'MUDr. Jan Dvořák' }, { reference: 'https://registr.example.cz/fhir/Organization/nem-7', display: 'Nemocnice Ukázka' }];
      });
      const d = mhd.provideBundle(b).submission.documents[0]!;
      assert.deepEqual(
        d.authors.map((a) => [a.person, a.institutions]),
        [
          ['Practitioner/dr-42^MUDr. Jan Dvořák', []],
          [undefined, ['Nemocnice Ukázka^^^^^^^^^https://registr.example.cz/fhir/Organization/nem-7']],
        ],
      );
    });

    it('maps an authenticator Practitioner/x that is neither contained nor in the Bundle', () => {
      const b = unContained((dr) => {
        dr.authenticator = { reference: 'https://registr.example.cz/fhir/Practitioner/77', display: 'prim. MUDr. Eva Svobodová' };
      });
      const d = mhd.provideBundle(b).submission.documents[0]!;
      assert.equal(d.legalAuthenticator, 'https://registr.example.cz/fhir/Practitioner/77^prim. MUDr. Eva Svobodová');
    });

    it('still refuses a #id that names no contained resource', () => {
      const b = unContained((dr) => {
        dr.author = [{ reference: '#nobody' }];
      });
      assert.deepEqual(errorsOf(() => mhd.provideBundle(b)).map(([at]) => at), [`${DR}.author[0]`]);
    });
  });

  describe('authenticator that is an Organization', () => {
    it('accepts the document without legalAuthenticator and warns at the authenticator', () => {
      const b = unContained((dr) => {
        dr.authenticator = { reference: 'Organization/nem-7', display: 'Nemocnice Ukázka' };
      });
      const plan = mhd.provideBundle(b);
      assert.equal(plan.submission.documents[0]!.legalAuthenticator, undefined);
      assert.deepEqual(
        plan.warnings.map((w) => [w.severity, w.code, w.location]),
        [['Warning', 'XDSExtraMetadataNotSaved', `${DR}.authenticator`]],
      );
    });

    it('does the same for a contained Organization under the Comprehensive option', () => {
      const b = fixture('comprehensive-bundle.json');
      const dr = b.entry[1].resource;
      dr.contained.push({ resourceType: 'Organization', id: 'signing-org', name: 'Nemocnice Ukázka' });
      dr.authenticator = { reference: '#signing-org' };
      const plan = mhd.provideBundle(b);
      assert.equal(plan.submission.documents[0]!.legalAuthenticator, undefined);
      assert.deepEqual(plan.warnings.map((w) => w.location), [`${DR}.authenticator`]);
    });
  });

  describe('sourcePatientId of an identifier system without an OID', () => {
    function withSourceSystem(system: string) {
      const b = fixture('comprehensive-bundle.json');
      const patient = b.entry[1].resource.contained.find((r: { id: string }) => r.id === 'sourcePatient');
      patient.identifier = [{ system, value: 'MRN-2026-0042' }];
      return b;
    }

    it('maps an http system to a CX with a URI universal id, and back', () => {
      const plan = mhd.provideBundle(withSourceSystem('http://nemocnice-ukazka.example.cz/fhir/sid/mrn'));
      const d = plan.submission.documents[0]!;
      assert.equal(d.sourcePatientId, 'MRN-2026-0042^^^&http://nemocnice-ukazka.example.cz/fhir/sid/mrn&URI');
      assert.equal(d.patientId.endsWith('&ISO'), true, 'the affinity-domain patient ID keeps its rule');
      const dr = mhd.documentReference({ ...d, repositoryUniqueId: '2.25.1' });
      const source = dr.contained!.find((r) => r.resourceType === 'Patient') as { identifier: unknown[] };
      assert.deepEqual(source.identifier[0], { system: 'http://nemocnice-ukazka.example.cz/fhir/sid/mrn', value: 'MRN-2026-0042' });
    });

    it('still refuses a system that is no URI', () => {
      const errors = errorsOf(() => mhd.provideBundle(withSourceSystem('local mrn')));
      assert.deepEqual(errors.map(([at]) => at), [`${DR}.context.sourcePatientInfo.identifier[0]`]);
    });
  });

  describe('OIDs longer than 64 characters', () => {
    it('refuses masterIdentifier urn:oid: of 65+ characters saying the OID is too long', () => {
      const b = fixture('comprehensive-bundle.json');
      const long = `2.25.${'1'.repeat(70)}`;
      b.entry[1].resource.masterIdentifier = { system: 'urn:ietf:rfc:3986', value: `urn:oid:${long}` };
      const errors = errorsOf(() => mhd.provideBundle(b));
      assert.deepEqual(errors.map(([at]) => at), [`${DR}.masterIdentifier`]);
      assert.match(errors[0]![1], /longer than 64 characters/);
      assert.doesNotMatch(errors[0]![1], /neither urn:oid: nor urn:uuid:/);
    });
  });
});
