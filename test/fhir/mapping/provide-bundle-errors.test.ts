// Table-driven: the Comprehensive fixture with one element removed at a time must be
// refused with the XDS error code and the FHIR path of exactly that element.
import assert from 'node:assert/strict';
import { XdsErrorCode } from '../../../src/domain/error-codes';
import { RegistryError } from '../../../src/domain/registry-error';
import { Extensions } from '../../../src/fhir/mhd/mapping';
import { fixture, mhd } from './support';

const META = XdsErrorCode.XDSRegistryMetadataError;
const ORPHAN_BINARY: [string, string] = [XdsErrorCode.XDSMissingDocumentMetadata, 'Bundle.entry[2].resource'];

/** Deletes the element at a path such as `entry[1].resource.content[0].attachment.url` or `entry[0].resource.extension:sourceId`. */
function remove(root: Record<string, any>, path: string): void {
  const segments = path.split('.');
  let node: any = root;
  for (const segment of segments.slice(0, -1)) {
    const m = /^(\w+)(?:\[(\d+)\])?$/.exec(segment)!;
    node = m[2] === undefined ? node[m[1]!] : node[m[1]!][Number(m[2])];
  }
  const last = segments[segments.length - 1]!;
  const slice = /^extension:(\w+)$/.exec(last);
  const listed = /^(\w+)\[(\d+)\]$/.exec(last);
  if (slice) node.extension = node.extension.filter((e: { url: string }) => e.url !== (Extensions as Record<string, string>)[slice[1]!]);
  else if (listed) node[listed[1]!].splice(Number(listed[2]), 1);
  else delete node[last];
}

const DR = 'Bundle.entry[1].resource';
const SS = 'Bundle.entry[0].resource';
const FOLDER = 'Bundle.entry[3].resource';

const cases: Array<{ remove: string[]; expect: Array<[string, string]> }> = [
  // DocumentReference (Minimal requirements, then what Comprehensive adds)
  { remove: ['entry[1].resource.masterIdentifier'], expect: [[META, `${DR}.masterIdentifier`]] },
  { remove: ['entry[1].resource.status'], expect: [[META, `${DR}.status`]] },
  { remove: ['entry[1].resource.content'], expect: [[META, `${DR}.content`], ORPHAN_BINARY] },
  { remove: ['entry[1].resource.content[0].attachment'], expect: [[META, `${DR}.content[0].attachment`], ORPHAN_BINARY] },
  { remove: ['entry[1].resource.content[0].attachment.contentType'], expect: [[META, `${DR}.content[0].attachment.contentType`]] },
  { remove: ['entry[1].resource.content[0].attachment.url'], expect: [[META, `${DR}.content[0].attachment.url`], ORPHAN_BINARY] },
  { remove: ['entry[1].resource.type'], expect: [[META, `${DR}.type`]] },
  { remove: ['entry[1].resource.category'], expect: [[META, `${DR}.category`]] },
  { remove: ['entry[1].resource.subject'], expect: [[META, `${DR}.subject`]] },
  { remove: ['entry[1].resource.securityLabel'], expect: [[META, `${DR}.securityLabel`]] },
  { remove: ['entry[1].resource.content[0].attachment.language'], expect: [[META, `${DR}.content[0].attachment.language`]] },
  { remove: ['entry[1].resource.content[0].attachment.creation'], expect: [[META, `${DR}.content[0].attachment.creation`]] },
  { remove: ['entry[1].resource.content[0].format'], expect: [[META, `${DR}.content[0].format`]] },
  { remove: ['entry[1].resource.context'], expect: [[META, `${DR}.context`]] },
  { remove: ['entry[1].resource.context.facilityType'], expect: [[META, `${DR}.context.facilityType`]] },
  { remove: ['entry[1].resource.context.practiceSetting'], expect: [[META, `${DR}.context.practiceSetting`]] },
  { remove: ['entry[1].resource.context.sourcePatientInfo'], expect: [[META, `${DR}.context.sourcePatientInfo`]] },
  // SubmissionSet List
  { remove: ['entry[0].resource.identifier'], expect: [[META, `${SS}.identifier:uniqueId`]] },
  { remove: ['entry[0].resource.extension:sourceId'], expect: [[META, `${SS}.extension:sourceId`]] },
  { remove: ['entry[0].resource.date'], expect: [[META, `${SS}.date`]] },
  { remove: ['entry[0].resource.subject'], expect: [[META, `${SS}.subject`]] },
  { remove: ['entry[0].resource.extension:designationType'], expect: [[META, `${SS}.extension:designationType`]] },
  // Folder List
  { remove: ['entry[3].resource.identifier'], expect: [[META, `${FOLDER}.identifier:uniqueId`]] },
  { remove: ['entry[3].resource.subject'], expect: [[META, `${FOLDER}.subject`]] },
  { remove: ['entry[3].resource.title'], expect: [[META, `${FOLDER}.title`]] },
  { remove: ['entry[3].resource.extension:designationType'], expect: [[META, `${FOLDER}.extension:designationType`]] },
  // Document bytes
  { remove: ['entry[2].resource.data'], expect: [[XdsErrorCode.XDSMissingDocument, 'Bundle.entry[2].resource.data']] },
  { remove: ['entry[2]'], expect: [[XdsErrorCode.XDSMissingDocument, `${DR}.content[0].attachment.url`]] },
  // Bundle
  { remove: ['type'], expect: [[META, 'Bundle.type']] },
  { remove: ['meta', 'entry[0].resource.meta'], expect: [[META, 'Bundle.meta.profile']] },
  { remove: ['entry[0].request'], expect: [[META, 'Bundle.entry[0].request.method']] },
];

