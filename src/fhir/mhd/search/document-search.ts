/**
 * ITI-67 Find Document References -> the registry's typed FindDocuments /
 * FindDocumentsByReferenceId query (MHD 4.2 Table 2:3.67.4.1.3.1-1), or GetDocuments for
 * `_id` / `identifier`.
 *
 * - patient or patient.identifier, and status, are required (MHD: the Consumer shall send them);
 * - creation (and date, aligned with it) -> creationTime;
 * - period: the time of service overlaps the searched range, so a lower bound applies to
 *   serviceStopTime (from) and an upper bound to serviceStartTime (to);
 * - related -> referenceIds, which makes it FindDocumentsByReferenceId;
 * - MHD offers no parameter for the DocumentEntry type and describes On-Demand entries
 *   among the results, so both stable and on-demand entries are searched.
 */
import { DocumentEntryType } from '../../../domain/metadata';
import type { DocumentFilter } from '../../../domain/stored-queries';
import { ENCOUNTER_ID_TYPE } from '../mapping/canonicals';
import { identifierToCxi } from '../mapping/cxi';
import { authorPatterns } from './authors';
import { codeGroups } from './codes';
import type { SearchContext } from './context';
import { dateBounds, intersectBounds } from './dates';
import { documentsByIds } from './id-lookup';
import { idSearchPlan, isIdSearch } from './id-search';
import { searchedPatient } from './patient';
import { FilterDraft, type SearchPlan } from './plan';
import { groupsOf, type ParsedSearch } from './query-params';
import { registryQuery } from './registry-reads';
import { requireAll, requiredIssue, type SearchIssue } from './search-error';
import { DOCUMENT_STATUSES, searchedStatuses } from './statuses';
import { parseToken } from './values';

type CodedCriterion = 'classCodes' | 'typeCodes' | 'practiceSettingCodes' | 'healthcareFacilityTypeCodes' | 'formatCodes';

/** Coded parameters and the criterion each sets; event and security-label take AND groups (a repeated FHIR parameter). */
const CODED: ReadonlyArray<{ parameter: string; criterion: CodedCriterion }> = [
  { parameter: 'category', criterion: 'classCodes' },
  { parameter: 'type', criterion: 'typeCodes' },
  { parameter: 'setting', criterion: 'practiceSettingCodes' },
  { parameter: 'facility', criterion: 'healthcareFacilityTypeCodes' },
  { parameter: 'format', criterion: 'formatCodes' },
];
const CODED_GROUPS: ReadonlyArray<{ parameter: string; criterion: 'eventCodes' | 'confidentialityCodes' }> = [
  { parameter: 'event', criterion: 'eventCodes' },
  { parameter: 'security-label', criterion: 'confidentialityCodes' },
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
  const draft = new FilterDraft<DocumentFilter>();
  draft.anyOf('patientIds', patient);
  draft.anyOf('statuses', statuses);
  draft.anyOf('objectTypes', [DocumentEntryType.Stable, DocumentEntryType.OnDemand]);
  for (const c of CODED) draft.anyOf(c.criterion, codeGroups(search, c.parameter, false, ctx.terminology, warnings)?.[0]);
  for (const c of CODED_GROUPS) draft.allOf(c.criterion, codeGroups(search, c.parameter, true, ctx.terminology, warnings));
  draft.within('creationTime', intersectBounds(dateBounds(groupsOf(search, 'creation'), 'creation'), dateBounds(groupsOf(search, 'date'), 'date')));
  const period = dateBounds(groupsOf(search, 'period'), 'period');
  draft.within('serviceStopTime', period.from !== undefined ? { from: period.from } : {});
  draft.within('serviceStartTime', period.to !== undefined ? { to: period.to } : {});
  draft.anyOf('authorPersons', authorPatterns(search, 'author.given', 'author.family'));
  const related = groupsOf(search, 'related').map((g) => g.values.flatMap((v) => referenceIdValues(v, ctx)));
  if (related.length) draft.allOf('referenceIds', related);

  if (draft.matchesNothing) return { kind: 'none', warnings };
  const documents = draft.filter as DocumentFilter;
  const query = related.length ? registryQuery('FindDocumentsByReferenceId', { documents }) : registryQuery('FindDocuments', { documents });
  return { kind: 'find', warnings, requests: [query] };
}

export function documentSearchPlan(search: ParsedSearch, ctx: SearchContext): SearchPlan {
  if (isIdSearch(search)) {
    return idSearchPlan(search, ctx, { statuses: DOCUMENT_STATUSES, load: (reader, criteria) => documentsByIds(reader, criteria) });
  }
  return findDocumentsPlan(search, ctx);
}
