/**
 * A typed stored query as the ITI-67 / ITI-66 search that asks another community's MHD server
 * the same: the queries and criteria an MHD search can express (MHD 4.2 Table 2:3.67.4.1.3.1-1
 * read backwards). A criterion it cannot express is refused rather than dropped, since
 * dropping it would return documents the query excludes.
 */
import { AvailabilityStatus } from '../../../domain/metadata';
import type { DocumentFilter, StoredQuery } from '../../../domain/stored-queries';
import { cxToIdentifier } from '../mapping/patient-ids';
import type { Terminology } from '../mapping/terminology';

export interface RemoteSearch {
  resourceType: 'DocumentReference' | 'List';
  params: Array<[string, string]>;
}

/** The query cannot be asked over MHD. */
export class NotExpressible extends Error {}

const URI_SYSTEM = 'urn:ietf:rfc:3986';
const DOCUMENT_STATUS: Partial<Record<AvailabilityStatus, string>> = { [AvailabilityStatus.Approved]: 'current', [AvailabilityStatus.Deprecated]: 'superseded' };
const LIST_STATUS: Partial<Record<AvailabilityStatus, string>> = { [AvailabilityStatus.Approved]: 'current', [AvailabilityStatus.Deprecated]: 'retired' };

function patientParam(patientIds: readonly string[] | undefined, terminology: Terminology): [string, string] {
  if (patientIds?.length !== 1) throw new NotExpressible('an MHD search names exactly one patient');
  const id = cxToIdentifier(patientIds[0]!, terminology);
  if (!id?.system) throw new NotExpressible(`patient ${patientIds[0]} has no FHIR identifier system`);
  return ['patient.identifier', `${id.system}|${id.value}`];
}

function statusParam(statuses: readonly AvailabilityStatus[] | undefined, table: Partial<Record<AvailabilityStatus, string>>): [string, string] {
  const codes = (statuses ?? [AvailabilityStatus.Approved]).map((s) => table[s] ?? '').filter(Boolean);
  if (codes.length === 0) throw new NotExpressible('no status an MHD search can name');
  return ['status', [...new Set(codes)].join(',')];
}

/** Criteria of the filter beyond patient, status and entry type: an MHD search of the remote could not apply them all the same way. */
function refuseOthers(filter: object, allowed: readonly string[]): void {
  const others = Object.entries(filter).filter(([k, v]) => !allowed.includes(k) && v !== undefined).map(([k]) => k);
  if (others.length > 0) throw new NotExpressible(`criteria not asked over MHD: ${others.join(', ')}`);
}

const identifierOf = (uniqueId: string) => `${URI_SYSTEM}|${/^[0-9.]+$/.test(uniqueId) ? `urn:oid:${uniqueId}` : uniqueId}`;

/** The ITI-67 search for documents by uniqueId (their masterIdentifier). */
export function documentsByUniqueId(uniqueIds: readonly string[]): RemoteSearch {
  return { resourceType: 'DocumentReference', params: [['identifier', uniqueIds.map(identifierOf).join(',')]] };
}

export function remoteSearchOf(query: StoredQuery, terminology: Terminology): RemoteSearch {
  switch (query.name) {
    case 'FindDocuments': {
      const d: DocumentFilter = query.documents;
      refuseOthers(d, ['patientIds', 'statuses', 'objectTypes']);
      return { resourceType: 'DocumentReference', params: [patientParam(d.patientIds, terminology), statusParam(d.statuses, DOCUMENT_STATUS)] };
    }
    case 'GetDocuments': {
      if (query.documentIds.by !== 'uniqueId') throw new NotExpressible('documents are asked over MHD by uniqueId only');
      return documentsByUniqueId(query.documentIds.values);
    }
    case 'FindSubmissionSets': {
      refuseOthers(query.submissionSets, ['patientIds', 'statuses']);
      return { resourceType: 'List', params: [patientParam(query.submissionSets.patientIds, terminology), ['code', 'submissionset'], statusParam(query.submissionSets.statuses, LIST_STATUS)] };
    }
    case 'FindFolders': {
      refuseOthers(query.folders, ['patientIds', 'statuses']);
      return { resourceType: 'List', params: [patientParam(query.folders.patientIds, terminology), ['code', 'folder'], statusParam(query.folders.statuses, LIST_STATUS)] };
    }
    default:
      throw new NotExpressible(`${query.name} is not asked over MHD`);
  }
}
