// renderXml writes element specs as text without a DOM; it must mean exactly what the DOM
// route (buildDocument + serializeXml) means, and refuse what that route refuses.
import assert from 'node:assert/strict';
import { attr, buildDocument, el, elementChildren, NS, parseXml, serializeXml, xmlns, type XmlElementSpec } from '../../src/soap';
import { renderXml } from '../../src/soap/xml-render';
import type { Element } from '@xmldom/xmldom';

const RIM = 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0';
const Q = 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0';

/** Namespace-aware structure: {ns}local, attributes by {ns}local, children, text. */
function shape(e: Element): unknown {
  const attributes: Record<string, string> = {};
  for (let i = 0; i < e.attributes.length; i++) {
    const a = e.attributes.item(i)!;
    if (a.namespaceURI === NS.xmlns) continue;
    attributes[`{${a.namespaceURI ?? ''}}${a.localName}`] = a.value;
  }
  let text = '';
  for (let n = e.firstChild; n; n = n.nextSibling) if (n.nodeType === 3) text += (n as unknown as { data: string }).data;
  return { name: `{${e.namespaceURI ?? ''}}${e.localName}`, attributes, text, children: elementChildren(e).map(shape) };
}

const viaRender = (spec: XmlElementSpec) => shape(parseXml(renderXml(spec)).documentElement!);
const viaDom = (spec: XmlElementSpec) => shape(parseXml(serializeXml(buildDocument(spec))).documentElement!);

describe('renderXml', () => {
  it('means what the DOM route means: namespaces, prefixed attributes, nesting, text', () => {
    const spec = el(Q, 'query:AdhocQueryResponse', { status: 'ok', totalResultCount: 2 },
      el(RIM, 'rim:RegistryObjectList', {},
        el(RIM, 'rim:ExtrinsicObject', { id: 'urn:uuid:1', mimeType: 'text/plain' },
          el(RIM, 'rim:Name', {}, el(RIM, 'rim:LocalizedString', { value: 'Zpráva "A" & <B>', charset: 'UTF-8' }, attr(NS.xml, 'xml:lang', 'cs-CZ'))),
          el(NS.xop, 'xop:Include', { href: 'cid:a@b' }),
          'text with\na tab\tand ]]> and &amp;'),
        el(RIM, 'rim:ObjectRef', { id: 'urn:uuid:2' }, attr(NS.wsa, 'wsa:IsReferenceParameter', 'true'))));
    assert.deepEqual(viaRender(spec), viaDom(spec));
  });

  it('declares a prefix once, where it is first needed, and honours explicit declarations', () => {
    const xml = renderXml(el(NS.soap12, 'env:Envelope', {}, xmlns('wsa', NS.wsa), el(NS.soap12, 'env:Body', {}, el(RIM, 'rim:A', {}, el(RIM, 'rim:B', {})))));
    assert.equal(xml.match(/xmlns:env=/g)!.length, 1);
    assert.equal(xml.match(/xmlns:rim=/g)!.length, 1);
    assert.match(xml, /^<env:Envelope xmlns:wsa="http:\/\/www.w3.org\/2005\/08\/addressing" xmlns:env=/);
    assert.match(xml, /<rim:A xmlns:rim="[^"]+"><rim:B\/><\/rim:A>/);
  });

  it('keeps a carriage return, which a parser would otherwise fold into the line break', () => {
    const root = parseXml(renderXml(el(null, 'x', { a: 'a\r\nb' }, 'c\r\nd'))).documentElement!;
    assert.equal(root.getAttribute('a'), 'a\r\nb');
    assert.equal(root.textContent, 'c\r\nd');
  });

  it('a value can never become markup, and characters XML cannot carry are replaced', () => {
    const doc = parseXml(renderXml(el(null, 'x', { a: '"/><evil b="' }, '</x><evil/>', '\u0001')));
    const root = doc.documentElement!;
    assert.equal(elementChildren(root).length, 0);
    assert.equal(root.getAttribute('a'), '"/><evil b="');
    assert.equal(root.textContent, '</x><evil/>\uFFFD');
  });

  it('refuses names that are no QNames and contradictory or missing namespaces', () => {
    assert.throws(() => renderXml(el(null, 'bad name', {})), /qualified name/);
    assert.throws(() => renderXml(el(null, 'x', { 'a b': '1' })), /qualified name/);
    assert.throws(() => renderXml(el(null, 'p:x', {})), /prefix but no namespace/);
    assert.throws(() => renderXml(el(RIM, 'rim:x', {}, xmlns('rim', Q))), /declared twice|already bound/);
    assert.throws(() => renderXml(el(RIM, 'rim:x', {}, attr(Q, 'rim:y', '1'))), /already bound/);
    assert.throws(() => renderXml(el(RIM, 'xml:x', {})), /xml prefix/);
  });

  it('copies DOM nodes with the declarations they need', () => {
    const header = parseXml('<t:Ticket xmlns:t="urn:example:ticket" n="1">CZ-4711</t:Ticket>').documentElement!;
    const spec = el(NS.soap12, 'env:Header', {}, header);
    assert.deepEqual(viaRender(spec), viaDom(spec));
  });
});
