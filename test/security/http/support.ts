// Shared by the end-to-end security suites: documents published through the real front ends,
// and the answers to check.
import assert from 'node:assert/strict';
import { parseCx } from '../../../src/domain/hl7v2';
import { StoredQueryId } from '../../../src/domain/stored-queries';
import { errorCodes, faultOf, queryObjects, registryResult } from '../../xds/support/responses';
import { documentRequests, provideSingle, quoted, sendFixture, slot, storedQuery } from '../../xds/support/messages';
import type { SendOptions, SoapReply } from '../../xds/support/soap-client';
import { RID_SYSTEM, request, type Reply } from '../../fhir/http/support';

export const APPROVED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved';

export interface Published {
  patient: string;
  docUid: string;
}

/** ITI-41 of one document for `patient`, as the caller `opts` authenticates; asserts it succeeded. */
export async function publish(baseUrl: string, patient: string, opts: SendOptions = {}): Promise<Published> {
  const { reply, submitted } = await provideSingle(baseUrl, { patient }, opts);
  assert.equal(registryResult(reply).status, 'Success', JSON.stringify(registryResult(reply).errors));
  return { patient, docUid: submitted.docUid };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** GET …/DocumentReference?patient.identifier=<RID of the CX>&status=current */
export function searchDocuments(fhir: string, patient: string, headers: Record<string, string>): Promise<Reply> {
  const id = parseCx(patient)!.id;
  return request(`${fhir}/DocumentReference?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${id}`)}&status=current`, { headers: { accept: 'application/fhir+json', ...headers } });
}

/** ITI-18 FindDocuments for `patient`, approved documents, LeafClass. */
export function findDocuments(baseUrl: string, patient: string, opts: SendOptions = {}): Promise<SoapReply> {
  return storedQuery(baseUrl, StoredQueryId.FindDocuments, 'LeafClass', [slot('$XDSDocumentEntryPatientId', quoted(patient)), slot('$XDSDocumentEntryStatus', quoted(APPROVED))], 'ITI-18', opts);
}

/** ITI-43 of one document. */
export function retrieve(baseUrl: string, repositoryUniqueId: string, documentUniqueId: string, opts: SendOptions = {}): Promise<SoapReply> {
  return sendFixture(baseUrl, 'repository', 'iti43-retrieve-many.xml', { DOCUMENT_REQUESTS: documentRequests([{ repositoryUniqueId, documentUniqueId }]) }, opts);
}

/** The wsse: subcode of a SOAP fault reply. */
export function securityFaultCode(reply: SoapReply): string | undefined {
  return faultOf(reply).subcodes[0]?.local;
}

export { errorCodes, queryObjects, registryResult };
