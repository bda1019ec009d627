/**
 * Runs a validated Registry Stored Query (ITI-18 / ITI-51): compile it to SQL, execute, and
 * map rows back to domain objects, within the result limits the registry sets.
 */
import { XdsErrorCode } from '../../../domain/error-codes';
import type { Association, ObjectKind, RegistryObject } from '../../../domain/metadata';
import { RegistryError } from '../../../domain/registry-error';
import type { StoredQuery } from '../../../domain/stored-queries';
import type { SqlExecutor } from '../database';
import { compileStoredQuery, renderSelect, type FetchedRow, type ObjectSelect } from '../query-compiler';
import { fromRow } from '../registry-rows';

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

/** `homeCommunityId`: the request's, for objects that carry none. */
/** The limits the registry sets (registry/ports.ts StoredQueryOptions). */
interface QueryLimits {
  maxResults: number;
  patientScope?: string;
  page?: { offset: number; count: number };
  outgoing?: boolean;
}

export async function runStoredQuery(db: SqlExecutor, query: StoredQuery, options: QueryLimits, homeCommunityId?: string) {
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
    const home = r.home_community_id ?? homeCommunityId;
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
