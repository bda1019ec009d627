/**
 * Reading a document of another community for a caller (ITI-68 or ITI-43 naming a remote
 * homeCommunityId): from the remote-document cache, or fetched into it first.
 *
 * Who may read it is decided on the remote document's metadata, as for a local one: the cached
 * copy keeps its patient; on a miss the document is first looked up in its community
 * (GetDocuments by uniqueId through the fan-out, under the caller's patient scope), which also
 * gives the hash and size the fetched bytes must match. A patient-context caller is answered for
 * another patient's remote document exactly as for one that does not exist.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { CommunityDirectory } from '../communities/community-directory';
import type { CommunityFanOut } from '../communities/fan-out';
import type { CallerIdentity } from '../communities/ports';
import type { RemoteRetrieval } from '../communities/remote-retrieve';
import { XdsErrorCode } from '../domain/error-codes';
import type { DocumentEntry } from '../domain/metadata';
import { reachesPatient, type Principal } from '../domain/principal';
import { RegistryError } from '../domain/registry-error';
import { StoredQueryId } from '../domain/stored-query-catalog';
import { StorageError } from '../storage-error';
import type { RemoteDocumentKey } from './ports';
import { RemoteDocumentError, type CachedRemoteDocument, type RemoteDocumentCache, type RemoteFetch } from './remote-document-cache';

export interface RemoteReadDeps {
  directory: CommunityDirectory;
  fanOut: CommunityFanOut;
  /** Streams documents from their community (ITI-39 or its MHD Binary) under its circuit, and records the call. */
  retrieval: RemoteRetrieval;
  cache: RemoteDocumentCache;
}

/** The same answer as for a local document that does not exist (repository/repository-service.ts unknownDocument). */
function unknownDocument(key: RemoteDocumentKey): RegistryError {
  return RegistryError.of(XdsErrorCode.XDSDocumentUniqueIdError, `no document ${key.documentUniqueId} in repository ${key.repositoryUniqueId} of community ${key.homeCommunityId}`, key.documentUniqueId);
}

/** The remote document's registry entry, as visible to `principal`. */
async function remoteEntry(deps: RemoteReadDeps, key: RemoteDocumentKey, principal: Principal, identity: CallerIdentity): Promise<DocumentEntry> {
  const result = await deps.fanOut.query({
    requestId: randomUUID(),
    query: { name: 'GetDocuments', queryId: StoredQueryId.GetDocuments, returnType: 'LeafClass', metadataLevel: 1, documentIds: { by: 'uniqueId', values: [key.documentUniqueId] } },
    communities: [key.homeCommunityId],
    principal,
    identity,
  });
  const failed = result.errors.find((e) => e.code === XdsErrorCode.XDSUnavailableCommunity || e.code === XdsErrorCode.XDSUnknownCommunity);
  if (failed) throw RegistryError.of(failed.code, failed.context, failed.location);
  const entry = result.objects.find((o): o is DocumentEntry & { kind: 'DocumentEntry' } => o.kind === 'DocumentEntry' && o.uniqueId === key.documentUniqueId && (o.repositoryUniqueId ?? key.repositoryUniqueId) === key.repositoryUniqueId);
  if (!entry || !reachesPatient(principal, entry.patientId)) throw unknownDocument(key);
  return entry;
}

/** ITI-39 (or the remote MHD Binary) for one document, its bytes as they arrive. */
function fetcher(deps: RemoteReadDeps, key: RemoteDocumentKey, entry: DocumentEntry, principal: Principal, identity: CallerIdentity) {
  return async (): Promise<RemoteFetch> => {
    const outcome = await deps.retrieval.retrieve({ requestId: randomUUID(), homeCommunityId: key.homeCommunityId, documents: [key], principal, identity });
    const doc = outcome.documents.find((d) => d.documentUniqueId === key.documentUniqueId);
    if (!doc) {
      await outcome.dispose();
      throw outcome.errors.length ? new RegistryError(outcome.errors) : unknownDocument(key);
    }
    const body: Readable = doc.open();
    body.once('close', () => void outcome.dispose());
    return {
      body,
      mimeType: entry.mimeType || doc.mimeType,
      ...(entry.hash !== undefined ? { hash: entry.hash } : {}),
      ...(entry.size !== undefined ? { size: entry.size } : {}),
      ...(entry.version !== undefined ? { version: String(entry.version) } : {}),
      patientId: entry.patientId,
    };
  };
}

/** The remote document for `principal`, from the cache or fetched into it; RegistryError when unknown, not visible or unavailable. */
export async function readRemoteDocument(deps: RemoteReadDeps, key: RemoteDocumentKey, principal: Principal, identity: CallerIdentity = {}): Promise<CachedRemoteDocument> {
  if (!deps.directory.get(key.homeCommunityId)) throw RegistryError.of(XdsErrorCode.XDSUnknownCommunity, `community ${key.homeCommunityId} is not in this gateway's community directory`, key.homeCommunityId);
  const cached = await deps.cache.lookup(key);
  if (cached && (cached.patientId !== undefined || principal.patientId === undefined)) {
    if (!reachesPatient(principal, cached.patientId)) throw unknownDocument(key);
    return cached;
  }
  const entry = await remoteEntry(deps, key, principal, identity);
  try {
    return await deps.cache.read(key, fetcher(deps, key, entry, principal, identity), {
      ...(entry.hash !== undefined ? { hash: entry.hash } : {}),
      ...(entry.size !== undefined ? { size: entry.size } : {}),
    });
  } catch (err) {
    throw fetchFailure(err, key);
  }
}

/**
 * A fetch that failed on the way (the connection dropped, the body stalled) or brought bytes
 * that are not the document its metadata describes: the community did not deliver it, which
 * the caller hears as XDSUnavailableCommunity. The registry's answers and this gateway's own
 * storage failures keep their codes.
 */
function fetchFailure(err: unknown, key: RemoteDocumentKey): unknown {
  if (err instanceof RegistryError || err instanceof StorageError) return err;
  const why = err instanceof RemoteDocumentError ? err.message : `the document could not be read (${(err as Error).message})`;
  return RegistryError.of(XdsErrorCode.XDSUnavailableCommunity, `community ${key.homeCommunityId}: ${why}`, key.homeCommunityId);
}
