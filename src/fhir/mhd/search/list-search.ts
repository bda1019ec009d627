/**
 * ITI-66 Find Document Lists -> the registry's typed FindSubmissionSets / FindFolders (MHD 4.2 Tables
 * 2:3.66.4.1.3.1-1 and -2), or the Get… queries for `_id` / `identifier`.
 *
 * patient (or patient.identifier), code and status are required, as MHD requires them of
 * the Consumer; `code=submissionset,folder` searches both, SubmissionSets first. The
 * SubmissionSet-only parameters (source.given, source.family, sourceId) are ignored for
 * Folders, as MHD's Note 3 says. An identifier search may leave out code.
 */
import type { AvailabilityStatus, RegistryObject } from '../../../domain/metadata';
import type { FolderFilter, StoredQuery, SubmissionSetFilter } from '../../../domain/stored-queries';
import { ListTypes } from '../mapping';
import { authorPatterns } from './authors';
import { codeGroups } from './codes';
import type { SearchContext } from './context';
import { dateBounds } from './dates';
import { foldersByIds, submissionSetsByIds } from './id-lookup';
import { idSearchPlan, isIdSearch } from './id-search';
import { searchedPatient } from './patient';
import { FilterDraft, type SearchPlan } from './plan';
import { groupsOf, singleGroup, type ParsedSearch } from './query-params';
import { registryQuery } from './registry-reads';
import { invalidValue, notSupported, requireAll, requiredIssue, type SearchIssue } from './search-error';
import { LIST_STATUSES, searchedStatuses } from './statuses';
import { oidOfToken, parseToken, unescapeValue } from './values';

type ListKind = typeof ListTypes.submissionSet | typeof ListTypes.folder;
const KINDS: readonly ListKind[] = [ListTypes.submissionSet, ListTypes.folder];
const OBJECT_KIND: Record<ListKind, RegistryObject['kind']> = { submissionset: 'SubmissionSet', folder: 'Folder' };

function kindOf(escaped: string): ListKind {
  const { system, code } = parseToken(escaped);
  if (system && system !== ListTypes.system) throw invalidValue('code', `system ${system} is not ${ListTypes.system}`);
  const kind = KINDS.find((k) => k === code);
  if (!kind) throw invalidValue('code', `"${code}" is not an MHD List type (submissionset, folder)`);
  return kind;
}

/** The List types every occurrence of `code` allows; undefined without `code`. */
function searchedKinds(search: ParsedSearch): ListKind[] | undefined {
  const groups = groupsOf(search, 'code');
  if (groups.length === 0) return undefined;
  const sets = groups.map((g) => new Set(g.values.map(kindOf)));
  return KINDS.filter((k) => sets.every((s) => s.has(k)));
}

function sourceIdOf(escaped: string): string {
  const oid = oidOfToken(escaped);
  if (!oid) throw invalidValue('sourceId', `"${unescapeValue(escaped)}" is not a sourceId (urn:oid:<OID>)`);
  return oid;
}

interface Common {
  patient: string[];
  statuses: AvailabilityStatus[];
  warnings: SearchIssue[];
}

function submissionSetQuery(search: ParsedSearch, ctx: SearchContext, common: Common): StoredQuery | undefined {
  const draft = new FilterDraft<SubmissionSetFilter>();
  draft.anyOf('patientIds', common.patient);
  draft.anyOf('statuses', common.statuses);
  draft.within('submissionTime', dateBounds(groupsOf(search, 'date'), 'date'));
  const authors = authorPatterns(search, 'source.given', 'source.family');
  // The SubmissionSet author criterion is single-valued in ITI-18: one name, no OR list.
  if (authors && authors.length > 1) throw notSupported('source.family', 'one source name can be searched (the XDS SubmissionSet author parameter is single-valued)');
  draft.anyOf('authorPersons', authors);
  draft.anyOf('contentTypeCodes', codeGroups(search, 'designationType', false, ctx.terminology, common.warnings)?.[0]);
  draft.anyOf('sourceIds', singleGroup(search, 'sourceId')?.map(sourceIdOf));
  return draft.matchesNothing ? undefined : registryQuery('FindSubmissionSets', { submissionSets: draft.filter });
}

function folderQuery(search: ParsedSearch, ctx: SearchContext, common: Common): StoredQuery | undefined {
  const draft = new FilterDraft<FolderFilter>();
  draft.anyOf('patientIds', common.patient);
  draft.anyOf('statuses', common.statuses);
  draft.within('lastUpdateTime', dateBounds(groupsOf(search, 'date'), 'date'));
  draft.allOf('codes', codeGroups(search, 'designationType', true, ctx.terminology, common.warnings));
  return draft.matchesNothing ? undefined : registryQuery('FindFolders', { folders: draft.filter });
}

function findListsPlan(search: ParsedSearch, ctx: SearchContext): SearchPlan {
  const patient = searchedPatient(search, ctx);
  const kinds = searchedKinds(search);
  const statuses = searchedStatuses(groupsOf(search, 'status'), LIST_STATUSES);
  requireAll([
    [patient !== undefined, requiredIssue('patient', 'ITI-66 requires patient or patient.identifier')],
    [kinds !== undefined, requiredIssue('code', 'ITI-66 requires code (submissionset, folder)')],
    [statuses !== undefined, requiredIssue('status', 'ITI-66 requires status (current, retired)')],
  ]);
  const common: Common = { patient: patient!, statuses: statuses!, warnings: [] };
  const requests = kinds!.flatMap((kind) => (kind === ListTypes.submissionSet ? submissionSetQuery(search, ctx, common) : folderQuery(search, ctx, common)) ?? []);
  return requests.length ? { kind: 'find', warnings: common.warnings, requests } : { kind: 'none', warnings: common.warnings };
}

export function listSearchPlan(search: ParsedSearch, ctx: SearchContext): SearchPlan {
  if (!isIdSearch(search)) return findListsPlan(search, ctx);
  const kinds = searchedKinds(search) ?? KINDS;
  const wanted = new Set(kinds.map((k) => OBJECT_KIND[k]));
  return idSearchPlan(search, ctx, {
    statuses: LIST_STATUSES,
    also: { parameters: ['code'], keep: (o) => wanted.has(o.kind) },
    load: async (reader, criteria) => [
      ...(wanted.has('SubmissionSet') ? await submissionSetsByIds(reader, criteria) : []),
      ...(wanted.has('Folder') ? await foldersByIds(reader, criteria) : []),
    ],
  });
}
