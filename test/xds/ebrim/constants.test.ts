// The XDS metadata UUIDs: well-formed, distinct, and the ids derived for query results stable.
import assert from 'node:assert/strict';
import { DocumentEntryType } from '../../../src/domain/metadata';
import { DocumentEntryUuid, FolderUuid, SubmissionSetUuid } from '../../../src/xds/ebrim';
import { derivedUuid } from '../../../src/xds/ebrim/derived-id';

const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('ebRIM constants', () => {
  it('every XDS metadata UUID is a lower-case urn:uuid and none is used twice', () => {
    const all = [...Object.values(DocumentEntryUuid), ...Object.values(SubmissionSetUuid), ...Object.values(FolderUuid), ...Object.values(DocumentEntryType)];
    for (const uuid of all) assert.match(uuid, UUID_URN);
    assert.equal(new Set(all).size, all.length);
  });

  it('derives name-based version 5 UUIDs: the same for the same input, different otherwise', () => {
    const a = derivedUuid('urn:uuid:0d5f7b9e-3c44-4b7e-9a61-2f1f7c8e1a01', 'classCode#0');
    assert.match(a, UUID_URN);
    assert.equal(a[23], '5', 'version nibble');
    assert.ok('89ab'.includes(a[28]!), 'RFC 4122 variant');
    assert.equal(derivedUuid('urn:uuid:0d5f7b9e-3c44-4b7e-9a61-2f1f7c8e1a01', 'classCode#0'), a);
    assert.notEqual(derivedUuid('urn:uuid:0d5f7b9e-3c44-4b7e-9a61-2f1f7c8e1a01', 'classCode#1'), a);
    assert.notEqual(derivedUuid('urn:uuid:0d5f7b9e-3c44-4b7e-9a61-2f1f7c8e1a02', 'classCode#0'), a);
  });
});
