/**
 * The rules of the registry's one query engine, on the typed StoredQuery every front end builds
 * (MHD from FHIR search parameters, XDS from the AdhocQuery slots it reads itself): checked here
 * against the query's parameter table (required criteria, one patient where the query takes
 * one, the default DocumentEntry type), so no front end can skip them. No I/O here.
 */
import { XdsErrorCode } from './error-codes';
import { normalizeCx } from './hl7v2';
import { DocumentEntryType, RELATIONSHIP_TYPES } from './metadata';
import { RegistryError } from './registry-error';
import type { DocumentFilter, StoredQuery } from './stored-queries';
import { StoredQueryId, querySpecById, type ParamSpec } from './stored-query-catalog';

function fail(code: XdsErrorCode, context: string, location?: string): never {
  throw RegistryError.of(code, context, location);
}

/** The value at a dotted path of the typed query (a parameter's `target`). */
function valueAt(query: StoredQuery, path: string): unknown {
  let node: unknown = query;
  for (const key of path.split('.')) node = node === null || typeof node !== 'object' ? undefined : (node as Record<string, unknown>)[key];
  return node;
}

const given = (value: unknown): boolean => value !== undefined && !(Array.isArray(value) && value.length === 0);

function targets(p: ParamSpec): string[] {
  return Array.isArray(p.target) ? p.target : [p.target];
}

/** Patient identifiers in the registry's CX form; one that is no CX is refused as the request's error. */
function normalisedPatients<F extends { patientIds?: string[] }>(filter: F | undefined): F | undefined {
  if (!filter?.patientIds) return filter;
  const patientIds = filter.patientIds.map((id) => normalizeCx(id.trim()) ?? fail(XdsErrorCode.XDSRegistryError, `'${id}' is not a patient identifier of the form id^^^&OID&ISO`));
  return { ...filter, patientIds };
}

/**
 * Checks a typed query against its query's rules and returns it normalised.
 * @throws RegistryError XDSUnknownStoredQuery, XDSStoredQueryMissingParam, XDSStoredQueryParamNumber, XDSRegistryError
 */
export function checkStoredQuery(query: StoredQuery): StoredQuery {
  const spec = querySpecById(StoredQueryId[query.name] ?? '');
  if (!spec) fail(XdsErrorCode.XDSUnknownStoredQuery, `Unknown stored query ${String(query.name)}`);
  for (const p of spec.params) {
    const values = targets(p).map((path) => valueAt(query, path));
    if (p.required && !values.every(given)) fail(XdsErrorCode.XDSStoredQueryMissingParam, `${spec.name} requires ${p.name}`, p.name);
    if (p.asList && values.some((v) => Array.isArray(v) && v.length > 1)) fail(XdsErrorCode.XDSStoredQueryParamNumber, `${p.name} accepts a single value`, p.name);
  }
  const byName = new Map(spec.params.map((p) => [p.name, p]));
  if (spec.atLeastOneOf && !spec.atLeastOneOf.some((name) => targets(byName.get(name)!).some((path) => given(valueAt(query, path))))) {
    fail(XdsErrorCode.XDSStoredQueryMissingParam, `${spec.name} requires at least one of ${spec.atLeastOneOf.join(', ')}`);
  }
  const checked = { ...query, queryId: spec.id } as StoredQuery & Record<string, unknown>;
  for (const key of ['documents', 'folders', 'submissionSets'] as const) {
    if (key in checked) checked[key] = normalisedPatients(checked[key] as { patientIds?: string[] });
  }
  // Without a DocumentEntry type a registry returns stable DocumentEntries only (On-Demand Documents Option).
  if ('documents' in checked && !given((checked.documents as DocumentFilter).objectTypes)) {
    checked.documents = { ...(checked.documents as DocumentFilter), objectTypes: [DocumentEntryType.Stable] };
  }
  // GetRelatedDocuments follows document relationships only. Consumers (the NIST tests among them)
  // also name HasMember, which links a SubmissionSet or Folder, never two documents: such a type
  // relates no documents, so it matches nothing rather than failing the query.
  if (checked.name === 'GetRelatedDocuments') checked.associationTypes = (checked.associationTypes as string[]).filter((t) => RELATIONSHIP_TYPES.has(t));
  return checked;
}
