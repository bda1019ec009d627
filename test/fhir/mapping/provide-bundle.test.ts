import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { AssociationType, DocumentEntryType } from '../../../src/domain/metadata';
import { RegistryError } from '../../../src/domain/registry-error';
import type { Submission } from '../../../src/domain/submission';
import { validateCodes, validateSubmissionStructure } from '../../../src/domain/validation';
import { Profiles, type FhirResource, type ProvideBundlePlan } from '../../../src/fhir/mhd/mapping';
import { checkMessage } from '../../../src/registry/message-checks';
import { REPOSITORY_ID } from '../../support/metadata-builders';
import { FHIR_BASE, fixture, HCID, mhd, PATIENT_CX, profile } from './support';

function assertValid(s: Submission): void {
  assert.deepEqual(validateSubmissionStructure(s, { requireRepositoryFields: false }), []);
  assert.deepEqual(validateCodes(s, profile), []);
  assert.deepEqual(checkMessage(s), []);
}

/** Registry ids as SubmitResult.ids would give them: every submission id -> a UUID. */
function registeredIds(plan: ProvideBundlePlan): Record<string, string> {
  const s = plan.submission;
  const given = [s.submissionSet, ...s.documents, ...s.folders, ...s.associations].map((o) => o.entryUuid);
  return Object.fromEntries(given.map((id) => [id, id.startsWith('urn:uuid:') ? id : `urn:uuid:${randomUUID()}`]));
}

const sha1 = (b64: string) => createHash('sha1').update(Buffer.from(b64, 'base64')).digest('hex');