describe('mhd/mapping ITI-65 Comprehensive: each required element missing', () => {
  it('accepts the complete fixture', () => {
    assert.doesNotThrow(() => mhd.provideBundle(fixture('comprehensive-bundle.json')));
  });

  for (const c of cases) {
    it(`without ${c.remove.join(' and ')}: ${c.expect.map(([code, at]) => `${code} at ${at}`).join('; ')}`, () => {
      const bundle = fixture('comprehensive-bundle.json');
      for (const path of c.remove) remove(bundle, path);
      assert.throws(
        () => mhd.provideBundle(bundle),
        (e: unknown) => {
          assert.ok(e instanceof RegistryError, String(e));
          assert.deepEqual(e.errors.map((x) => [x.code, x.location]), c.expect, e.message);
          return true;
        },
      );
    });
  }

  it('collects the problems of several elements in one RegistryError', () => {
    const bundle = fixture('comprehensive-bundle.json');
    for (const path of ['entry[1].resource.type', 'entry[0].resource.date', 'entry[3].resource.title']) remove(bundle, path);
    assert.throws(
      () => mhd.provideBundle(bundle),
      (e: unknown) => e instanceof RegistryError && e.errors.length === 3,
    );
  });

  it('refuses a FHIR Document in place of a Binary with FHIRDocumentNotSupported', () => {
    const bundle = fixture('comprehensive-bundle.json');
    bundle.entry[2].resource = { resourceType: 'Bundle', type: 'document', entry: [] };
    assert.throws(
      () => mhd.provideBundle(bundle),
      (e: unknown) => e instanceof RegistryError && e.errors.some((x) => x.code === XdsErrorCode.FHIRDocumentNotSupported),
    );
  });

  it('refuses a Bundle without exactly one SubmissionSet and anything that is not a Bundle', () => {
    const bundle = fixture('comprehensive-bundle.json');
    bundle.entry.splice(0, 1);
    assert.throws(() => mhd.provideBundle(bundle), (e: unknown) => e instanceof RegistryError && e.errors.some((x) => x.location === 'Bundle.entry'));
    assert.throws(() => mhd.provideBundle({ resourceType: 'DocumentReference' }), RegistryError);
    assert.throws(() => mhd.provideBundle('nonsense'), RegistryError);
  });
});
