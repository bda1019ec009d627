/**
 * The community port (communities/ports.ts) over MHD, for communities whose directory entry
 * gives an MHD server: a stored query becomes the ITI-67 / ITI-66 search that asks the same
 * (stored-query-params.ts), the resources found are read back into registry objects with the
 * mapping built on the remote's FHIR base (so its attachment URLs give repositoryUniqueId
 * and homeCommunityId), and a retrieve is an identifier search for the document's
 * attachment URL followed by ITI-68 on it, streamed.
 */
import type { Community } from '../../../communities/community';
import { CommunityCallError, type CallerIdentity, type CommunityTransport, type RemoteDocument, type RemoteDocumentRequest, type RemoteQueryAnswer, type RemoteRetrieveAnswer } from '../../../communities/ports';
import { XdsErrorCode } from '../../../domain/error-codes';
import type { RegistryObject } from '../../../domain/metadata';
import type { RegistryErrorDetail } from '../../../domain/registry-error';
import type { StoredQuery } from '../../../domain/stored-queries';
import type { MhdClient, SearchBundle } from '../../../remote-mhd/mhd-client';
import type { MhdMapping } from '../mapping';
import type { DocumentReference, List } from '../mapping/fhir-types';
import type { MappingsByBase } from '../../http/fhir-base';
import { documentsByUniqueId, NotExpressible, remoteSearchOf } from './stored-query-params';

/** A query MHD cannot ask is final; the client's failures are classified already. */
function callError(err: unknown): CommunityCallError {
  if (err instanceof CommunityCallError) return err;
  return new CommunityCallError((err as Error).message, !(err instanceof NotExpressible), { cause: err });
}

type Resource = NonNullable<NonNullable<SearchBundle['entry']>[number]['resource']>;

export class MhdTransport implements CommunityTransport {
  constructor(
    private readonly client: MhdClient,
    private readonly mappings: MappingsByBase,
  ) {}

  async query(community: Community, query: StoredQuery, _identity: CallerIdentity, signal: AbortSignal): Promise<RemoteQueryAnswer> {
    try {
      const mapping = this.mappings.get(community.mhd?.baseUrl.replace(/\/+$/, '') ?? '');
      const search = remoteSearchOf(query, mapping.terminology);
      const bundle = await this.client.search(community, search.resourceType, search.params, signal);
      const objects: RegistryObject[] = [];
      const errors: RegistryErrorDetail[] = [];
      for (const entry of bundle.entry ?? []) {
        if (entry.search?.mode === 'outcome' || !entry.resource) continue;
        try {
          const object = objectOf(entry.resource, mapping);
          if (object) objects.push({ ...object, homeCommunityId: object.homeCommunityId ?? community.homeCommunityId } as RegistryObject);
        } catch (err) {
          // One resource the mapping cannot read is left out, said so, and the rest still count.
          errors.push({ code: XdsErrorCode.XDSRegistryError, severity: 'Warning', context: `${entry.fullUrl ?? entry.resource.resourceType}: not readable as XDS metadata (${(err as Error).message.slice(0, 200)})`, location: community.homeCommunityId });
        }
      }
      const objectRefs = objects.map((o) => ({ id: o.entryUuid, homeCommunityId: community.homeCommunityId }));
      return { status: errors.length ? 'PartialSuccess' : 'Success', objects: query.returnType === 'ObjectRef' ? [] : objects, objectRefs, errors };
    } catch (err) {
      throw callError(err);
    }
  }

  async retrieve(community: Community, documents: readonly RemoteDocumentRequest[], _identity: CallerIdentity, signal: AbortSignal): Promise<RemoteRetrieveAnswer> {
    const found: RemoteDocument[] = [];
    const errors: RegistryErrorDetail[] = [];
    const opened: Array<{ destroy(): void }> = [];
    try {
      for (const doc of documents) {
        const located = await this.client.search(community, 'DocumentReference', documentsByUniqueId([doc.documentUniqueId]).params, signal);
        const url = (located.entry ?? []).map((e) => e.resource as unknown as DocumentReference | undefined).find((r) => r?.resourceType === 'DocumentReference')?.content?.[0]?.attachment?.url;
        if (!url) {
          errors.push({ code: XdsErrorCode.XDSDocumentUniqueIdError, severity: 'Error', context: `community ${community.homeCommunityId} has no document ${doc.documentUniqueId}`, location: doc.documentUniqueId });
          continue;
        }
        const binary = await this.client.readBinary(community, url, signal);
        opened.push(binary.body);
        found.push({ ...doc, mimeType: binary.mimeType, open: () => binary.body });
      }
    } catch (err) {
      for (const body of opened) body.destroy();
      throw callError(err);
    }
    return {
      status: errors.length === 0 ? 'Success' : found.length ? 'PartialSuccess' : 'Failure',
      documents: found,
      errors,
      dispose: async () => {
        for (const body of opened) body.destroy();
      },
    };
  }
}

function objectOf(resource: Resource, mapping: MhdMapping): RegistryObject | undefined {
  if (resource.resourceType === 'DocumentReference') {
    return { kind: 'DocumentEntry', ...mapping.documentEntry(resource as unknown as DocumentReference).entry } as RegistryObject;
  }
  if (resource.resourceType === 'List') {
    const list = resource as unknown as List;
    const isFolder = list.code?.coding?.some((c) => c.code === 'folder');
    return isFolder ? ({ kind: 'Folder', ...mapping.folder(list).value } as RegistryObject) : ({ kind: 'SubmissionSet', ...mapping.submissionSet(list).value } as RegistryObject);
  }
  return undefined;
}
