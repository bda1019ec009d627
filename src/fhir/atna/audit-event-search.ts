/**
 * ITI-81 search parameters -> AuditQuery. The table below is the one list of what the
 * AuditEvent search accepts; the CapabilityStatement declares the same list. `date` is
 * required (ITI-81 3.81.4.1.2) and its prefixes are those of the MHD searches (eq, ge,
 * gt, le, lt), evaluated on the same UTC bounds. patient.identifier (system|value) is
 * turned into the CX the audit_events.patient_id column holds. Unknown parameters fail
 * under Prefer handling=strict and are reported as warnings otherwise.
 */
import type { AuditQuery, Groups } from '../../audit/audit-query';
import type { MhdMapping } from '../mhd/mapping';
import { identifierToCx } from '../../domain/patient-identifier';
import { dateValueBounds } from '../mhd/search/dates';
import { readPage } from '../mhd/search/paging';
import { invalidValue, notSupported, requireAll, requiredIssue, SearchParameterError, unknownParameterIssue, type SearchIssue } from '../mhd/search/search-error';
import { parseToken, splitOr, unescapeValue } from '../mhd/search/values';

type Criterion = Exclude<keyof AuditQuery, 'from' | 'to' | 'ids' | 'scopePatientId' | 'count' | 'offset'>;

interface AuditSearchParameter {
  name: string;
  type: 'date' | 'token' | 'reference' | 'string';
  documentation: string;
  /** The AuditQuery criterion it fills (date fills from/to). */
  criterion?: Criterion;
}

const SP = 'http://hl7.org/fhir/SearchParameter/AuditEvent-';

const AUDIT_SEARCH_PARAMETERS: readonly AuditSearchParameter[] = [
  { name: 'date', type: 'date', documentation: 'Required. AuditEvent.recorded; eq, ge, gt, le, lt; repeat for a range' },
  { name: 'patient.identifier', type: 'token', criterion: 'patient', documentation: 'system|value of the patient the event is about' },
  { name: 'type', type: 'token', criterion: 'type', documentation: 'AuditEvent.type ([system]|code), or the DICOM event ID of its syslog copy: a BALP (rest) ITI-67 event is found by 110112 too' },
  { name: 'subtype', type: 'token', criterion: 'subtype', documentation: 'AuditEvent.subtype, e.g. urn:ihe:event-type-code|ITI-65 or ATC_DOC_READ' },
  { name: 'outcome', type: 'token', criterion: 'outcome', documentation: 'AuditEvent.outcome (0, 4, 8, 12)' },
  { name: 'agent', type: 'reference', criterion: 'agent', documentation: 'AuditEvent.agent.who (reference or identifier value)' },
  { name: 'entity', type: 'reference', criterion: 'entity', documentation: 'AuditEvent.entity.what (reference or identifier value)' },
  { name: 'entity-type', type: 'token', criterion: 'entityType', documentation: 'AuditEvent.entity.type' },
  { name: 'entity-role', type: 'token', criterion: 'entityRole', documentation: 'AuditEvent.entity.role' },
  { name: 'source', type: 'reference', criterion: 'source', documentation: 'AuditEvent.source.observer (reference or identifier value)' },
  { name: 'address', type: 'string', criterion: 'address', documentation: 'AuditEvent.agent.network.address' },
  { name: 'altid', type: 'token', criterion: 'altid', documentation: 'AuditEvent.agent.altId' },
];

/** Capability statement entries of the parameters. */
export const auditSearchParams = () => AUDIT_SEARCH_PARAMETERS.map(({ name, type, documentation }) => ({ name, type, definition: `${SP}${name}`, documentation }));

/** Parameters of the result, not of the criteria. */
const RESULT = new Set(['_count', '_offset', '_pretty']);
/** Most events in one page, whatever _count asks. */
const AUDIT_MAX_COUNT = 1000;

export interface ParsedAuditSearch {
  query: AuditQuery;
  /** The parameters the links repeat (criteria as sent, without _count/_offset). */
  linkParams: Array<[string, string]>;
  warnings: SearchIssue[];
}

function patientGroup(values: readonly string[], mapping: MhdMapping): string[] {
  return values.map((v) => {
    const token = parseToken(v);
    const cx = identifierToCx({ ...(token.system ? { system: token.system } : {}), value: token.code }, mapping.terminology);
    if (!cx.ok) throw invalidValue('patient.identifier', `${unescapeValue(v)}: ${cx.reason}`);
    return cx.cx;
  });
}

