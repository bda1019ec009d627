/**
 * Retrieving documents from another community (ITI-39 through the transport), for any front
 * end: ITI-43 on the Initiating Gateway, ITI-68 routed by homeCommunityId. Unlike queries these
 * calls are not jobs: the bytes stream straight from the remote answer to the caller, which no
 * job result could carry. The community's circuit and health apply as for queries.
 *
 * A patient-context caller first has the community's registry say whose documents they are
 * (GetDocuments through the fan-out, which drops other patients' entries): a document it does
 * not list for that patient is answered like an unknown one and never fetched.
 */
import { XdsErrorCode } from '../domain/error-codes';
import type { Principal } from '../domain/principal';
import type { RegistryErrorDetail } from '../domain/registry-error';
import { StoredQueryId } from '../domain/stored-query-catalog';
import type { Community } from './community';
import { retrieveCallRecord, type CommunityAuditTrail } from './community-audit';
import type { CommunityDirectory } from './community-directory';
import type { CommunityHealth } from './community-health';
import type { CommunityFanOut } from './fan-out';
import { CommunityCallError, professionalOf, type CallerIdentity, type CommunityTransport, type RemoteDocument, type RemoteDocumentRequest } from './ports';

export interface RemoteRetrieveRequest {
  /** Unique per consumer request (its MessageID). */
  requestId: string;
  homeCommunityId: string;
  documents: readonly RemoteDocumentRequest[];
  principal: Principal;
  identity?: CallerIdentity;
}

export interface RemoteRetrieveOutcome {
  /** Documents that came back, their bytes streaming from the remote answer. */
  documents: RemoteDocument[];
  /** The remote RegistryErrors, or one error per document the community could not be asked for. */
  errors: RegistryErrorDetail[];
  /** Releases the remote answer once the documents are read (or abandoned). Idempotent. */
  dispose(): Promise<void>;
}

export interface RemoteRetrievalDeps {
  directory: CommunityDirectory;
  health: CommunityHealth;
  fanOut: CommunityFanOut;
  transport?: CommunityTransport;
  audit?: CommunityAuditTrail;
  onAuditError?: (err: unknown) => void;
}

const nothing = async (): Promise<void> => undefined;

function failedAll(request: RemoteRetrieveRequest, code: XdsErrorCode, context: string): RemoteRetrieveOutcome {
  return { documents: [], errors: [{ code, severity: 'Error', context, location: request.homeCommunityId }], dispose: nothing };
}

export class RemoteRetrieval {
  constructor(private readonly deps: RemoteRetrievalDeps) {}

  async retrieve(request: RemoteRetrieveRequest): Promise<RemoteRetrieveOutcome> {
    const id = request.homeCommunityId;
    const community = this.deps.directory.get(id);
    if (!community) return failedAll(request, XdsErrorCode.XDSUnknownCommunity, `community ${id} is not in this gateway's community directory`);
    const { visible, hidden } = await this.visibleTo(request);
    if ('errors' in visible) return { ...visible, dispose: nothing };
    const errors = hidden.map((d): RegistryErrorDetail => ({ code: XdsErrorCode.XDSDocumentUniqueIdError, severity: 'Error', context: `document ${d.documentUniqueId} is not known to community ${id}`, location: d.documentUniqueId }));
    if (visible.documents.length === 0) return { documents: [], errors, dispose: nothing };
    const outcome = await this.call(community, { ...request, documents: visible.documents });
    return { ...outcome, errors: [...errors, ...outcome.errors] };
  }

  private async call(community: Community, request: RemoteRetrieveRequest): Promise<RemoteRetrieveOutcome> {
    const id = community.homeCommunityId;
    const { health, transport } = this.deps;
    const documents = request.documents.map((d) => ({ uniqueId: d.documentUniqueId, repositoryUniqueId: d.repositoryUniqueId, homeCommunityId: id }));
    const patientId = request.principal.patientId;
    const finish = async (failure: string | undefined) => {
      await this.deps.audit?.record(retrieveCallRecord(community, documents, request.principal, patientId, failure)).catch((err: unknown) => this.deps.onAuditError?.(err));
    };
    if (!transport) return failedAll(request, XdsErrorCode.XDSUnavailableCommunity, `community ${id} cannot be called from this gateway process`);
    if (!health.tryAcquire(id)) {
      await finish('circuit open');
      return failedAll(request, XdsErrorCode.XDSUnavailableCommunity, `community ${id} did not answer: circuit open: the community failed repeatedly and is not asked until its cool-down ends`);
    }
    const started = Date.now();
    try {
      const answer = await transport.retrieve(community, request.documents, { ...request.identity, professional: professionalOf(request.principal) }, AbortSignal.timeout(community.timeoutMs));
      health.record(id, 'answered', Date.now() - started);
      await finish(undefined);
      let disposed: Promise<void> | undefined;
      return { documents: answer.documents, errors: answer.errors, dispose: () => (disposed ??= answer.dispose()) };
    } catch (err) {
      const reason = (err as Error).message;
      // A refusal (SOAP fault) is an answer: the community is up.
      health.record(id, err instanceof CommunityCallError && !err.transient ? 'answered' : 'unavailable', Date.now() - started, reason);
      await finish(reason);
      return failedAll(request, XdsErrorCode.XDSUnavailableCommunity, `community ${id} did not answer: ${reason}`);
    }
  }

  /** For a patient-context caller: which of the documents the community's registry lists for its patient. */
  private async visibleTo(request: RemoteRetrieveRequest): Promise<{ visible: { documents: readonly RemoteDocumentRequest[] } | { documents: []; errors: RegistryErrorDetail[] }; hidden: RemoteDocumentRequest[] }> {
    if (request.principal.patientId === undefined) return { visible: { documents: request.documents }, hidden: [] };
    const found = await this.deps.fanOut.query({
      requestId: `${request.requestId}:documents`,
      query: { name: 'GetDocuments', queryId: StoredQueryId.GetDocuments, returnType: 'LeafClass', metadataLevel: 1, documentIds: { by: 'uniqueId', values: request.documents.map((d) => d.documentUniqueId) } },
      communities: [request.homeCommunityId],
      principal: request.principal,
      ...(request.identity ? { identity: request.identity } : {}),
    });
    const failed = found.errors.filter((e) => e.code === XdsErrorCode.XDSUnavailableCommunity || e.code === XdsErrorCode.XDSUnknownCommunity);
    if (failed.length > 0) return { visible: { documents: [], errors: failed }, hidden: [] };
    const listed = new Set(found.objects.flatMap((o) => (o.kind === 'DocumentEntry' ? [o.uniqueId] : [])));
    return {
      visible: { documents: request.documents.filter((d) => listed.has(d.documentUniqueId)) },
      hidden: request.documents.filter((d) => !listed.has(d.documentUniqueId)),
    };
  }
}
