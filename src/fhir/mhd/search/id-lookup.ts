/**
 * Registry objects named by identifier: `_id` (the entryUUID without urn:uuid:, as the
 * mapping writes resource ids), `identifier` (the entryUUID identifier or the uniqueId,
 * DocumentReference.masterIdentifier / List.identifier) and reads by id.
 *
 * Lookups by entryUUID return exactly that object, any version ($MetadataLevel 2); lookups
 * by uniqueId return its newest version, as ITI-18 does.
 */
import { DocumentEntryType, type RegistryObject } from '../../../domain/metadata';
import type { IdSelector, StoredQuery } from '../../../domain/stored-queries';
import { URI_SYSTEM } from '../mapping/canonicals';
import type { Terminology } from '../mapping';
import { identifierToUniqueId } from '../mapping/unique-ids';
import { isUuid, isUuidUrn } from '../../../domain/uuid';
import type { ParsedSearch } from './query-params';
import { groupsOf } from './query-params';
import { registryQuery, type RegistryReader } from './registry-reads';
import { parseToken, unescapeValue } from './values';

/** The objects one parameter occurrence names: any of these entryUUIDs or uniqueIds. */
export interface IdCriteria {
  entryUuids: string[];
  uniqueIds: string[];
}

export function entryUuidOfId(id: string): string | undefined {
  return isUuid(id) ? `urn:uuid:${id.toLowerCase()}` : undefined;
}

/**
 * An identifier token as entryUUID and/or uniqueId. `urn:ietf:rfc:3986|urn:uuid:X` may be
 * either (the mapping writes a urn:uuid: uniqueId as its 2.25 OID), so both are tried;
 * a value without system that is no URN is taken as a uniqueId as XDS spells it.
 */
function identifierCriteria(escaped: string, terminology: Terminology): IdCriteria {
  const { system, code } = parseToken(escaped);
  const uriSystem = !system || system === URI_SYSTEM;
  const entryUuids = uriSystem && isUuidUrn(code) ? [code.toLowerCase()] : [];
  const unique = identifierToUniqueId({ ...(system ? { system } : {}), value: code }, (uri) => terminology.identifierSystemOid(uri));
  const uniqueIds = unique.ok ? [unique.value] : !system && !code.startsWith('urn:') ? [code] : [];
  return { entryUuids, uniqueIds };
}

/** One criteria per occurrence of `_id` or `identifier`; every one must hold (AND). */
export function idCriteria(search: ParsedSearch, terminology: Terminology): IdCriteria[] {
  const ids = groupsOf(search, '_id').map((g) => ({
    entryUuids: g.values.flatMap((v) => entryUuidOfId(unescapeValue(v)) ?? []),
    uniqueIds: [],
  }));
  const identifiers = groupsOf(search, 'identifier').map((g) => {
    const parts = g.values.map((v) => identifierCriteria(v, terminology));
    return { entryUuids: parts.flatMap((p) => p.entryUuids), uniqueIds: parts.flatMap((p) => p.uniqueIds) };
  });
  return [...ids, ...identifiers];
}

export function mergeCriteria(list: readonly IdCriteria[]): IdCriteria {
  return {
    entryUuids: [...new Set(list.flatMap((c) => c.entryUuids))],
    uniqueIds: [...new Set(list.flatMap((c) => c.uniqueIds))],
  };
}

export function matchesCriteria(object: RegistryObject, c: IdCriteria): boolean {
  return c.entryUuids.includes(object.entryUuid) || ('uniqueId' in object && c.uniqueIds.includes(object.uniqueId));
}

function unique<T extends RegistryObject>(objects: T[]): T[] {
  const seen = new Set<string>();
  return objects.filter((o) => (seen.has(o.entryUuid) ? false : (seen.add(o.entryUuid), true)));
}

/** A Get… query by entryUUID (any version) and one by uniqueId (newest version), merged. */
async function byEntryUuidOrUniqueId(reader: RegistryReader, c: IdCriteria, query: (ids: IdSelector, metadataLevel: 1 | 2) => StoredQuery): Promise<RegistryObject[]> {
  const queries: StoredQuery[] = [];
  if (c.entryUuids.length) queries.push(query({ by: 'entryUuid', values: c.entryUuids }, 2));
  if (c.uniqueIds.length) queries.push(query({ by: 'uniqueId', values: c.uniqueIds }, 1));
  const results = await Promise.all(queries.map((q) => reader.all(q)));
  return unique(results.flatMap((r) => r.objects));
}

export function documentsByIds(reader: RegistryReader, c: IdCriteria): Promise<RegistryObject[]> {
  return byEntryUuidOrUniqueId(reader, c, (documentIds, metadataLevel) => registryQuery('GetDocuments', { documentIds, metadataLevel }));
}

export function foldersByIds(reader: RegistryReader, c: IdCriteria): Promise<RegistryObject[]> {
  return byEntryUuidOrUniqueId(reader, c, (folderIds, metadataLevel) => registryQuery('GetFolders', { folderIds, metadataLevel }));
}

/**
 * No stored query returns SubmissionSets by their own id except
 * GetSubmissionSetAndContents, which names one set per query (GetSubmissionSets takes
 * member ids); so one query per identifier value, the contents dropped.
 */
export async function submissionSetsByIds(reader: RegistryReader, c: IdCriteria): Promise<RegistryObject[]> {
  const selectors: IdSelector[] = [
    ...c.entryUuids.map((id) => ({ by: 'entryUuid' as const, values: [id] })),
    ...c.uniqueIds.map((id) => ({ by: 'uniqueId' as const, values: [id] })),
  ];
  const documents = { objectTypes: [DocumentEntryType.Stable] };
  const results = await Promise.all(selectors.map((submissionSetId) => reader.all(registryQuery('GetSubmissionSetAndContents', { submissionSetId, documents }))));
  return unique(results.flatMap((r) => r.objects.filter((o) => o.kind === 'SubmissionSet')));
}
