/**
 * Compiles a validated StoredQuery into parameterised SQL over the registry tables
 * (migrations/001-registry.ts). Every filter reads a derived column (`code^^^scheme`
 * strings, text[] arrays, DTM strings); the JSONB metadata is only ever returned, never
 * searched, so a patient query stays on the (patient_id, status, seq) index.
 *
 * Queries over one kind of object compile to a single SELECT the executor can page in SQL.
 * Queries that walk associations (GetAll, the "...AndContents" queries, related documents)
 * compile to a small program of SELECTs whose later steps take the ids found by earlier
 * ones; the executor supplies the `fetch` that runs each step.
 */
import { codeKey } from '../../domain/codes';
import { AssociationType, DocumentEntryType, type ObjectKind } from '../../domain/metadata';
import type {
  CodeMatch,
  DocumentFilter,
  FolderFilter,
  IdSelector,
  StoredQuery,
  StoredQueryOf,
  SubmissionSetFilter,
  TimeRange,
} from '../../domain/stored-queries';
import { and, or, raw, render, sql, type Sql } from './query-sql';
import { TABLE_OF_KIND, toShortStatus } from './registry-rows';

/** One row as the executor reads it; `metadata` only for LeafClass. */
export interface FetchedRow {
  kind: ObjectKind;
  entry_uuid: string;
  seq: number;
  status: string;
  home_community_id: string | null;
  /** Associations only. */
  source_id?: string;
  target_id?: string;
  metadata?: unknown;
  /** With RenderOptions.outgoing: the object's associations as source, or null for none. */
  outgoing?: Array<{ status: string; metadata: unknown }> | null;
}

/** SELECT ... FROM <table of kind> t WHERE <where> ORDER BY t.seq */
export interface ObjectSelect {
  kind: ObjectKind;
  where: Sql;
}

export type Fetch = (select: ObjectSelect) => Promise<FetchedRow[]>;

export type QueryPlan =
  /** Nothing can match (e.g. a patient-scoped caller naming another patient). */
  | { type: 'empty' }
  | { type: 'select'; select: ObjectSelect }
  | { type: 'graph'; run: (fetch: Fetch) => Promise<FetchedRow[]> };

export interface CompileOptions {
  /** CX of a patient-context principal: only this patient's objects can be returned. */
  patientScope?: string;
}

// ---------------------------------------------------------------------------
// Column matchers: one per way a parameter compares with a column.
// ---------------------------------------------------------------------------

const col = (name: string): Sql => raw(`t.${name}`);

function eqAny(column: Sql, values: readonly string[]): Sql {
  // A single value compiles to `=` so the planner can walk an index in seq order.
  return values.length === 1 ? sql`${column} = ${values[0]}` : sql`${column} = ANY(${values}::text[])`;
}

/** Escapes LIKE metacharacters so the text matches literally. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Codes with a scheme match exactly; a code without one matches `code^^^<any scheme>`. */
function splitCodes(codes: readonly CodeMatch[]): { exact: string[]; prefixes: string[] } {
  const exact = codes.filter((c) => c.scheme).map((c) => codeKey({ code: c.code, scheme: c.scheme! }));
  const prefixes = codes.filter((c) => !c.scheme).map((c) => `${likeLiteral(c.code)}^^^%`);
  return { exact, prefixes };
}

/** Some element of a text[] column LIKE one of the patterns. */
function arrayLike(column: Sql, patterns: readonly string[]): Sql {
  return sql`EXISTS (SELECT 1 FROM unnest(${column}) AS e(v) WHERE e.v LIKE ANY(${patterns}::text[]))`;
}

function codeIn(column: Sql, codes: readonly CodeMatch[]): Sql {
  const { exact, prefixes } = splitCodes(codes);
  return or([
    ...(exact.length ? [eqAny(column, exact)] : []),
    ...(prefixes.length ? [sql`${column} LIKE ANY(${prefixes}::text[])`] : []),
  ]);
}