/** Token values as the audit_events columns hold them: `system|code`, or the bare code. */
function tokenGroup(values: readonly string[]): string[] {
  return values.map((v) => {
    const t = parseToken(v);
    return t.system === undefined ? t.code : `${t.system}|${t.code}`;
  });
}

export function parseAuditSearch(params: ReadonlyArray<[string, string]>, strict: boolean, mapping: MhdMapping): ParsedAuditSearch {
  const byName = new Map(AUDIT_SEARCH_PARAMETERS.map((p) => [p.name, p]));
  const query: AuditQuery = { count: 0, offset: 0 };
  const dates: string[] = [];
  const warnings: SearchIssue[] = [];
  const linkParams: Array<[string, string]> = [];
  const unknown: SearchIssue[] = [];
  for (const [name, value] of params) {
    if (RESULT.has(name)) continue;
    const def = byName.get(name);
    if (!def) {
      (strict ? unknown : warnings).push(unknownParameterIssue(name, strict ? 'error' : 'warning'));
      continue;
    }
    linkParams.push([name, value]);
    const values = splitOr(value);
    if (values.length === 0) continue;
    if (def.name === 'date') {
      if (values.length > 1) throw notSupported('date', 'a comma-separated (OR) list of dates is not supported; repeat the parameter to give a range');
      dates.push(values[0]!);
      continue;
    }
    const group = def.criterion === 'patient' ? patientGroup(values, mapping) : def.type === 'token' ? tokenGroup(values) : values.map(unescapeValue);
    const key = def.criterion!;
    query[key] = [...((query[key] as Groups | undefined) ?? []), group];
  }
  if (unknown.length > 0) throw new SearchParameterError(unknown);
  requireAll([[dates.length > 0, requiredIssue('date', 'ITI-81 requires a date range (date=ge…&date=le…)')]]);
  for (const value of dates) {
    const b = instantBounds(value) ?? dtmBounds(value);
    // ISO instants from toISOString() compare as strings.
    if (b.from !== undefined && (query.from === undefined || b.from > query.from)) query.from = b.from;
    if (b.to !== undefined && (query.to === undefined || b.to < query.to)) query.to = b.to;
  }
  const get = (n: string) => params.find(([k]) => k === n)?.[1];
  const page = readPage(get('_count'), get('_offset'), AUDIT_MAX_COUNT);
  return { query: { ...query, count: page.count, offset: page.offset }, linkParams, warnings };
}

const INSTANT = /^(eq|ge|gt|le|lt)?(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))$/;

/**
 * A full instant keeps its milliseconds (the paging links pin the end of a search to one,
 * and audit events of the same second must fall on the right side of it); shorter
 * values are periods, bounded like the MHD searches' dates.
 */
function instantBounds(escaped: string): { from?: string; to?: string } | undefined {
  const m = INSTANT.exec(unescapeValue(escaped).replace(/ (\d{2}:\d{2})$/, '+$1'));
  const t = m ? Date.parse(m[2]!) : NaN;
  if (!m || Number.isNaN(t)) return undefined;
  const iso = (ms: number) => new Date(ms).toISOString();
  const ms = m[3] ? 1 : 1000;
  switch (m[1] ?? 'eq') {
    case 'ge': return { from: iso(t) };
    case 'gt': return { from: iso(t + ms) };
    case 'le': return { to: iso(t + ms) };
    case 'lt': return { to: iso(t) };
    default: return { from: iso(t), to: iso(t + ms) };
  }
}

function dtmBounds(escaped: string): { from?: string; to?: string } {
  const b = dateValueBounds(escaped, 'date');
  return { ...(b.from ? { from: dtmToIso(b.from) } : {}), ...(b.to ? { to: dtmToIso(b.to) } : {}) };
}

/** A DTM bound (YYYY[MM[DD[hh[mm[ss]]]]], UTC) as the ISO instant it starts. */
function dtmToIso(dtm: string): string {
  const full = dtm.padEnd(14, '0').split('');
  const d = (a: number, b: number, empty: string) => (dtm.length > a ? full.slice(a, b).join('') : empty);
  return `${full.slice(0, 4).join('')}-${d(4, 6, '01')}-${d(6, 8, '01')}T${d(8, 10, '00')}:${d(10, 12, '00')}:${d(12, 14, '00')}Z`;
}