describe('mhd/mapping ITI-65 Bundle -> Submission (Comprehensive)', () => {
  const bundle = fixture('comprehensive-bundle.json');
  const plan = mhd.provideBundle(bundle);
  const s = plan.submission;
  const [ssUrl, drUrl, binUrl, folderUrl] = bundle.entry.map((e: { fullUrl: string }) => e.fullUrl);

  it('detects the Comprehensive option from Bundle.meta.profile', () => {
    assert.equal(plan.option, 'Comprehensive');
    assert.equal(s.submissionSet.limitedMetadata, undefined);
  });

  it('produces a Submission that passes the domain validation and the message checks', () => {
    assertValid(s);
  });

  it('uses the fullUrls as submission ids and maps the SubmissionSet', () => {
    const ss = s.submissionSet;
    assert.equal(ss.entryUuid, ssUrl);
    assert.equal(ss.uniqueId, '2.25.221224956196393243938596818182716614928');
    assert.equal(ss.sourceId, '2.25.75219843810648457211310670644150364629');
    assert.equal(ss.patientId, PATIENT_CX);
    assert.equal(ss.submissionTime, '20260314091530', '10:15:30+01:00 is 09:15:30 UTC');
    assert.deepEqual(ss.contentTypeCode, { code: '18842-5', scheme: '2.16.840.1.113883.6.1', display: 'Discharge summary' });
    assert.equal(ss.authors[0]?.person, '123456789^Dvořák^Jan^^^MUDr.^^^&2.25.155748392722877467759936676619915953321&ISO');
    assert.deepEqual(ss.authors[0]?.institutions, ['Nemocnice Ukázka^^^^^&2.25.304345200068535870142747300101570555840&ISO^^^^00064165']);
    assert.deepEqual(ss.authors[0]?.roles, ['ATTPHYS^Ošetřující lékař^^&2.16.840.1.113883.5.111&ISO']);
    assert.deepEqual(ss.intendedRecipients, ['Praktický lékař Ukázková^^^^^&2.25.186696816181552134137054213417541600386&ISO^^^^72004000||^NET^Internet^ordinace@praktik-ukazka.cz']);
    assert.equal(ss.comments, 'Odesláno při propuštění pacientky.');
  });

  it('maps the DocumentReference with its contained author, authenticator and source patient', () => {
    const d = s.documents[0]!;
    assert.equal(s.documents.length, 1);
    assert.equal(d.entryUuid, drUrl);
    assert.equal(d.objectType, DocumentEntryType.Stable);
    assert.equal(d.uniqueId, '2.25.311139077482821584186546667835402694049');
    assert.equal(d.patientId, PATIENT_CX);
    assert.equal(d.hash, 'bb4c06b15050871fbc52b51cb9d0f72e7c993bcb');
    assert.equal(d.size, 184);
    assert.equal(d.creationTime, '20260314080000');
    assert.equal(d.serviceStartTime, '20260310073000');
    assert.equal(d.legalAuthenticator, '987654321^Svobodová^Eva^^^prim. MUDr.^^^&2.25.155748392722877467759936676619915953321&ISO');
    assert.equal(d.sourcePatientId, 'MRN-2026-0042^^^&2.25.123327392321639445053641743590879758067&ISO');
    assert.deepEqual(d.sourcePatientInfo, [
      'PID-3|MRN-2026-0042^^^&2.25.123327392321639445053641743590879758067&ISO',
      'PID-5|Nováková^Jana',
      'PID-7|19760813',
      'PID-8|F',
      'PID-11|Ukázková 12^^Praha^^11000^CZ',
    ]);
    assert.deepEqual(d.referenceIds, ['OBJ-77812^^^&2.25.158094334253913537852334855893902160913&ISO^urn:ihe:iti:xds:2013:order']);
    assert.deepEqual(d.eventCodes.map((c) => `${c.code}@${c.scheme}`), ['I21.0@2.16.840.1.113883.6.3']);
    assert.equal(d.uri, undefined, 'the Binary URL is where the bytes come from, not an XDS URI');
    assert.equal(d.repositoryUniqueId, undefined, 'set by the repository when it stores the bytes');
  });

  it('pairs the Binary with its DocumentEntry, as base64, matching hash and size', () => {
    assert.equal(plan.documents.length, 1);
    const doc = plan.documents[0]!;
    assert.equal(doc.entryUuid, drUrl);
    assert.equal(doc.documentUniqueId, s.documents[0]!.uniqueId);
    assert.equal(doc.location, 'Bundle.entry[2].resource.data');
    assert.ok(doc.content.kind === 'base64');
    assert.equal(doc.content.contentType, 'text/plain');
    assert.equal(sha1(doc.content.data), s.documents[0]!.hash);
    assert.equal(Buffer.from(doc.content.data, 'base64').length, s.documents[0]!.size);
  });

  it('creates the Folder and the associations XDS needs', () => {
    assert.equal(s.folders.length, 1);
    assert.equal(s.folders[0]!.entryUuid, folderUrl);
    assert.equal(s.folders[0]!.title, 'Hospitalizace 10.–14. 3. 2026');
    const a = s.associations.map((x) => [x.type.split(':').pop(), x.sourceId, x.targetId, x.submissionSetStatus]);
    const folderMembership = s.associations.find((x) => x.sourceId === folderUrl)!;
    assert.deepEqual(a, [
      ['HasMember', ssUrl, drUrl, 'Original'],
      ['HasMember', ssUrl, folderUrl, 'Original'],
      ['HasMember', folderUrl, drUrl, undefined],
      ['HasMember', ssUrl, folderMembership.entryUuid, undefined],
    ]);
  });

  it('plans one response entry per request entry, located by the registered ids', () => {
    assert.deepEqual(plan.entries.map((e) => e.role), ['SubmissionSet', 'DocumentReference', 'Binary', 'Folder']);
    assert.equal(plan.entries[2]!.documentEntryId, drUrl);
    assert.equal(plan.entries[2]!.fullUrl, binUrl);
    const ids = registeredIds(plan);
    const response = mhd.transactionResponse(plan, ids, { repositoryUniqueId: REPOSITORY_ID, homeCommunityId: HCID });
    assert.equal(response.type, 'transaction-response');
    assert.deepEqual(response.meta?.profile, [Profiles.ProvideBundleResponse]);
    const bare = (id: string) => id.slice('urn:uuid:'.length);
    assert.deepEqual(response.entry?.map((e) => e.response), [
      { status: '201 Created', location: `List/${bare(ids[ssUrl]!)}` },
      { status: '201 Created', location: `DocumentReference/${bare(ids[drUrl]!)}` },
      { status: '201 Created', location: mhd.retrieveUrl({ documentUniqueId: s.documents[0]!.uniqueId, repositoryUniqueId: REPOSITORY_ID, homeCommunityId: HCID }) },
      { status: '201 Created', location: `List/${bare(ids[folderUrl]!)}` },
    ]);
    assert.ok(response.entry?.[2]?.response?.location?.startsWith(`${FHIR_BASE}/Binary/`));
  });
});

