import assert from 'node:assert/strict';
import { buildEnvelope, parseEnvelope } from '../../src/soap/envelope';
import { parseMediaType } from '../../src/soap/mime-headers';
import { readSoapMessage } from '../../src/soap/mtom';
import { newContentId, writeMtom, writePlain, xopInclude, type OutboundAttachment } from '../../src/soap/mtom-writer';
import { NS } from '../../src/soap/namespaces';
import { el, elementChildren } from '../../src/soap/xml-dom';
import { bytes, inChunksOf, readAll } from './helpers';

function retrieveResponse(attachments: { contentId: string; mimeType: string }[]) {
  return buildEnvelope({
    body: [el('urn:ihe:iti:xds-b:2007', 'xdsb:RetrieveDocumentSetResponse', {},
      ...attachments.map((a) => el('urn:ihe:iti:xds-b:2007', 'xdsb:DocumentResponse', {},
        el('urn:ihe:iti:xds-b:2007', 'xdsb:mimeType', {}, a.mimeType),
        el('urn:ihe:iti:xds-b:2007', 'xdsb:Document', {}, xopInclude(a.contentId))))),
    ],
  });
}

describe('outbound MTOM', () => {
  it('round-trips through the inbound parser: buffer, stream and lazily opened attachments, odd Content-IDs', async () => {
    const docs = [bytes(10_000, 11), bytes(1, 12), bytes(100_000, 13)];
    const ids = [newContentId(), 'weird/with+chars%=;@example.org', newContentId()];
    const attachments: OutboundAttachment[] = [
      { contentId: ids[0]!, contentType: 'application/pdf', content: docs[0]! },
      { contentId: ids[1]!, contentType: 'text/plain; charset=UTF-8', content: inChunksOf(docs[1]!, 1) },
      { contentId: ids[2]!, contentType: 'application/dicom', content: () => inChunksOf(docs[2]!, 4096) },
    ];
    const out = writeMtom(retrieveResponse(ids.map((contentId) => ({ contentId, mimeType: 'x/y' }))), attachments);
    const type = parseMediaType(out.contentType);
    assert.equal(type.essence, 'multipart/related');
    assert.equal(type.params.get('type'), 'application/xop+xml');
    assert.equal(type.params.get('start-info'), 'application/soap+xml');
    assert.match(type.params.get('start')!, /^<root\..+@hie-gateway>$/);

    const wire = await readAll(out.body);
    for (const chunk of [1, 7, 1000]) {
      const msg = await readSoapMessage(inChunksOf(wire, chunk), out.contentType);
      try {
        const responses = elementChildren(parseEnvelope(msg.document).bodyElements[0]!);
        for (const [i, r] of responses.entries()) {
          const doc = elementChildren(r).find((e) => e.localName === 'Document')!;
          const content = msg.binary(doc);
          assert.equal(content.kind === 'attachment' && content.contentId, ids[i]);
          assert.ok((await readAll(content.open())).equals(docs[i]!), `document ${i}, chunk ${chunk}`);
        }
      } finally {
        await msg.dispose();
      }
    }
  });

  it('opens attachments only when the writer reaches them', async () => {
    const opened: number[] = [];
    const attachments: OutboundAttachment[] = [0, 1, 2].map((i) => ({
      contentId: `${i}@x`,
      contentType: 'application/octet-stream',
      content: () => {
        opened.push(i);
        return inChunksOf(bytes(50_000, i), 1000);
      },
    }));
    const body = writeMtom(retrieveResponse([]), attachments).body;
    const it = body[Symbol.asyncIterator]();
    await it.next();
    assert.ok(opened.length <= 1, `opened ${opened.join(',')} after the first chunk`);
    for (let r = await it.next(); !r.done; r = await it.next());
    assert.deepEqual(opened, [0, 1, 2]);
  });

  it('releases the attachment being sent and those not reached when the receiver goes away', async () => {
    const streams = [0, 1, 2].map((i) => inChunksOf(bytes(100_000, i), 1000));
    const body = writeMtom(retrieveResponse([]), streams.map((s, i) => ({ contentId: `${i}@x`, contentType: 'application/octet-stream', content: s }))).body;
    let seen = 0;
    for await (const chunk of body) {
      seen += (chunk as Buffer).length;
      if (seen > 150_000) break; // inside the second attachment
    }
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(streams.map((s) => s.destroyed), [true, true, true]);
  });

  it('refuses Content-IDs and types that could break out of a MIME header', () => {
    const env = retrieveResponse([]);
    const att = (contentId: string, contentType = 'application/pdf'): OutboundAttachment[] => [{ contentId, contentType, content: Buffer.alloc(1) }];
    assert.throws(() => writeMtom(env, att('a@x>\r\nX-Evil: 1')), TypeError);
    assert.throws(() => writeMtom(env, att('a b@x')), TypeError);
    assert.throws(() => writeMtom(env, att('a@x', 'application/pdf\r\nX-Evil: 1')), TypeError);
    assert.throws(() => writeMtom(env, att('a@x', 'not a type')), TypeError);
  });

  it('plain SOAP 1.2 body', async () => {
    const out = writePlain(buildEnvelope({ body: [el(NS.soap12, 'env:Fault', {})] }), { action: 'urn:a' });
    assert.equal(out.contentType, 'application/soap+xml; charset=UTF-8; action="urn:a"');
    assert.match((await readAll(out.body)).toString(), /^<\?xml version="1.0" encoding="UTF-8"\?><env:Envelope/);
  });

  it('uses a fresh random boundary of legal length for every message', () => {
    const a = parseMediaType(writeMtom('<x/>', []).contentType).params.get('boundary')!;
    const b = parseMediaType(writeMtom('<x/>', []).contentType).params.get('boundary')!;
    assert.notEqual(a, b);
    assert.ok(a.length >= 40 && a.length <= 70);
  });
});
