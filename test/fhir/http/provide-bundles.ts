// ITI-65 bodies with chosen documents: the comprehensive fixture reduced to List +
// DocumentReference + Binary, with fresh ids, a chosen patient and document bytes. Used by the
// heavy-input tests and the MHD benchmarks (bench/mhd-bundles.ts).
import { createHash, randomBytes } from 'node:crypto';
import { fixture, RID, withFreshIds, type Json } from './support';

const template: Json = (() => {
  const b = fixture('comprehensive-bundle.json');
  const folders = new Set(b.entry.filter((e: Json) => e.resource.resourceType === 'List' && e.resource.code?.coding?.[0]?.code === 'folder').map((e: Json) => e.fullUrl));
  b.entry = b.entry.filter((e: Json) => !folders.has(e.fullUrl));
  for (const e of b.entry) {
    if (e.resource.resourceType === 'List') e.resource.entry = (e.resource.entry ?? []).filter((i: Json) => !folders.has(i.item?.reference));
  }
  return b;
})();

/** A fresh one-document ITI-65 bundle (as an object) for the patient, carrying `content` as its Binary. */
export function provideBundleObject(rid: string, content: Buffer): Json {
  const b = withFreshIds(JSON.parse(JSON.stringify(template).replaceAll(RID, rid)));
  const doc = b.entry.find((e: Json) => e.resource.resourceType === 'DocumentReference').resource;
  const binary = b.entry.find((e: Json) => e.resource.resourceType === 'Binary').resource;
  binary.data = content.toString('base64');
  doc.content[0].attachment.size = content.length;
  doc.content[0].attachment.hash = createHash('sha1').update(content).digest('base64');
  return b;
}

/**
 * A fresh ITI-65 bundle of `documents` documents of `bytes` bytes each: the SubmissionSet
 * List and, per document, a DocumentReference and its Binary (1 + 2 x documents entries).
 */
export function manyDocumentsBundle(rid: string, documents: number, bytes: number): Json {
  const content = documentOf(bytes);
  const bundles = Array.from({ length: documents }, () => provideBundleObject(rid, content));
  const bundle = bundles[0]!;
  const [submissionSet] = bundle.entry; // the template's order: SubmissionSet List, DocumentReference, Binary
  const pairs = bundles.flatMap((b) => b.entry.slice(1));
  submissionSet.resource.entry = pairs.filter((e: Json) => e.resource.resourceType === 'DocumentReference').map((e: Json) => ({ item: { reference: e.fullUrl } }));
  bundle.entry = [submissionSet, ...pairs];
  return bundle;
}

export function documentOf(bytes: number): Buffer {
  return randomBytes(bytes);
}