describe('mhd/mapping ITI-65 adding to a registered Folder (PUT)', () => {
  const REGISTERED = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';

  it('files the new document in the registered Folder instead of creating one', () => {
    const b = fixture('comprehensive-bundle.json');
    b.entry[3].request = { method: 'PUT', url: `List/${REGISTERED}` };
    const plan = mhd.provideBundle(b);
    const s = plan.submission;
    assert.deepEqual(s.folders, []);
    const drId = b.entry[1].fullUrl;
    const filed = s.associations.find((a) => a.sourceId === `urn:uuid:${REGISTERED}`)!;
    assert.equal(filed.targetId, drId);
    assert.ok(s.associations.some((a) => a.sourceId === s.submissionSet.entryUuid && a.targetId === filed.entryUuid), 'the membership is a member of the SubmissionSet');
    assertValid(s);
    const response = mhd.transactionResponse(plan, registeredIds(plan), { repositoryUniqueId: REPOSITORY_ID });
    assert.deepEqual(response.entry?.[3]?.response, { status: '200 OK', location: `List/${REGISTERED}` });
  });

  it('needs the registered Folder named in request.url', () => {
    const b = fixture('comprehensive-bundle.json');
    b.entry[3].request = { method: 'PUT', url: 'List/not-a-uuid' };
    assert.throws(() => mhd.provideBundle(b), (e: unknown) => e instanceof RegistryError && e.errors[0]?.location === 'Bundle.entry[3].request.url');
  });
});

describe('mhd/mapping ITI-65 Bundle -> Submission (Minimal)', () => {
  const bundle = fixture('minimal-bundle.json');
  const plan = mhd.provideBundle(bundle);
  const s = plan.submission;

  it('detects the Minimal option and marks every object limitedMetadata', () => {
    assert.equal(plan.option, 'Minimal');
    assert.equal(s.submissionSet.limitedMetadata, true);
    assert.equal(s.documents[0]!.limitedMetadata, true);
  });

  it('takes the patient from the Patient entry the subjects reference', () => {
    assert.equal(s.submissionSet.patientId, PATIENT_CX);
    assert.equal(s.documents[0]!.patientId, PATIENT_CX);
    assert.equal(s.submissionSet.submissionTime, '20260702120500');
  });

  it('produces a Submission that passes the domain validation and the message checks', () => {
    assertValid(s);
    assert.equal(plan.documents.length, 1);
  });

  it('answers the Patient entry without creating anything', () => {
    const response = mhd.transactionResponse(plan, registeredIds(plan), { repositoryUniqueId: REPOSITORY_ID });
    assert.deepEqual(response.entry?.[3]?.response, { status: '200 OK', location: 'Patient/p-7608139877' });
  });

  it('lends the patient between SubmissionSet and DocumentReference when only one names it', () => {
    const b = fixture('minimal-bundle.json');
    delete b.entry[0].resource.subject;
    b.entry.pop();
    b.entry[1].resource.subject = { identifier: { system: 'https://ncez.mzcr.cz/fhir/sid/rid', value: '7608139877' } };
    const p = mhd.provideBundle(b);
    assert.equal(p.submission.submissionSet.patientId, PATIENT_CX);
  });

  it('reads attachment.data as the document when there is no Binary', () => {
    const b = fixture('minimal-bundle.json');
    const data = b.entry[2].resource.data;
    b.entry.splice(2, 1);
    b.entry[1].resource.content[0].attachment = { contentType: 'text/plain', data };
    const p = mhd.provideBundle(b);
    assert.deepEqual(p.documents[0]?.content, { kind: 'base64', data, contentType: 'text/plain' });
    assert.equal(p.documents[0]?.location, 'Bundle.entry[1].resource.content[0].attachment.data');
  });

  it('leaves a document outside the Bundle for the front end to fetch', () => {
    const b = fixture('minimal-bundle.json');
    b.entry.splice(2, 1);
    b.entry[1].resource.content[0].attachment.url = 'https://archiv.example.cz/dokumenty/42.txt';
    const p = mhd.provideBundle(b);
    assert.deepEqual(p.documents[0]?.content, { kind: 'url', url: 'https://archiv.example.cz/dokumenty/42.txt' });
    assert.equal(p.submission.documents[0]!.uri, undefined);
  });
});

