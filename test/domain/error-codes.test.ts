import assert from 'node:assert/strict';
import {
  XDS_ERROR_CODES,
  XdsErrorCode,
  describeErrorCode,
  errorCodeInfo,
  errorCodesForTransaction,
  isXdsErrorCode,
} from '../../src/domain/error-codes';

describe('domain/error-codes', () => {
  const keys = Object.keys(XdsErrorCode) as (keyof typeof XdsErrorCode)[];

  it('every key equals its value (the code is its own name on the wire)', () => {
    for (const key of keys) assert.equal(XdsErrorCode[key], key);
  });

  it('has no duplicate values and the table rows match the keys one to one', () => {
    const values = Object.values(XdsErrorCode);
    assert.equal(new Set(values).size, values.length);
    assert.deepEqual(XDS_ERROR_CODES.map((i) => i.code).sort(), [...values].sort());
  });

  it('gives every code a one-line description, a source and at least one ITI transaction', () => {
    for (const info of XDS_ERROR_CODES) {
      assert.ok(info.description.length > 20, `${info.code}: description too short`);
      assert.ok(!info.description.includes('\n'), `${info.code}: description is not one line`);
      assert.equal(describeErrorCode(info.code), info.description);
      assert.ok(info.transactions.length > 0, `${info.code}: no transaction`);
      for (const t of info.transactions) assert.match(t, /^ITI-\d+$/, `${info.code}: ${t}`);
    }
  });

  it('holds the whole ITI TF-3 Table 4.2.4.1-2 (Rev. 19)', () => {
    const table = [
      'DocumentQueued', 'InvalidDocumentContent', 'PartialAppendContentNotProcessed',
      'PartialFolderContentNotProcessed', 'PartialRelationshipContentNotProcessed',
      'PartialReplaceContentNotProcessed', 'PartialTransformNotProcessed', 'PartialTransformReplaceNotProcessed',
      'UnresolvedReferenceException', 'XDSDocumentUniqueIdError', 'XDSDuplicateUniqueIdInRegistry',
      'XDSExtraMetadataNotSaved', 'XDSMissingDocument', 'XDSMissingDocumentMetadata', 'XDSMissingHomeCommunityId',
      'XDSNonIdenticalHash', 'XDSNonIdenticalSize', 'XDSPatientIdDoesNotMatch', 'XDSRegistryBusy',
      'XDSRepositoryBusy', 'XDSRegistryDeprecatedDocumentError', 'XDSRegistryDuplicateUniqueIdInMessage',
      'XDSRepositoryDuplicateUniqueIdInMessage', 'XDSRegistryError', 'XDSRepositoryError',
      'XDSRegistryMetadataError', 'XDSRepositoryMetadataError', 'XDSRegistryNotAvailable',
      'XDSRegistryOutOfResources', 'XDSRepositoryOutOfResources', 'XDSReplaceFailed', 'XDSResultNotSinglePatient',
      'XDSStoredQueryMissingParam', 'XDSStoredQueryParamNumber', 'XDSTooManyResults', 'XDSUnavailableCommunity',
      'XDSUnknownCommunity', 'XDSUnknownPatientId', 'XDSUnknownRepositoryId', 'XDSUnknownStoredQuery',
    ];
    for (const code of table) {
      assert.ok(isXdsErrorCode(code), `${code} missing`);
      assert.equal(errorCodeInfo(code)?.source, 'TF-3', code);
    }
    assert.equal(XDS_ERROR_CODES.filter((i) => i.source === 'TF-3').length, table.length);
  });

  it('holds the codes added by metadata update / removal, XCA, RMU and MHD', () => {
    const expected: [string, string][] = [
      ['XDSMetadataUpdateError', 'ITI-57'],
      ['XDSMetadataVersionError', 'ITI-57'],
      ['XDSMetadataUpdateOperationError', 'ITI-57'],
      ['XDSPatientIDReconciliationError', 'ITI-57'],
      ['UnresolvedReferenceException', 'ITI-62'],
      ['ReferencesExistException', 'ITI-62'],
      ['XDSUnknownCommunity', 'ITI-38'],
      ['XDSMissingHomeCommunityId', 'ITI-39'],
      ['XDSUnavailableCommunity', 'ITI-18'],
      ['XDSMetadataIdentifierError', 'ITI-92'],
      ['UnmodifiableMetadataError', 'ITI-92'],
      ['UnknownRecipient', 'ITI-65'],
      ['UnavailableRecipient', 'ITI-65'],
      ['FHIRDocumentNotSupported', 'ITI-65'],
      ['PartialTransformContentNotProcessed', 'ITI-65'],
    ];
    for (const [code, tx] of expected) {
      assert.ok(errorCodeInfo(code)?.transactions.includes(tx), `${code} should apply to ${tx}`);
      assert.ok(errorCodesForTransaction(tx).includes(code as XdsErrorCode), `${tx} should list ${code}`);
    }
  });

  it('keeps the keys existing code already uses', () => {
    assert.equal(XdsErrorCode.XDSRegistryMetadataError, 'XDSRegistryMetadataError');
    assert.equal(XdsErrorCode.XDSDuplicateUniqueIdInRegistry, 'XDSDuplicateUniqueIdInRegistry');
    assert.equal(XdsErrorCode.XDSRepositoryMetadataError, 'XDSRepositoryMetadataError');
  });

  it('does not invent codes', () => {
    for (const bogus of ['XDSStoredQueryParamType', 'XDSUnknownDocumentUniqueId', 'XDSSqlError', '']) {
      assert.equal(isXdsErrorCode(bogus), false, bogus);
      assert.equal(errorCodeInfo(bogus), undefined);
    }
    assert.match(describeErrorCode('PartnerSpecificError'), /PartnerSpecificError/);
  });

  it('marks XDSReplaceFailed as deprecated and nothing else', () => {
    assert.deepEqual(XDS_ERROR_CODES.filter((i) => i.deprecated).map((i) => i.code), ['XDSReplaceFailed']);
  });

  it('lists the stored-query codes for ITI-18', () => {
    const sq = errorCodesForTransaction('ITI-18');
    for (const code of ['XDSUnknownStoredQuery', 'XDSStoredQueryMissingParam', 'XDSStoredQueryParamNumber', 'XDSTooManyResults', 'XDSUnknownPatientId']) {
      assert.ok(sq.includes(code as XdsErrorCode), code);
    }
    assert.ok(!sq.includes('XDSMissingDocument'));
  });
});
