import assert from 'node:assert/strict';
import { parseXml } from '../../src/soap/safe-xml';
import { serializeXml } from '../../src/soap/xml-dom';
import { XmlSafetyError, type XmlSafetyCode } from '../../src/soap/xml-errors';
import { assertCode, fixture } from './helpers';

/** Each hostile input must be refused with the right code, and quickly (no expansion, no deep recursion). */
function refusedQuickly(input: string | Buffer, code: XmlSafetyCode, limits = {}, maxMs = 500): XmlSafetyError {
  const started = process.hrtime.bigint();
  let error: unknown;
  try {
    parseXml(input, limits);
  } catch (err) {
    error = err;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assertCode(error, XmlSafetyError, code);
  assert.ok(ms < maxMs, `took ${ms.toFixed(1)} ms`);
  return error as XmlSafetyError;
}

describe('safe XML parsing', () => {
  it('parses a well-formed envelope into a namespace-aware DOM', () => {
    const doc = parseXml(fixture('iti18-request.xml'));
    assert.equal(doc.documentElement!.localName, 'Envelope');
    assert.equal(doc.documentElement!.namespaceURI, 'http://www.w3.org/2003/05/soap-envelope');
  });

  it('accepts bytes with and without a UTF-8 byte order mark, and keeps non-ASCII text', () => {
    const xml = '<a>Lékařská zpráva</a>';
    assert.equal(parseXml(Buffer.from(xml)).documentElement!.textContent, 'Lékařská zpráva');
    assert.equal(parseXml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)])).documentElement!.textContent, 'Lékařská zpráva');
  });

  it('accepts a string that still starts with a byte order mark, and re-serialises a parsed document', () => {
    const doc = parseXml('\ufeff<?xml version="1.0" encoding="UTF-8"?><a b="1"><!-- c --></a>');
    assert.equal(serializeXml(doc), '<a b="1"><!-- c --></a>');
  });

  it('keeps U+2028 in text (XML 1.0 line-end rules, not xmldom\'s XML 1.1 default)', () => {
    assert.equal(parseXml('<a>x\u2028y\r\nz</a>').documentElement!.textContent, 'x\u2028y\nz');
  });

  describe('refuses DTDs before anything reads them', () => {
    it('an external entity pointing at /etc/passwd (XXE)', () => {
      const err = refusedQuickly(fixture('xxe-passwd.xml'), 'DTD_FORBIDDEN');
      assert.doesNotMatch(err.message, /root:/);
    });
    it('billion laughs', () => refusedQuickly(fixture('billion-laughs.xml'), 'DTD_FORBIDDEN'));
    it('a lower-case or internal-subset-only DOCTYPE, and stray declarations', () => {
      refusedQuickly('<!doctype a><a/>', 'DTD_FORBIDDEN');
      refusedQuickly('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', 'DTD_FORBIDDEN');
      refusedQuickly('<a><!ENTITY x "y"></a>', 'DTD_FORBIDDEN');
    });
    it('an undeclared entity reference (which a DTD would have had to define)', () => refusedQuickly('<a>&passwd;</a>', 'MALFORMED'));
  });

  describe('enforces limits', () => {
    it('100k levels of nesting stop at the depth limit', () => refusedQuickly('<a>'.repeat(100_000) + '</a>'.repeat(100_000), 'TOO_DEEP'));
    it('100k levels of unclosed nesting too', () => refusedQuickly('<a>'.repeat(100_000), 'TOO_DEEP'));
    it('a huge attribute count', () => {
      const attrs = Array.from({ length: 200_000 }, (_, i) => `a${i}="${i}"`).join(' ');
      refusedQuickly(`<a ${attrs}/>`, 'TOO_MANY_ATTRIBUTES');
    });
    it('namespace declarations count as attributes', () => {
      const decls = Array.from({ length: 300 }, (_, i) => `xmlns:p${i}="urn:x:${i}"`).join(' ');
      refusedQuickly(`<a ${decls}/>`, 'TOO_MANY_ATTRIBUTES');
    });
    it('element count', () => refusedQuickly(`<a>${'<b/>'.repeat(1001)}</a>`, 'TOO_MANY_ELEMENTS', { maxElements: 1000 }));
    it('byte size, for strings (UTF-8 length) and bytes', () => {
      refusedQuickly(`<a>${'é'.repeat(600)}</a>`, 'TOO_LARGE', { maxBytes: 1000 });
      refusedQuickly(Buffer.alloc(2000, 0x20), 'TOO_LARGE', { maxBytes: 1000 });
    });
    it('accepts a document right at the limits', () => {
      const doc = `<a>${'<b/>'.repeat(99)}</a>`;
      parseXml(doc, { maxElements: 100, maxBytes: Buffer.byteLength(doc), maxDepth: 2 });
    });
  });

  describe('reports malformed input as MALFORMED, never a partial tree', () => {
    const cases: Record<string, string> = {
      'truncated inside an element': '<a><b>text',
      'truncated inside an end tag': '<a><b>text</b',
      'truncated inside an attribute': '<a x="1',
      'truncated inside a start tag': '<a><b',
      'truncated inside a comment': '<a><!-- x',
      'truncated inside CDATA': '<a><![CDATA[x',
      'truncated after "<"': '<a><',
      'mismatched end tag': '<a><b></a></b>',
      'two roots': '<a/><b/>',
      'text after the root': '<a/>junk',
      'no root': '   ',
      'empty': '',
      'bare ampersand': '<a>a & b</a>',
      'bare less-than': '<a>1 < 2</a>',
      'unquoted attribute': '<a x=1/>',
      'attribute without value': '<a x/>',
      'duplicate attribute': '<a x="1" x="2"/>',
      'unbound prefix': '<p:a/>',
      'control character': '<a>\u0001</a>',
      'character reference to NUL': '<a>&#0;</a>',
      'lone surrogate': '<a>\ud800</a>',
      '"<" in an attribute value': '<a x="<"/>',
      'XML declaration not at the start': ' <?xml version="1.0"?><a/>',
    };
    for (const [name, xml] of Object.entries(cases)) it(name, () => refusedQuickly(xml, 'MALFORMED'));
  });

  it('refuses processing instructions only when asked to (SOAP forbids them)', () => {
    parseXml('<?xml-stylesheet href="x"?><a/>');
    refusedQuickly('<?xml-stylesheet href="x"?><a/>', 'PI_FORBIDDEN', { allowProcessingInstructions: false });
  });

  it('refuses what is not UTF-8', () => {
    refusedQuickly(Buffer.from([0x3c, 0x61, 0x3e, 0xe9, 0x3c, 0x2f, 0x61, 0x3e]), 'ENCODING'); // Latin-1 é
    refusedQuickly(Buffer.from('\ufeff<a/>', 'utf16le'), 'ENCODING');
    refusedQuickly(Buffer.from('<?xml version="1.0" encoding="ISO-8859-2"?><a/>'), 'ENCODING');
  });

  it('stays linear on a rare needle far away (no quadratic rescans)', () => {
    const xml = `<a>${'<b>x</b>'.repeat(150_000)}<c>&amp;</c></a>`;
    const started = Date.now();
    parseXml(xml, { maxElements: 200_000 });
    assert.ok(Date.now() - started < 5000);
  });
});
