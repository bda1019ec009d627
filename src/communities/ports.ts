/**
 * What the community core needs from a protocol: a transport that asks one remote community
 * (XCA ITI-38/39 in src/xca/initiating-gateway; an MHD transport may implement the same port).
 * Transports classify their failures (CommunityCallError.transient) so the core retries only
 * what a retry can fix.
 */
import type { Readable } from 'node:stream';
import type { RegistryObject } from '../domain/metadata';
import type { RegistryErrorDetail } from '../domain/registry-error';
import type { StoredQuery } from '../domain/stored-queries';
import type { ResponseStatus } from '../domain/submission';
import type { Community } from './community';

/** The caller's identity as forwarded to the remote community (JSON: it travels in job payloads). */
export interface CallerIdentity {
  /** The caller's XUA assertion (saml:Assertion XML), forwarded when the community's auth is saml-forward. */
  samlAssertion?: string;
}

export interface RemoteObjectRef {
  id: string;
  homeCommunityId?: string;
}

/** A remote registry's answer to a stored query (JSON: job results cross Redis). */
export interface RemoteQueryAnswer {
  status: ResponseStatus;
  objects: RegistryObject[];
  objectRefs: RemoteObjectRef[];
  /** The remote RegistryErrorList (errors and warnings). */
  errors: RegistryErrorDetail[];
}

export interface RemoteDocumentRequest {
  homeCommunityId: string;
  repositoryUniqueId: string;
  documentUniqueId: string;
}

export interface RemoteDocument extends RemoteDocumentRequest {
  mimeType: string;
  /** The document's bytes as they arrive (not buffered); open once. */
  open(): Readable;
}

export interface RemoteRetrieveAnswer {
  status: ResponseStatus;
  documents: RemoteDocument[];
  errors: RegistryErrorDetail[];
  /** Releases the response (the rest of the body, spool files); call when done with the documents. */
  dispose(): Promise<void>;
}

export interface CommunityTransport {
  /** @throws CommunityCallError */
  query(community: Community, query: StoredQuery, identity: CallerIdentity, signal: AbortSignal): Promise<RemoteQueryAnswer>;
  /** @throws CommunityCallError */
  retrieve(community: Community, documents: readonly RemoteDocumentRequest[], identity: CallerIdentity, signal: AbortSignal): Promise<RemoteRetrieveAnswer>;
}

/**
 * A call that got no usable answer. `transient`: connection refused or reset, HTTP 503, timeout
 * (a retry may succeed); otherwise the community answered and refused (SOAP fault, HTTP error,
 * a reply that is no answer), which a retry would only repeat.
 */
export class CommunityCallError extends Error {
  constructor(message: string, readonly transient: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommunityCallError';
  }
}