/** Multi-valued coded attribute (text[]): every AND group must have a code in the array. */
function codeGroupsIn(column: Sql, groups: readonly CodeMatch[][]): Sql {
  return and(
    groups.map((group) => {
      const { exact, prefixes } = splitCodes(group);
      return or([...(exact.length ? [sql`${column} && ${exact}::text[]`] : []), ...(prefixes.length ? [arrayLike(column, prefixes)] : [])]);
    }),
  );
}

function overlapGroups(column: Sql, groups: readonly string[][]): Sql {
  return and(groups.map((group) => sql`${column} && ${group}::text[]`));
}

/**
 * From inclusive, To exclusive, compared as DTM strings. A row without the attribute
 * (NULL) fails either comparison, so it never matches a time parameter.
 */
function timeRange(column: Sql, range: TimeRange): Sql {
  return and([...(range.from ? [sql`${column} >= ${range.from}`] : []), ...(range.to ? [sql`${column} < ${range.to}`] : [])]);
}

/** ITI-18 author patterns use % and _ as wildcards; only the LIKE escape character needs escaping. */
function authorLike(column: Sql, patterns: readonly string[]): Sql {
  return arrayLike(
    column,
    patterns.map((p) => p.replace(/\\/g, '\\\\')),
  );
}

function statusIn(column: Sql, statuses: readonly string[]): Sql {
  return eqAny(column, statuses.map(toShortStatus));
}

function objectTypeIn(column: Sql, types: readonly string[]): Sql {
  return eqAny(
    column,
    types.map((t) => (t === DocumentEntryType.OnDemand ? 'on-demand' : 'stable')),
  );
}

// ---------------------------------------------------------------------------
// Filters: which field of a filter object reads which column, with which matcher.
// ---------------------------------------------------------------------------

interface Binding<F> {
  clause(filter: F): Sql | undefined;
}

function bind<F, K extends keyof F>(field: K, column: string, match: (column: Sql, value: NonNullable<F[K]>) => Sql): Binding<F> {
  return {
    clause: (filter) => {
      const value = filter[field];
      return value === undefined || value === null ? undefined : match(col(column), value as NonNullable<F[K]>);
    },
  };
}

const DOCUMENT_BINDINGS: Binding<DocumentFilter>[] = [
  bind('patientIds', 'patient_id', eqAny),
  bind('statuses', 'status', statusIn),
  bind('objectTypes', 'object_type', objectTypeIn),
  bind('classCodes', 'class_code', codeIn),
  bind('typeCodes', 'type_code', codeIn),
  bind('practiceSettingCodes', 'practice_setting_code', codeIn),
  bind('healthcareFacilityTypeCodes', 'facility_type_code', codeIn),
  bind('formatCodes', 'format_code', codeIn),
  bind('eventCodes', 'event_codes', codeGroupsIn),
  bind('confidentialityCodes', 'confidentiality_codes', codeGroupsIn),
  bind('creationTime', 'creation_time', timeRange),
  bind('serviceStartTime', 'service_start_time', timeRange),
  bind('serviceStopTime', 'service_stop_time', timeRange),
  bind('authorPersons', 'author_persons', authorLike),
  bind('referenceIds', 'reference_ids', overlapGroups),
];

const SUBMISSION_SET_BINDINGS: Binding<SubmissionSetFilter>[] = [
  bind('patientIds', 'patient_id', eqAny),
  bind('statuses', 'status', statusIn),
  bind('sourceIds', 'source_id', eqAny),
  bind('submissionTime', 'submission_time', timeRange),
  bind('authorPersons', 'author_persons', authorLike),
  bind('contentTypeCodes', 'content_type_code', codeIn),
];

const FOLDER_BINDINGS: Binding<FolderFilter>[] = [
  bind('patientIds', 'patient_id', eqAny),
  bind('statuses', 'status', statusIn),
  bind('lastUpdateTime', 'last_update_time', timeRange),
  bind('codes', 'codes', codeGroupsIn),
];

function clauses<F>(filter: F, bindings: readonly Binding<F>[]): Sql[] {
  return bindings.map((b) => b.clause(filter)).filter((c): c is Sql => c !== undefined);
}

// ---------------------------------------------------------------------------
// Patient scope and identifiers
// ---------------------------------------------------------------------------

