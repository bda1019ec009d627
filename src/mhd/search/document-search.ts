/**
 * ITI-67 Find Document References -> ITI-18 FindDocuments / FindDocumentsByReferenceId
 * (MHD 4.2 Table 2:3.67.4.1.3.1-1), or GetDocuments for `_id` / `identifier`.
 *
 * - patient or patient.identifier, and status, are required (MHD: the Consumer shall send them);
 * - creation (and date, aligned with it) -> CreationTimeFrom/To;
 * - period: the time of service overlaps the searched range, so a lower bound applies to
 *   serviceStopTime (ServiceStopTimeFrom) and an upper bound to serviceStartTime
 *   (ServiceStartTimeTo);
 * - related -> ReferenceIdList, which makes it FindDocumentsByReferenceId;
 * - MHD offers no parameter for $XDSDocumentEntryType and describes On-Demand entries
 *   among the results, so both stable and on-demand entries are searched.
 */
import { DocumentEntryType } from '../../domain/metadata';
import { ENCOUNTER_ID_TYPE } from '../mapping/canonicals';
import { identifierToCxi } from '../mapping/cxi';
import { authorPatterns } from './authors';
import { codeGroups } from './codes';
import type { SearchContext } from './context';
import { dateBounds, intersectBounds } from './dates';
import { documentsByIds } from './id-lookup';
import { idSearchPlan, isIdSearch } from './id-search';
import { searchedPatient } from './patient';
import { QueryDraft, type SearchPlan } from './plan';
import { groupsOf, type ParsedSearch } from './query-params';
import { storedQuery } from './registry-reads';
import { requireAll, requiredIssue, type SearchIssue } from './search-error';
import { DOCUMENT_STATUSES, searchedStatuses } from './statuses';
import { parseToken } from './values';

const DE = '$XDSDocumentEntry';

/** Coded parameters; `andOr` where the XDS parameter takes AND groups (a repeated FHIR parameter). */
const CODED: ReadonlyArray<{ parameter: string; xds: string; andOr?: boolean }> = [
  { parameter: 'category', xds: `${DE}ClassCode` },
  { parameter: 'type', xds: `${DE}TypeCode` },
  { parameter: 'setting', xds: `${DE}PracticeSettingCode` },
  { parameter: 'facility', xds: `${DE}HealthcareFacilityTypeCode` },
  { parameter: 'format', xds: `${DE}FormatCode` },
  { parameter: 'event', xds: `${DE}EventCodeList`, andOr: true },
  { parameter: 'security-label', xds: `${DE}ConfidentialityCode`, andOr: true },
];

/**
 * CXi type codes of ITI TF-3 Table 4.2.3.1.7-2. A referenceIdList value is stored and
 * matched as the whole CXi, type code included, and a FHIR identifier token carries no
 * type, so a `related` value is searched with each standard type (and without one).
 */
const CXI_TYPES: ReadonlyArray<string | undefined> = [
  undefined,
  'urn:ihe:iti:xds:2013:uniqueId',
  'urn:ihe:iti:xds:2013:accession',
  'urn:ihe:iti:xds:2013:referral',
  'urn:ihe:iti:xds:2013:order',
  'urn:ihe:iti:xdw:2013:workflowInstanceId',
  ENCOUNTER_ID_TYPE,
];

function referenceIdValues(escaped: string, ctx: SearchContext): string[] {
  const { system, code } = parseToken(escaped);
  const identifier = { ...(system ? { system } : {}), value: code };
  return CXI_TYPES.flatMap((type) => identifierToCxi(identifier, ctx.terminology, type) ?? []);
}

function findDocumentsPlan(search: ParsedSearch, ctx: SearchContext): SearchPlan {
  const patient = searchedPatient(search, ctx);
  const statuses = searchedStatuses(groupsOf(search, 'status'), DOCUMENT_STATUSES);
  requireAll([
    [patient !== undefined, requiredIssue('patient', 'ITI-67 requires patient or patient.identifier')],
    [statuses !== undefined, requiredIssue('status', 'ITI-67 requires status (current, superseded)')],
  ]);
  const warnings: SearchIssue[] = [];
  const draft = new QueryDraft();
  draft.setList(`${DE}PatientId`, patient);
  draft.setList(`${DE}Status`, statuses);
  draft.setList(`${DE}Type`, [DocumentEntryType.Stable, DocumentEntryType.OnDemand]);
  for (const c of CODED) draft.set(c.xds, codeGroups(search, c.parameter, c.andOr ?? false, ctx.terminology, warnings));
  draft.setTime(`${DE}CreationTime`, intersectBounds(dateBounds(groupsOf(search, 'creation'), 'creation'), dateBounds(groupsOf(search, 'date'), 'date')));
  const period = dateBounds(groupsOf(search, 'period'), 'period');
  draft.setTime(`${DE}ServiceStopTime`, period.from !== undefined ? { from: period.from } : {});
  draft.setTime(`${DE}ServiceStartTime`, period.to !== undefined ? { to: period.to } : {});
  draft.setList(`${DE}AuthorPerson`, authorPatterns(search, 'author.given', 'author.family'));
  const related = groupsOf(search, 'related').map((g) => g.values.flatMap((v) => referenceIdValues(v, ctx)));
  if (related.length) draft.set(`${DE}ReferenceIdList`, related);

  if (draft.matchesNothing) return { kind: 'none', warnings };
  const queryName = related.length ? 'FindDocumentsByReferenceId' : 'FindDocuments';
  return { kind: 'find', warnings, requests: [storedQuery(queryName, draft.params)] };
}

export function documentSearchPlan(search: ParsedSearch, ctx: SearchContext): SearchPlan {
  if (isIdSearch(search)) {
    return idSearchPlan(search, ctx, { statuses: DOCUMENT_STATUSES, load: (reader, criteria) => documentsByIds(reader, criteria) });
  }
  return findDocumentsPlan(search, ctx);
}
