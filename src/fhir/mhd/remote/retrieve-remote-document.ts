/**
 * ITI-68 of another community's document: the URL this gateway wrote into the remote
 * DocumentReference it returned ([base]/Binary/{uniqueId}?repositoryUniqueId=…&homeCommunityId=…)
 * is answered from the remote-document cache, or fetched into it (ITI-39, or the community's
 * MHD Binary) and then streamed. Audited as the local ITI-68, with the community as a participant,
 * before the first byte goes out.
 */
import type Koa from 'koa';
import { Outcome } from '../../../audit/audit-input';
import type { AuditScope } from '../../../audit/audit-scope';
import { readRemoteDocument, type RemoteReadDeps } from '../../../remote-documents/remote-document-reader';
import { FhirHttpError } from '../../http/http-error';
import { principalOf } from '../../../security/request-caller';
import { respond } from '../document-response';
import { auditedCommunity } from './audited-community';

export interface RemoteDocumentParams {
  homeCommunityId: string;
  documentUniqueId: string;
  repositoryUniqueId: string | undefined;
}

export async function retrieveRemoteDocument(ctx: Koa.Context, deps: RemoteReadDeps, audit: AuditScope, params: RemoteDocumentParams): Promise<void> {
  const { homeCommunityId, documentUniqueId, repositoryUniqueId } = params;
  if (!repositoryUniqueId) throw FhirHttpError.of(400, 'required', 'repositoryUniqueId is required to read a document of another community');
  const community = deps.directory.get(homeCommunityId);
  audit.note({
    documents: [{ uniqueId: documentUniqueId, repositoryUniqueId, homeCommunityId }],
    ...(community ? { communities: [auditedCommunity(community)] } : {}),
  });
  const doc = await readRemoteDocument(deps, { homeCommunityId, repositoryUniqueId, documentUniqueId }, principalOf(ctx));
  await audit.perPatient([{ uniqueId: documentUniqueId, repositoryUniqueId, homeCommunityId, ...(doc.patientId !== undefined ? { patientId: doc.patientId } : {}) }], Outcome.Success, []);
  ctx.set('X-Cache', doc.hit ? 'HIT' : 'MISS');
  await respond(ctx, doc);
}
