/**
 * ITI-18 / ITI-51 parameters -> the registry's typed StoredQuery. The AdhocQuery's slots, once
 * their value syntax is read (slot-values.ts) and their codes keyed (coded-values.ts), are
 * checked here against the query's parameter table (domain/stored-query-catalog.ts): parameter
 * names matched case-insensitively, value counts and AND-groups, the value forms (CX, DTM,
 * code^^^scheme, status and type URNs). Only the XDS front end reads this syntax; the registry
 * takes the typed query and applies the query rules every front end shares.
 */
import { XdsErrorCode } from '../domain/error-codes';
import { isDtm, normalizeCx } from '../domain/hl7v2';
import { AssociationType, AvailabilityStatus, DocumentEntryType } from '../domain/metadata';
import { RegistryError } from '../domain/registry-error';
import { querySpecById, type ParamKind, type ParamSpec, type QuerySpec } from '../domain/stored-query-catalog';
import type { DocumentFilter, ReturnType, StoredQuery } from '../domain/stored-queries';
import { parseCodeKey } from './coded-values';

export interface StoredQueryRequest {
  queryId: string;
  /** Parameter name -> AND-groups, each a list of OR-ed values (already unquoted, codes keyed). */
  params: Record<string, string[][]>;
  returnType: ReturnType;
  homeCommunityId?: string;
}

const STATUSES: ReadonlySet<string> = new Set(Object.values(AvailabilityStatus));
const OBJECT_TYPES: ReadonlySet<string> = new Set(Object.values(DocumentEntryType));
const ASSOCIATION_TYPES: ReadonlySet<string> = new Set(Object.values(AssociationType));

function fail(code: XdsErrorCode, context: string, location?: string): never {
  throw RegistryError.of(code, context, location);
}

/**
 * Checks a value and returns its normalised form, or undefined for a value the registry
 * ignores (an availabilityStatus it does not understand is dropped, ITI TF-2 3.18.4.1.2.3.6).
 */
function normalise(kind: ParamKind, value: string, name: string): unknown {
  const v = value.trim();
  const bad = (what: string): never => fail(XdsErrorCode.XDSRegistryError, `${name}: '${value}' is not ${what}`, name);
  if (v === '') bad('a value');
  switch (kind) {
    case 'patient':
      return normalizeCx(v) ?? bad('a patient identifier of the form id^^^&OID&ISO');
    case 'status':
      return STATUSES.has(v) ? v : undefined;
    case 'code': {
      const c = parseCodeKey(v);
      return c.code ? c : bad('a code of the form code^^^scheme');
    }
    case 'time':
      return isDtm(v) ? v : bad('a DTM time (YYYY[MM[DD[hh[mm[ss]]]]])');
    case 'objectType':
      return OBJECT_TYPES.has(v) ? v : bad('a DocumentEntry objectType');
    case 'associationType':
      return ASSOCIATION_TYPES.has(v) ? v : bad('an association type');
    case 'metadataLevel':
      return v === '1' ? 1 : v === '2' ? 2 : bad('1 or 2');
    case 'pattern':
    case 'string':
      return v;
  }
}

/** Stores `value` at a dotted path, creating the intermediate objects. */
function put(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
}

/** Parameter names are matched case-insensitively: consumers disagree on e.g. `PatientId` vs `PatientID`. */
function indexParams(params: Record<string, string[][]>): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  for (const [name, groups] of Object.entries(params)) {
    const nonEmpty = (groups ?? []).filter((g) => g.length > 0);
    if (nonEmpty.length === 0) continue;
    const key = name.toLowerCase();
    out.set(key, [...(out.get(key) ?? []), ...nonEmpty]);
  }
  return out;
}

/** Checks the value count against the table and returns the normalised value in the parameter's shape. */
function readParam(p: ParamSpec, groups: string[][]): unknown {
  const valueCount = groups.reduce((n, g) => n + g.length, 0);
  if (!p.multiple && valueCount > 1) fail(XdsErrorCode.XDSStoredQueryParamNumber, `${p.name} accepts a single value, got ${valueCount}`, p.name);
  if (!p.andOr && groups.length > 1) {
    fail(XdsErrorCode.XDSStoredQueryParamNumber, `${p.name} does not accept AND semantics (${groups.length} value groups given)`, p.name);
  }
  const normalised = groups.map((g) => g.map((v) => normalise(p.kind, v, p.name)).filter((v) => v !== undefined));
  if (normalised.some((g) => g.length === 0)) return undefined; // only ignored values: as if not specified
  if (p.andOr) return normalised;
  if (p.multiple || p.asList) return normalised[0];
  return normalised[0]![0];
}

