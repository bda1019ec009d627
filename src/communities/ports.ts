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
import type { Principal } from '../domain/principal';
import type { Community } from './community';

/** Who the caller is, as a transport that issues its own assertions for them (eHDSI) must state it. */
export type CallerProfessional = Pick<Principal, 'subject' | 'displayName' | 'organization' | 'role' | 'purposeOfUse' | 'emergency'>;

/** The principal's part a transport may state to the remote community (plain JSON). */
export function professionalOf(p: Principal): CallerProfessional {
  return {
    subject: p.subject,
    ...(p.displayName !== undefined ? { displayName: p.displayName } : {}),
    ...(p.organization ? { organization: p.organization } : {}),
    ...(p.role ? { role: p.role } : {}),
    ...(p.purposeOfUse ? { purposeOfUse: p.purposeOfUse } : {}),
    ...(p.emergency ? { emergency: true } : {}),
  };
}

/** The caller's identity as forwarded to the remote community (JSON: it travels in job payloads). */
export interface CallerIdentity {
  /** The caller's XUA assertion (saml:Assertion XML), forwarded when the community's auth is saml-forward. */
  samlAssertion?: string;
  /** The caller (set by the community core from the request's principal). */
  professional?: CallerProfessional;
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
