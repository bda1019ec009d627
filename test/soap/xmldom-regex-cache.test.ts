import assert from 'node:assert/strict';
import { parseXml } from '../../src/soap';
import { xmldomRegexCacheInstalled } from '../../src/soap/xmldom-regex-cache';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const grammar = require('@xmldom/xmldom/lib/grammar') as { reg: (...parts: (string | RegExp)[]) => RegExp; QName_group: RegExp; S_OPT: RegExp };

describe('soap: xmldom regular-expression cache', () => {
  it('is installed by the safe parser, so an xmldom upgrade that drops reg() is noticed here', () => {
    parseXml('<a/>');
    assert.ok(xmldomRegexCacheInstalled());
  });

  it('hands out one compiled expression per combination of parts', () => {
    const a = grammar.reg('^', grammar.QName_group, grammar.S_OPT, '$');
    const b = grammar.reg('^', grammar.QName_group, grammar.S_OPT, '$');
    assert.equal(a, b);
    assert.notEqual(grammar.reg('^', grammar.QName_group), a);
  });

  it('leaves parsing as it was: end tags are still matched against their start tags', () => {
    assert.equal(parseXml('<x:a xmlns:x="urn:x"><b>t</b></x:a>').documentElement?.localName, 'a');
    assert.throws(() => parseXml('<a><b></a></b>'));
  });
});
