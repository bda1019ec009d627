/**
 * Runs a Registry Stored Query (ITI-18 / ITI-51) for either front end: check the query
 * (typed, or ITI-18 parameters), compile it to SQL, execute, and map rows back to domain objects.
 */
import { XdsErrorCode } from '../domain/error-codes';
import type { Association, ObjectKind, RegistryObject } from '../domain/metadata';
import { RegistryError } from '../domain/registry-error';
import { toStoredQuery, type RegistryQuery } from '../domain/registry-query';
import type { SqlExecutor } from '../store/sql/database';
import { compileStoredQuery, renderSelect, type FetchedRow, type ObjectSelect } from '../store/sql/query-compiler';
import { fromRow } from '../store/sql/registry-rows';

export interface StoredQueryOptions {
  /** Largest result a query may return when not paging; beyond it the query fails with XDSTooManyResults. */
  maxResults: number;
  /** CX of a patient-context principal: results limited to that patient; a query naming another patient returns nothing. */
  patientScope?: string;
  /** A window of the ordered result; `total` still counts every match. */
  page?: { offset: number; count: number };
  /**
   * Also read the associations whose source is a returned object (LeafClass only), in the
   * same statement where the query is a single select; `outgoing` in the result says whether
   * that was possible.
   */
  outgoing?: boolean;
}

export interface ObjectRef {
  id: string;
  homeCommunityId?: string;
}

export interface StoredQueryResult {
  /** LeafClass: the objects, `kind` set. Empty for ObjectRef. */
  objects: RegistryObject[];
  /** entryUUIDs of the returned objects, in result order. */
  refs: string[];
  /** The same with the homeCommunityId each object carries (or the request's). */
  objectRefs: ObjectRef[];
  /** Number of matching objects before paging. */
  total: number;
  /** With StoredQueryOptions.outgoing, when the query could carry them: every association whose source is a returned object. */
  outgoing?: Association[];
}

/** Result order: by kind, then registration order (seq). */
const KIND_ORDER: Record<ObjectKind, number> = { DocumentEntry: 0, Folder: 1, SubmissionSet: 2, Association: 3 };

function tooMany(count: number | string, max: number): RegistryError {
  return RegistryError.of(XdsErrorCode.XDSTooManyResults, `The query matches ${count} objects; at most ${max} may be returned`);
}

/** The row's object, parsed for this row alone, so it is completed in place rather than copied. */
function toObject(row: FetchedRow): RegistryObject {
  const object = fromRow<RegistryObject>(row as { metadata: unknown; status: string });
  object.kind = row.kind;
  return object;
}

export async function runStoredQuery(db: SqlExecutor, request: RegistryQuery, options: StoredQueryOptions): Promise<StoredQueryResult> {
  const query = toStoredQuery(request);
  const plan = compileStoredQuery(query, options.patientScope ? { patientScope: options.patientScope } : {});
  const metadata = query.returnType === 'LeafClass';
  const max = options.maxResults;
  const page = options.page ? { offset: Math.max(0, options.page.offset), count: Math.max(0, Math.min(options.page.count, max)) } : undefined;

  // A single select carries them (an empty plan has none); a multi-step plan leaves them to the caller.
  const outgoing = Boolean(options.outgoing) && metadata && plan.type !== 'graph';
  const read = async (select: ObjectSelect, extra: { limit?: number; offset?: number; withTotal?: boolean }) => {
    const { text, values } = renderSelect(select, { metadata, ...extra, outgoing });
    const { rows } = await db.query<Omit<FetchedRow, 'kind'> & { total?: number }>(text, values);
    return rows.map((r) => ({ ...r, kind: select.kind }));
  };

  let rows: FetchedRow[];
  let total: number;
  if (plan.type === 'empty') {
    rows = [];
    total = 0;
  } else if (plan.type === 'select' && page) {
    // Page in SQL; the window count gives the total in the same round trip.
    rows = await read(plan.select, { limit: page.count, offset: page.offset, withTotal: true });
    total = (rows[0] as { total?: number } | undefined)?.total ?? (page.offset > 0 ? await countAll(db, plan.select) : 0);
  } else if (plan.type === 'select') {
    // One row past the limit tells "too many" without counting everything.
    rows = await read(plan.select, { limit: max + 1 });
    if (rows.length > max) throw tooMany(`more than ${max}`, max);
    total = rows.length;
  } else {
    const fetched = await plan.run(async (select) => {
      const part = await read(select, page ? {} : { limit: max + 1 });
      if (!page && part.length > max) throw tooMany(`more than ${max}`, max);
      return part;
    });
    const seen = new Set<string>();
    const all = fetched
      .filter((r) => {
        const key = `${r.kind}:${r.entry_uuid}`;
        return seen.has(key) ? false : (seen.add(key), true);
      })
      .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.seq - b.seq);
    total = all.length;
    if (!page && total > max) throw tooMany(total, max);
    rows = page ? all.slice(page.offset, page.offset + page.count) : all;
  }

  const objectRefs = rows.map((r) => {
    const home = r.home_community_id ?? request.homeCommunityId;
    return home ? { id: r.entry_uuid, homeCommunityId: home } : { id: r.entry_uuid };
  });
  return {
    objects: metadata ? rows.map(toObject) : [],
    refs: rows.map((r) => r.entry_uuid),
    objectRefs,
    total,
    ...(outgoing ? { outgoing: rows.flatMap((r) => (r.outgoing ?? []).map((a) => fromRow<Association>(a))) } : {}),
  };
}

/** Total for a page past the end (the window count is only on rows that exist). */
async function countAll(db: SqlExecutor, select: ObjectSelect): Promise<number> {
  const { text, values } = renderSelect(select, { metadata: false, withTotal: true, limit: 1 });
  const { rows } = await db.query<{ total: number }>(text, values);
  return Number(rows[0]?.total ?? 0);
}