/**
 * Checks a filter's patients against the scope. Returns undefined when the filter names
 * only other patients (a scoped caller asking about someone else gets nothing); otherwise
 * the filter without its patient list, since the scope clause pins the patient.
 */
function scoped<F extends { patientIds?: string[] }>(filter: F, scope: string | undefined): F | undefined {
  if (!scope) return filter;
  if (filter.patientIds && !filter.patientIds.includes(scope)) return undefined;
  const { patientIds: _named, ...rest } = filter;
  return rest as F;
}

/** The scope restriction for objects of one kind; associations belong to the patient of an end. */
function scopeClause(kind: ObjectKind, scope: string | undefined): Sql[] {
  if (!scope) return [];
  if (kind !== 'Association') return [sql`t.patient_id = ${scope}`];
  const owned = (table: string) =>
    sql`EXISTS (SELECT 1 FROM ${raw(table)} o WHERE o.entry_uuid IN (t.source_id, t.target_id) AND o.patient_id = ${scope})`;
  return [or([owned('document_entries'), owned('folders'), owned('submission_sets')])];
}

const ID_COLUMNS: Record<IdSelector['by'], string> = { entryUuid: 'entry_uuid', uniqueId: 'unique_id', logicalId: 'logical_id' };

function idClause(ids: IdSelector): Sql {
  return eqAny(col(ID_COLUMNS[ids.by]), ids.values);
}

/** Only the newest version of a versioned object (DocumentEntry, Folder) by logicalID. */
function latestVersion(kind: 'DocumentEntry' | 'Folder'): Sql {
  return sql`NOT EXISTS (SELECT 1 FROM ${raw(TABLE_OF_KIND[kind])} n WHERE n.logical_id = t.logical_id AND n.version > t.version)`;
}

const entryUuidIn = (ids: readonly string[]): Sql => eqAny(col('entry_uuid'), ids);

// ---------------------------------------------------------------------------
// Plans
// ---------------------------------------------------------------------------

class Planner {
  constructor(private readonly scope: string | undefined) {}

  select(kind: ObjectKind, where: Sql[]): ObjectSelect {
    return { kind, where: and([...where, ...scopeClause(kind, this.scope)]) };
  }

  documents(filter: DocumentFilter, extra: Sql[] = []): ObjectSelect {
    return this.select('DocumentEntry', [...extra, ...clauses(filter, DOCUMENT_BINDINGS)]);
  }

  /** One object named by entryUUID or uniqueId; a uniqueId names the newest version. */
  one(kind: 'DocumentEntry' | 'Folder' | 'SubmissionSet', ids: IdSelector): ObjectSelect {
    const where = [idClause(ids)];
    if (ids.by === 'uniqueId' && kind !== 'SubmissionSet') where.push(latestVersion(kind));
    return this.select(kind, where);
  }

  hasMember(end: 'source_id' | 'target_id', ids: readonly string[]): ObjectSelect {
    return this.select('Association', [sql`t.type = ${AssociationType.HasMember}`, eqAny(col(end), ids)]);
  }

  /** Associations whose source and target are both among `ids`, plus those linking an object to such an association. */
  async associationsAmong(fetch: Fetch, objectIds: readonly string[]): Promise<FetchedRow[]> {
    if (objectIds.length === 0) return [];
    const among = (targets: readonly string[]) => this.select('Association', [eqAny(col('source_id'), objectIds), eqAny(col('target_id'), targets)]);
    const direct = await fetch(among(objectIds));
    return direct.length === 0 ? direct : [...direct, ...(await fetch(among(ids(direct))))];
  }
}

const ids = (rows: readonly FetchedRow[]): string[] => rows.map((r) => r.entry_uuid);
const single = (s: ObjectSelect): QueryPlan => ({ type: 'select', select: s });
const graph = (run: (fetch: Fetch) => Promise<FetchedRow[]>): QueryPlan => ({ type: 'graph', run });
const EMPTY: QueryPlan = { type: 'empty' };