describe('mhd/mapping ITI-65 UnContained References option', () => {
  const external: Record<string, FhirResource> = {
    'https://registr.example.cz/fhir/Practitioner/42': {
      resourceType: 'Practitioner',
      identifier: [{ system: 'https://ncez.mzcr.cz/fhir/sid/krzp', value: '123456789' }],
      name: [{ family: 'Dvořák', given: ['Jan'] }],
    },
    'https://mpi.example.cz/fhir/Patient/src-1': {
      resourceType: 'Patient',
      identifier: [{ system: 'urn:oid:2.25.123327392321639445053641743590879758067', value: 'MRN-2026-0042' }],
    },
  };
  function unContained() {
    const b = fixture('comprehensive-bundle.json');
    b.meta.profile = [Profiles.Bundle.UnContainedComprehensive];
    const dr = b.entry[1].resource;
    dr.contained = dr.contained.filter((r: { id: string }) => r.id === 'legal');
    dr.author = [
      { reference: 'https://registr.example.cz/fhir/Practitioner/42' },
      { type: 'Organization', identifier: { system: 'https://ncez.mzcr.cz/fhir/sid/ico', value: '00064165' }, display: 'Nemocnice Ukázka' },
    ];
    dr.context.sourcePatientInfo = { reference: 'https://mpi.example.cz/fhir/Patient/src-1' };
    return b;
  }

  it('resolves references outside the Bundle through the lookup, and logical references from identifier and display', () => {
    const plan = mhd.provideBundle(unContained(), { lookup: (ref) => external[ref] });
    assert.equal(plan.option, 'UnContainedComprehensive');
    const d = plan.submission.documents[0]!;
    assert.deepEqual(d.authors.map((a) => [a.person, a.institutions]), [
      ['123456789^Dvořák^Jan^^^^^^&2.25.155748392722877467759936676619915953321&ISO', []],
      [undefined, ['Nemocnice Ukázka^^^^^&2.25.304345200068535870142747300101570555840&ISO^^^^00064165']],
    ]);
    assert.equal(d.sourcePatientId, 'MRN-2026-0042^^^&2.25.123327392321639445053641743590879758067&ISO');
    assertValid(plan.submission);
  });

  it('maps a party it cannot resolve from the reference itself, and reports a source patient it cannot resolve', () => {
    assert.throws(
      () => mhd.provideBundle(unContained()),
      (e: unknown) => e instanceof RegistryError && e.errors.map((x) => x.location).join() === 'Bundle.entry[1].resource.context.sourcePatientInfo',
    );
    const b = unContained();
    b.entry[1].resource.context.sourcePatientInfo = { reference: '#sourcePatient' };
    b.entry[1].resource.contained.push(fixture('comprehensive-bundle.json').entry[1].resource.contained.find((r: { id: string }) => r.id === 'sourcePatient'));
    assert.equal(mhd.provideBundle(b).submission.documents[0]!.authors[0]!.person, 'https://registr.example.cz/fhir/Practitioner/42');
  });

  it('refuses the same references under the Comprehensive option, which requires contained resources', () => {
    const b = unContained();
    b.meta.profile = [Profiles.Bundle.Comprehensive];
    assert.throws(
      () => mhd.provideBundle(b, { lookup: (ref) => external[ref] }),
      (e: unknown) =>
        e instanceof RegistryError &&
        e.errors.every((x) => /contained/.test(x.context)) &&
        e.errors.map((x) => x.location).join() === 'Bundle.entry[1].resource.author[0],Bundle.entry[1].resource.author[1],Bundle.entry[1].resource.context.sourcePatientInfo',
    );
  });
});

