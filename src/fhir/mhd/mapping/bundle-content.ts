/**
 * Where the bytes of each provided document are (ITI-65): a Binary in the Bundle that
 * attachment.url points at (the MHD way), attachment.data (Simplified Publish style,
 * accepted too), or an absolute URL outside the Bundle that the front end must fetch.
 * Nothing is decoded or fetched here; the caller streams the bytes to the repository,
 * which checks them against hash and size.
 */
import { XdsErrorCode } from '../../../domain/error-codes';
import { base64BinarySteps } from '../../http/base64-binary';
import { decodedDocumentBytes } from '../../http/document-bytes';
import type { BundleIndex } from './bundle-index';
import type { Attachment, Binary } from './fhir-types';
import { at, type Problems } from './problems';
import { ofType } from './references';
import type { Steps } from './steps';

export type DocumentContentSource =
  | { kind: 'base64'; data: string; contentType?: string }
  /** Decoded already, by the body parser thread of a large body (http/document-bytes.ts). */
  | { kind: 'bytes'; bytes: Uint8Array; contentType?: string }
  | { kind: 'url'; url: string };

/** The document in `holder` (a Binary or an Attachment), decoded or as base64 text; undefined if it has none that is base64. */
function* contentOf(holder: Binary | Attachment): Steps<DocumentContentSource | undefined> {
  const contentType = typeof holder.contentType === 'string' ? { contentType: holder.contentType } : {};
  const bytes = decodedDocumentBytes(holder);
  if (bytes) return { kind: 'bytes', bytes, ...contentType };
  if (typeof holder.data !== 'string' || holder.data === '' || !(yield* base64BinarySteps(holder.data))) return undefined;
  return { kind: 'base64', data: holder.data, ...contentType };
}

export interface ContentLocation {
  content: DocumentContentSource;
  /** FHIR path of the element holding the bytes (or the URL). */
  location: string;
}

export interface LocatedContent {
  /** Undefined when the bytes cannot be had (the problem is reported). */
  found?: ContentLocation;
  /** Index of the Bundle entry attachment.url points at, usable or not, so it is not also reported as unclaimed. */
  targetEntry?: number;
}

/** Pauses within the base64 check of a large document (http/base64-binary.ts). */
export function* locateContent(attachment: Attachment, attachmentPath: string, bundle: BundleIndex, problems: Problems): Steps<LocatedContent> {
  const url = attachment.url;
  if (typeof url === 'string' && url !== '') {
    const target = bundle.find(url);
    if (target) {
      const targetEntry = target.index;
      const binary = ofType<Binary>(target.resource, 'Binary');
      const targetPath = `Bundle.entry[${target.index}].resource`;
      if (target.resource?.resourceType === 'Bundle') {
        problems.error(at(attachmentPath, 'url'), 'points at a FHIR Document; this recipient does not implement the ITI-65 FHIR Document Publish option', XdsErrorCode.FHIRDocumentNotSupported);
        return { targetEntry };
      }
      if (!binary) {
        problems.error(at(attachmentPath, 'url'), `points at a ${target.resource?.resourceType ?? 'empty entry'}, not a Binary`, XdsErrorCode.XDSMissingDocument);
        return { targetEntry };
      }
      const content = yield* contentOf(binary);
      if (!content) {
        problems.error(at(targetPath, 'data'), 'the Binary carries no base64 document content', XdsErrorCode.XDSMissingDocument);
        return { targetEntry };
      }
      return { found: { content, location: at(targetPath, 'data') }, targetEntry };
    }
    if (/^https?:\/\//.test(url)) return { found: { content: { kind: 'url', url }, location: at(attachmentPath, 'url') } };
    if (typeof attachment.data !== 'string') {
      problems.error(at(attachmentPath, 'url'), `${url} names no entry of the Bundle`, XdsErrorCode.XDSMissingDocument);
      return {};
    }
  }
  const content = yield* contentOf(attachment);
  if (content) return { found: { content, location: at(attachmentPath, 'data') } };
  if (attachment.data !== undefined) problems.error(at(attachmentPath, 'data'), 'is not base64', XdsErrorCode.XDSMissingDocument);
  // No url and no data: the requirement check has reported it already.
  return {};
}
