// The ITI-18 parameter value syntax, without a gateway.
import assert from 'node:assert/strict';
import { RegistryError } from '../../src/domain/registry-error';
import { codeValueToKey } from '../../src/xds/coded-values';
import { parseSlotValue, parseSlotValues } from '../../src/xds/slot-values';

describe('xds ITI-18 slot values', () => {
  it('reads quoted strings, numbers and lists', () => {
    assert.deepEqual(parseSlotValue('$p', "'7608139876^^^&1.2.3&ISO'"), ['7608139876^^^&1.2.3&ISO']);
    assert.deepEqual(parseSlotValue('$p', '20261101'), ['20261101']);
    assert.deepEqual(parseSlotValue('$p', "  ( 'a' ,'b',  'c' )  "), ['a', 'b', 'c']);
    assert.deepEqual(parseSlotValue('$p', "(20261101, '2')"), ['20261101', '2']);
    assert.deepEqual(parseSlotValue('$p', "('')"), ['']);
  });

  it('undoubles quotes and keeps everything else inside quotes as is', () => {
    assert.deepEqual(parseSlotValue('$p', "'O''Neill, (Dvořák)'"), ["O'Neill, (Dvořák)"]);
    assert.deepEqual(parseSlotValue('$p', "('%Nov''ák%')"), ["%Nov'ák%"]);
  });

  it('joins the Values of one Slot into one OR-group', () => {
    assert.deepEqual(parseSlotValues('$s', ["('a')", "('b','c')", "'d'"]), ['a', 'b', 'c', 'd']);
  });

  for (const bad of ['abc', "'abc", "('a'", "('a' 'b')", "('a',)", '()', "'a' 'b'", "'a')", '', '(', '1.', '- 1']) {
    it(`refuses ${JSON.stringify(bad)} with XDSRegistryError naming the parameter`, () => {
      assert.throws(() => parseSlotValue('$XDSDocumentEntryPatientId', bad), (err: unknown) => {
        assert.ok(err instanceof RegistryError);
        assert.equal(err.errors[0]!.code, 'XDSRegistryError');
        assert.equal(err.errors[0]!.location, '$XDSDocumentEntryPatientId');
        return true;
      });
    });
  }

  it('refuses a Slot without values', () => {
    assert.throws(() => parseSlotValues('$s', []), RegistryError);
  });

  it('reads coded values as CE (code^^scheme) and the ^^^ spelling', () => {
    const CLASS = '$XDSDocumentEntryClassCode';
    assert.equal(codeValueToKey('18842-5^^2.16.840.1.113883.6.1', CLASS), '18842-5^^^2.16.840.1.113883.6.1');
    assert.equal(codeValueToKey('18842-5^Propouštěcí zpráva^2.16.840.1.113883.6.1', CLASS), '18842-5^^^2.16.840.1.113883.6.1');
    assert.equal(codeValueToKey('18842-5^^^2.16.840.1.113883.6.1', CLASS), '18842-5^^^2.16.840.1.113883.6.1');
  });

  it('refuses a coded value without its coding scheme (or without a code): XDSRegistryError naming the parameter', () => {
    for (const value of ['a^^', 'a^^^', 'a', 'a^Display^', '^^2.16.840.1.113883.6.1']) {
      assert.throws(() => codeValueToKey(value, '$XDSDocumentEntryClassCode'), (err: unknown) => {
        assert.ok(err instanceof RegistryError, value);
        assert.equal(err.errors[0]!.code, 'XDSRegistryError');
        assert.equal(err.errors[0]!.location, '$XDSDocumentEntryClassCode');
        return true;
      });
    }
  });
});