function checkChoices(spec: QuerySpec, present: (name: string) => boolean): void {
  if (spec.exactlyOneOf) {
    const given = spec.exactlyOneOf.filter(present);
    if (given.length === 0) fail(XdsErrorCode.XDSStoredQueryMissingParam, `${spec.name} requires one of ${spec.exactlyOneOf.join(', ')}`);
    // Naming the object twice is a count error, not a missing one (both parameters were given).
    if (given.length > 1) fail(XdsErrorCode.XDSStoredQueryParamNumber, `${spec.name} accepts only one of ${given.join(', ')}`);
  }
  if (spec.atLeastOneOf && !spec.atLeastOneOf.some(present)) {
    fail(XdsErrorCode.XDSStoredQueryMissingParam, `${spec.name} requires at least one of ${spec.atLeastOneOf.join(', ')}`);
  }
}

/**
 * Early ITI-18 versions gave each coded parameter a `...Scheme` companion; the scheme now travels
 * inside each code value (code^^scheme). Ignoring the companion, as an unknown parameter, would
 * answer a question the consumer did not ask (codes of any scheme), so it is refused instead.
 */
function refuseObsoleteSchemeParams(spec: QuerySpec, present: (name: string) => boolean): void {
  for (const p of spec.params) {
    const obsolete = `${p.name}Scheme`;
    if (p.kind === 'code' && present(obsolete)) {
      fail(XdsErrorCode.XDSStoredQueryParamNumber, `${obsolete} is no longer an ITI-18 parameter: give the scheme in each ${p.name} value (code^^codingScheme)`, obsolete);
    }
  }
}

/**
 * Validates a request against its query's parameter table and returns the typed query.
 * Parameters the query does not define are ignored (ebRS 3.0 6.3.2.1, which ITI-18 inherits),
 * except the obsolete `...CodeScheme` ones (refuseObsoleteSchemeParams).
 * @throws RegistryError XDSUnknownStoredQuery, XDSStoredQueryMissingParam, XDSStoredQueryParamNumber, XDSRegistryError
 */
export function validateStoredQuery(request: StoredQueryRequest): StoredQuery {
  const spec = querySpecById(request.queryId);
  if (!spec) fail(XdsErrorCode.XDSUnknownStoredQuery, `Unknown stored query id ${request.queryId}`, request.queryId);
  if (request.returnType !== 'LeafClass' && request.returnType !== 'ObjectRef') {
    fail(XdsErrorCode.XDSRegistryError, `Unsupported returnType ${String(request.returnType)}`);
  }
  const given = indexParams(request.params ?? {});
  const present = (name: string) => given.has(name.toLowerCase());
  checkChoices(spec, present);
  refuseObsoleteSchemeParams(spec, present);

  const query: Record<string, unknown> = { name: spec.name, queryId: spec.id, returnType: request.returnType, metadataLevel: 1 };
  if (request.homeCommunityId) query.homeCommunityId = request.homeCommunityId;
  for (const p of spec.params) {
    const groups = given.get(p.name.toLowerCase());
    const value = groups ? readParam(p, groups) : undefined;
    if (value === undefined) {
      if (p.required) fail(XdsErrorCode.XDSStoredQueryMissingParam, `${spec.name} requires ${p.name}`, p.name);
      continue;
    }
    for (const path of Array.isArray(p.target) ? p.target : [p.target]) put(query, path, value);
  }
  // Id choices land as { entryUuid: [...] } etc.; turn them into an IdSelector.
  for (const key of ['documentIds', 'folderIds', 'documentId', 'folderId', 'submissionSetId'] as const) {
    const ids = query[key] as Record<string, unknown> | undefined;
    if (!ids) continue;
    const [by, values] = Object.entries(ids)[0]!;
    query[key] = { by, values: Array.isArray(values) ? values : [values] };
  }
  // Without $XDSDocumentEntryType a registry returns stable DocumentEntries only (On-Demand Documents Option).
  if (spec.params.some((p) => p.name === '$XDSDocumentEntryType')) {
    const documents = (query.documents ??= {}) as Partial<DocumentFilter>;
    documents.objectTypes ??= [DocumentEntryType.Stable];
  }
  return query as unknown as StoredQuery;
}

/** The one patient the request names, as given (the failure record's patient when the request is refused). */
export function requestedPatient(request: StoredQueryRequest): string | undefined {
  const values = (request.params['$XDSDocumentEntryPatientId'] ?? request.params['$XDSFolderPatientId'] ?? []).flat();
  return values.length === 1 ? values[0] : undefined;
}
