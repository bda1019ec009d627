/**
 * FHIR date search values (`[prefix]value`) as XDS time bounds. A value stands for the
 * range of its precision ([lo, hi): 2024-01-10 is the whole day), and a prefix says how a
 * point in time must relate to it: eq within, ge from lo, gt from hi, le before hi, lt
 * before lo. The bounds are DTM strings in UTC, From inclusive and To exclusive, which is
 * how ITI-18 time parameters compare. ne, sa, eb and ap have no XDS form.
 */
import { fhirToDtm } from '../mapping';
import { notSupported, invalidValue } from './search-error';
import type { ParamGroup } from './query-params';
import { unescapeValue } from './values';

export interface TimeBounds {
  /** Inclusive lower bound (DTM). */
  from?: string;
  /** Exclusive upper bound (DTM). */
  to?: string;
}

const PREFIXED = /^(eq|ne|gt|lt|ge|le|sa|eb|ap)?(\d.*)$/;
const TIME_WITHOUT_ZONE = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** The DTM just after the period a DTM names at its own precision (20240131 -> 20240201). */
export function nextDtm(dtm: string): string {
  const part = (start: number, fallback: number) => (dtm.length > start ? Number(dtm.slice(start, start + 2)) : fallback);
  const t = new Date(0);
  t.setUTCFullYear(Number(dtm.slice(0, 4)), part(4, 1) - 1, part(6, 1));
  t.setUTCHours(part(8, 0), part(10, 0), part(12, 0), 0);
  switch (dtm.length) {
    case 4: t.setUTCFullYear(t.getUTCFullYear() + 1); break;
    case 6: t.setUTCMonth(t.getUTCMonth() + 1); break;
    case 8: t.setUTCDate(t.getUTCDate() + 1); break;
    case 10: t.setUTCHours(t.getUTCHours() + 1); break;
    case 12: t.setUTCMinutes(t.getUTCMinutes() + 1); break;
    default: t.setUTCSeconds(t.getUTCSeconds() + 1);
  }
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const full = `${pad(t.getUTCFullYear(), 4)}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())}`;
  return full.slice(0, dtm.length);
}

/** The bounds one date search value puts on a point in time. */
export function dateValueBounds(escaped: string, parameter: string): TimeBounds {
  // An unencoded `+` of a zone offset arrives as a space after query-string decoding.
  const value = unescapeValue(escaped).replace(/ (\d{2}:\d{2})$/, '+$1');
  const m = PREFIXED.exec(value);
  if (!m) throw invalidValue(parameter, `"${value}" is not a FHIR date search value ([prefix]YYYY[-MM[-DD[Thh:mm:ss[zone]]]])`);
  const prefix = m[1] ?? 'eq';
  // XDS times are UTC; a time without a zone is read as UTC rather than refused.
  const text = TIME_WITHOUT_ZONE.test(m[2]!) ? `${m[2]}Z` : m[2]!;
  const dtm = fhirToDtm(text);
  if (!dtm.ok) throw invalidValue(parameter, dtm.reason);
  const lo = dtm.value;
  switch (prefix) {
    case 'eq': return { from: lo, to: nextDtm(lo) };
    case 'ge': return { from: lo };
    case 'gt': return { from: nextDtm(lo) };
    case 'le': return { to: nextDtm(lo) };
    case 'lt': return { to: lo };
    default: throw notSupported(parameter, `the prefix ${prefix} is not supported (eq, ge, gt, le, lt are)`);
  }
}

/**
 * Both bounds at once. DTMs of different precision compare correctly as strings: a
 * shorter one is the start of its period and sorts before every longer one inside it.
 */
export function intersectBounds(a: TimeBounds, b: TimeBounds): TimeBounds {
  const from = a.from === undefined ? b.from : b.from === undefined || a.from > b.from ? a.from : b.from;
  const to = a.to === undefined ? b.to : b.to === undefined || a.to < b.to ? a.to : b.to;
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/** The AND of every occurrence of a date parameter; an OR list has no XDS form (one From/To pair). */
export function dateBounds(groups: readonly ParamGroup[], parameter: string): TimeBounds {
  return groups.reduce<TimeBounds>((acc, group) => {
    if (group.values.length > 1) throw notSupported(parameter, 'a comma-separated (OR) list of dates is not supported; repeat the parameter to give a range');
    return intersectBounds(acc, dateValueBounds(group.values[0]!, parameter));
  }, {});
}