describe('mhd/mapping ITI-65 replacement (relatesTo + superseding PATCH)', () => {
  const ORIGINAL = '5f0e2d1c-3b4a-4c9d-8e7f-6a5b4c3d2e1f';
  function replacing() {
    const b = fixture('comprehensive-bundle.json');
    b.entry.pop(); // no folder here
    b.entry[0].resource.entry = [{ item: { reference: b.entry[1].fullUrl } }];
    b.entry[1].resource.relatesTo = [{ code: 'replaces', target: { reference: `DocumentReference/${ORIGINAL}` } }];
    b.entry.push({
      resource: { resourceType: 'Parameters', parameter: [{ name: 'operation', part: [{ name: 'type', valueCode: 'replace' }, { name: 'path', valueString: 'DocumentReference.status' }, { name: 'value', valueCode: 'superseded' }] }] },
      request: { method: 'PATCH', url: `DocumentReference/${ORIGINAL}` },
    });
    return b;
  }

  it('maps relatesTo replaces to an RPLC association to the registered document', () => {
    const plan = mhd.provideBundle(replacing());
    const rplc = plan.submission.associations.filter((a) => a.type === AssociationType.Replace);
    assert.deepEqual(rplc.map((a) => [a.sourceId, a.targetId]), [[plan.submission.documents[0]!.entryUuid, `urn:uuid:${ORIGINAL}`]]);
    assertValid(plan.submission);
    const response = mhd.transactionResponse(plan, registeredIds(plan), { repositoryUniqueId: REPOSITORY_ID });
    assert.deepEqual(response.entry?.[3]?.response, { status: '200 OK', location: `DocumentReference/${ORIGINAL}` });
  });

  it('refuses a superseding PATCH that no relatesTo backs', () => {
    const b = replacing();
    delete b.entry[1].resource.relatesTo;
    assert.throws(() => mhd.provideBundle(b), (e: unknown) => e instanceof RegistryError && e.errors[0]?.location === 'Bundle.entry[3].request.url');
  });

  it('maps transforms + replaces of one target to XFRM_RPLC, and a target in the same Bundle by its fullUrl', () => {
    const b = replacing();
    b.entry.pop();
    // A second document (an addendum to the first), with its own Binary.
    const addendum = JSON.parse(JSON.stringify(b.entry[1]));
    const addendumBinary = JSON.parse(JSON.stringify(b.entry[2]));
    addendum.fullUrl = `urn:uuid:${randomUUID()}`;
    addendumBinary.fullUrl = `urn:uuid:${randomUUID()}`;
    addendum.resource.masterIdentifier.value = 'urn:oid:2.25.1234567890';
    addendum.resource.content[0].attachment.url = addendumBinary.fullUrl;
    addendum.resource.relatesTo = [{ code: 'appends', target: { reference: b.entry[1].fullUrl } }];
    b.entry[1].resource.relatesTo = [
      { code: 'replaces', target: { reference: `DocumentReference/${ORIGINAL}` } },
      { code: 'transforms', target: { reference: `DocumentReference/${ORIGINAL}` } },
    ];
    b.entry.push(addendum, addendumBinary);
    const plan = mhd.provideBundle(b);
    const rel = plan.submission.associations.filter((a) => a.type !== AssociationType.HasMember);
    assert.deepEqual(rel.map((a) => [a.type, a.sourceId, a.targetId]), [
      [AssociationType.TransformReplace, b.entry[1].fullUrl, `urn:uuid:${ORIGINAL}`],
      [AssociationType.Append, addendum.fullUrl, b.entry[1].fullUrl],
    ]);
    assert.deepEqual(plan.documents.map((d) => d.entryUuid), [b.entry[1].fullUrl, addendum.fullUrl]);
  });
});
