/**
 * The ITI-18 request for a typed stored query: what an Initiating Gateway sends as ITI-38.
 * The reverse of adhoc-query.ts + validateStoredQuery: each parameter of the query's table
 * (domain/stored-query-catalog.ts) is read from where its value lands in the typed query and
 * written in the ITI-18 value syntax (quoted strings, bare numbers for times and
 * $MetadataLevel, code^^scheme for codes; AND-ed groups as repeated Slots).
 */
import type { CodeMatch, StoredQuery } from '../../domain/stored-queries';
import { querySpecById, type ParamSpec } from '../../domain/stored-query-catalog';
import { el, type XmlElementSpec } from '../../soap';
import { XDS_NS } from '../namespaces';

const ID_SELECTORS: ReadonlySet<string> = new Set(['documentIds', 'folderIds', 'documentId', 'folderId', 'submissionSetId']);

/** The value at a target path; an IdSelector answers only for the identifier kind it holds. */
function valueAt(query: StoredQuery, path: string): unknown {
  const [head, ...rest] = path.split('.');
  let node: unknown = (query as unknown as Record<string, unknown>)[head!];
  if (ID_SELECTORS.has(head!)) {
    const selector = node as { by: string; values: string[] } | undefined;
    return selector && selector.by === rest[0] ? selector.values : undefined;
  }
  for (const key of rest) node = node === null || typeof node !== 'object' ? undefined : (node as Record<string, unknown>)[key];
  return node;
}

const quoted = (text: string): string => `'${text.replace(/'/g, "''")}'`;

function item(kind: ParamSpec['kind'], value: unknown): string {
  switch (kind) {
    case 'code': {
      const c = value as CodeMatch;
      return quoted(c.scheme ? `${c.code}^^${c.scheme}` : c.code);
    }
    case 'time':
    case 'metadataLevel':
      return String(value);
    default:
      return quoted(String(value));
  }
}

/** The Slots of one parameter: one per AND-ed group, each value list in parentheses. */
function slots(p: ParamSpec, value: unknown): XmlElementSpec[] {
  const groups: unknown[][] = p.andOr ? (value as unknown[][]) : [Array.isArray(value) ? value : [value]];
  return groups
    .filter((g) => g.length > 0)
    .map((g) => {
      const text = p.multiple || p.andOr || g.length > 1 ? `(${g.map((v) => item(p.kind, v)).join(',')})` : item(p.kind, g[0]);
      return el(XDS_NS.rim, 'rim:Slot', { name: p.name }, el(XDS_NS.rim, 'rim:ValueList', {}, el(XDS_NS.rim, 'rim:Value', {}, text)));
    });
}

function given(value: unknown): boolean {
  return value !== undefined && !(Array.isArray(value) && value.length === 0);
}

/** query:AdhocQueryRequest for `query`; `home` is the AdhocQuery's home attribute (the community asked). */
export function adhocQueryRequest(query: StoredQuery, home?: string): XmlElementSpec {
  const spec = querySpecById(query.queryId);
  if (!spec) throw new Error(`no stored query ${query.queryId}`);
  const params = spec.params.flatMap((p) => {
    const target = Array.isArray(p.target) ? p.target[0]! : p.target;
    const value = valueAt(query, target);
    if (!given(value) || (p.kind === 'metadataLevel' && value === 1)) return [];
    return slots(p, value);
  });
  return el(XDS_NS.query, 'query:AdhocQueryRequest', {},
    el(XDS_NS.query, 'query:ResponseOption', { returnType: query.returnType, returnComposedObjects: 'true' }),
    el(XDS_NS.rim, 'rim:AdhocQuery', { id: spec.id, home }, ...params),
  );
}