function getAll(q: StoredQueryOf<'GetAll'>, p: Planner, scope: string | undefined): QueryPlan {
  const documents = scoped(q.documents, scope);
  const folders = scoped(q.folders, scope);
  const submissionSets = scoped(q.submissionSets, scope);
  if (!documents || !folders || !submissionSets) return EMPTY;
  return graph(async (fetch) => {
    const objects = [
      ...(await fetch(p.documents(documents))),
      ...(await fetch(p.select('Folder', clauses(folders, FOLDER_BINDINGS)))),
      ...(await fetch(p.select('SubmissionSet', clauses(submissionSets, SUBMISSION_SET_BINDINGS)))),
    ];
    return [...objects, ...(await p.associationsAmong(fetch, ids(objects)))];
  });
}

/** SubmissionSet or Folder with its HasMember DocumentEntries (filtered) and the linking associations. */
function containerAndContents(
  kind: 'SubmissionSet' | 'Folder',
  container: IdSelector,
  documents: DocumentFilter,
  p: Planner,
): QueryPlan {
  return graph(async (fetch) => {
    const [owner] = await fetch(p.one(kind, container));
    if (!owner) return [];
    const members = await fetch(p.hasMember('source_id', [owner.entry_uuid]));
    const targets = members.map((m) => m.target_id!);
    if (targets.length === 0) return [owner];
    const docs = await fetch(p.documents(documents, [entryUuidIn(targets)]));
    const contents = [...docs];
    if (kind === 'SubmissionSet') {
      contents.push(...(await fetch(p.select('Folder', [entryUuidIn(targets)]))));
      // Folder->DocumentEntry HasMember associations submitted in this set, for documents returned.
      const docIds = ids(docs);
      if (docIds.length) contents.push(...(await fetch(p.select('Association', [entryUuidIn(targets), eqAny(col('target_id'), docIds)]))));
    }
    const returned = new Set(ids(contents));
    return [owner, ...contents, ...members.filter((m) => returned.has(m.target_id!))];
  });
}

function relatedDocuments(q: StoredQueryOf<'GetRelatedDocuments'>, p: Planner): QueryPlan {
  return graph(async (fetch) => {
    const [doc] = await fetch(p.one('DocumentEntry', q.documentId));
    if (!doc) return [];
    const id = doc.entry_uuid;
    const links = await fetch(
      p.select('Association', [or([sql`t.source_id = ${id}`, sql`t.target_id = ${id}`]), eqAny(col('type'), q.associationTypes)]),
    );
    const otherEnd = (a: FetchedRow) => (a.source_id === id ? a.target_id! : a.source_id!);
    if (links.length === 0) return [];
    const related = await fetch(p.documents(q.documents, [entryUuidIn(links.map(otherEnd))]));
    // With no related document left there is nothing to relate the original to.
    if (related.length === 0) return [];
    const found = new Set(ids(related));
    return [doc, ...related, ...links.filter((a) => found.has(otherEnd(a)))];
  });
}

