/**
 * The bytes of the documents an ITI-65 Bundle provides, as streams for
 * provideAndRegister: a Binary's data or attachment.data, decoded piece by piece.
 *
 * An attachment.url outside the Bundle is refused. Fetching it would make the gateway an
 * HTTP client of whatever the sender names (SSRF: internal services, cloud metadata
 * endpoints, or a loopback port of this host), and MHD does not require a Document
 * Recipient to fetch. A safe fetch would need an allow-list of origins, redirect and
 * size limits and a timeout; until a deployment needs one, the sender includes the bytes.
 */
import { XdsErrorCode } from '../../domain/error-codes';
import { RegistryError, type RegistryErrorDetail } from '../../domain/registry-error';
import type { DocumentContent } from '../../repository/provide-and-register';
import type { ProvideBundlePlan } from './mapping';
import { base64Stream, bytesStream } from './base64';

export function documentContents(plan: ProvideBundlePlan): DocumentContent[] {
  const refused: RegistryErrorDetail[] = [];
  const contents: DocumentContent[] = [];
  for (const doc of plan.documents) {
    if (doc.content.kind === 'url') {
      refused.push({
        code: XdsErrorCode.XDSMissingDocument,
        severity: 'Error',
        context: `attachment.url ${doc.content.url} points outside the Bundle; this Document Recipient does not fetch external content, send the document as a Binary entry or in attachment.data`,
        location: doc.location,
      });
      continue;
    }
    contents.push({ entryUuid: doc.entryUuid, source: doc.content.kind === 'bytes' ? bytesStream(doc.content.bytes) : base64Stream(doc.content.data) });
  }
  if (refused.length > 0) throw new RegistryError(refused);
  return contents;
}
