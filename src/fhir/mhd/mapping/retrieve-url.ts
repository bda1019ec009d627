/**
 * The document URL written into DocumentReference.content.attachment.url, which the
 * Retrieve Document [ITI-68] route serves. IHE leaves the form to the Document Responder;
 * this gateway uses
 *
 *   {fhirBase}/Binary/{documentUniqueId}?repositoryUniqueId={oid}&homeCommunityId={urn:oid:…}
 *
 * - keyed by documentUniqueId + repositoryUniqueId, like ITI-43, because that pair names
 *   the bytes and survives metadata updates (an entryUUID changes with every version);
 * - homeCommunityId lets one responder front several communities (XCA) without a lookup;
 * - under Binary, where FHIR clients expect content, so GET with an Accept header works;
 * - every part percent-encoded: a uniqueId may carry `^extension`.
 * Only identifiers appear in it, nothing about the patient (ITI-67 security notes).
 */

export interface DocumentLocation {
  documentUniqueId: string;
  repositoryUniqueId?: string;
  homeCommunityId?: string;
}

function trimBase(base: string): string {
  return base.replace(/\/+$/, '');
}

export function retrieveUrl(fhirBase: string, doc: DocumentLocation): string {
  const query = new URLSearchParams();
  if (doc.repositoryUniqueId) query.set('repositoryUniqueId', doc.repositoryUniqueId);
  if (doc.homeCommunityId) query.set('homeCommunityId', doc.homeCommunityId);
  const q = query.toString();
  return `${trimBase(fhirBase)}/Binary/${encodeURIComponent(doc.documentUniqueId)}${q ? `?${q}` : ''}`;
}

/** The document a URL of this gateway names; undefined for any other URL. */
export function parseRetrieveUrl(fhirBase: string, url: string): DocumentLocation | undefined {
  const prefix = `${trimBase(fhirBase)}/Binary/`;
  if (!url.startsWith(prefix)) return undefined;
  const rest = url.slice(prefix.length);
  const q = rest.indexOf('?');
  const id = q < 0 ? rest : rest.slice(0, q);
  let documentUniqueId: string;
  try {
    documentUniqueId = decodeURIComponent(id);
  } catch {
    return undefined;
  }
  if (!documentUniqueId || documentUniqueId.includes('/')) return undefined;
  const query = new URLSearchParams(q < 0 ? '' : rest.slice(q + 1));
  const repositoryUniqueId = query.get('repositoryUniqueId');
  const homeCommunityId = query.get('homeCommunityId');
  return { documentUniqueId, ...(repositoryUniqueId ? { repositoryUniqueId } : {}), ...(homeCommunityId ? { homeCommunityId } : {}) };
}