/** Compiles the query; `patientScope` limits every object returned to that patient. */
export function compileStoredQuery(q: StoredQuery, options: CompileOptions = {}): QueryPlan {
  const scope = options.patientScope;
  const p = new Planner(scope);
  const levelOne = (kind: 'DocumentEntry' | 'Folder') => (q.metadataLevel === 1 ? [latestVersion(kind)] : []);
  switch (q.name) {
    case 'FindDocuments':
    case 'FindDocumentsByReferenceId':
    case 'FindDocumentsForMultiplePatients': {
      const documents = scoped(q.documents, scope);
      return documents ? single(p.documents(documents)) : EMPTY;
    }
    case 'FindSubmissionSets': {
      const filter = scoped(q.submissionSets, scope);
      return filter ? single(p.select('SubmissionSet', clauses(filter, SUBMISSION_SET_BINDINGS))) : EMPTY;
    }
    case 'FindFolders':
    case 'FindFoldersForMultiplePatients': {
      const filter = scoped(q.folders, scope);
      return filter ? single(p.select('Folder', clauses(filter, FOLDER_BINDINGS))) : EMPTY;
    }
    case 'GetAll':
      return getAll(q, p, scope);
    case 'GetDocuments':
      return single(p.select('DocumentEntry', [idClause(q.documentIds), ...levelOne('DocumentEntry')]));
    case 'GetFolders':
      return single(p.select('Folder', [idClause(q.folderIds), ...levelOne('Folder')]));
    case 'GetAssociations':
      return single(p.select('Association', [or([eqAny(col('source_id'), q.uuids), eqAny(col('target_id'), q.uuids)])]));
    case 'GetDocumentsAndAssociations':
      return graph(async (fetch) => {
        const docs = await fetch(p.select('DocumentEntry', [idClause(q.documentIds)]));
        const docIds = ids(docs);
        if (docIds.length === 0) return [];
        return [...docs, ...(await fetch(p.select('Association', [or([eqAny(col('source_id'), docIds), eqAny(col('target_id'), docIds)])])))];
      });
    case 'GetSubmissionSets':
      return graph(async (fetch) => {
        const links = await fetch(p.hasMember('target_id', q.uuids));
        if (links.length === 0) return [];
        const sets = await fetch(p.select('SubmissionSet', [entryUuidIn(links.map((l) => l.source_id!))]));
        const found = new Set(ids(sets));
        return [...sets, ...links.filter((l) => found.has(l.source_id!))];
      });
    case 'GetSubmissionSetAndContents':
      return containerAndContents('SubmissionSet', q.submissionSetId, q.documents, p);
    case 'GetFolderAndContents':
      return containerAndContents('Folder', q.folderId, q.documents, p);
    case 'GetFoldersForDocument':
      return graph(async (fetch) => {
        const docs = await fetch(p.one('DocumentEntry', q.documentId));
        if (docs.length === 0) return [];
        const links = await fetch(p.hasMember('target_id', ids(docs)));
        if (links.length === 0) return [];
        return fetch(p.select('Folder', [entryUuidIn(links.map((l) => l.source_id!))]));
      });
    case 'GetRelatedDocuments':
      return relatedDocuments(q, p);
  }
}

const COLUMNS: Record<ObjectKind, string> = {
  DocumentEntry: 't.entry_uuid, t.seq, t.status, t.home_community_id',
  Folder: 't.entry_uuid, t.seq, t.status, t.home_community_id',
  SubmissionSet: 't.entry_uuid, t.seq, t.status, t.home_community_id',
  Association: 't.entry_uuid, t.seq, t.status, NULL::text AS home_community_id, t.source_id, t.target_id',
};

export interface RenderOptions {
  /** Include the JSONB object (LeafClass); ObjectRef needs only identifiers. */
  metadata: boolean;
  limit?: number;
  offset?: number;
  /** Add `total`: the number of matching rows before LIMIT/OFFSET. */
  withTotal?: boolean;
  /**
   * Add `outgoing`: each object's associations with it as source (relationships, HasMember),
   * as a JSON array of {status, metadata}, so a caller that maps them (MHD relatesTo and List
   * members) needs no second round trip. Not for Association selects.
   */
  outgoing?: boolean;
}

const OUTGOING = `(SELECT json_agg(json_build_object('status', a.status, 'metadata', a.metadata) ORDER BY a.seq)
  FROM associations a WHERE a.source_id = t.entry_uuid) AS outgoing`;

/** The SELECT statement for one step, in stable (seq) order. */
export function renderSelect(select: ObjectSelect, o: RenderOptions): { text: string; values: unknown[] } {
  const outgoing = o.outgoing && select.kind !== 'Association';
  const columns = [COLUMNS[select.kind], ...(o.metadata ? ['t.metadata'] : []), ...(o.withTotal ? ['count(*) OVER () AS total'] : []), ...(outgoing ? [OUTGOING] : [])];
  let statement = sql`SELECT ${raw(columns.join(', '))} FROM ${raw(TABLE_OF_KIND[select.kind])} t WHERE ${select.where} ORDER BY t.seq`;
  if (o.limit !== undefined) statement = sql`${statement} LIMIT ${o.limit}`;
  if (o.offset) statement = sql`${statement} OFFSET ${o.offset}`;
  return render(statement);
}
