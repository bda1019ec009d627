/**
 * XDS DTM <-> FHIR date/dateTime/instant.
 *
 * XDS times (ITI TF-3 4.2.3.1.5) are `YYYY[MM[DD[hh[mm[ss]]]]]` in UTC. FHIR dateTime is
 * `YYYY[-MM[-DD[Thh:mm:ss[.fff](Z|±hh:mm)]]]`: a time always carries a zone and seconds.
 * So: a date-only value keeps its precision both ways (no zone on either side); a value
 * with a time is converted to UTC. FHIR cannot say "to the hour/minute", so DTM hour and
 * minute precision are written with zero minutes/seconds, and fractional seconds, which
 * DTM cannot hold, are dropped (truncated, never rounded into the next second).
 */

const FHIR_DATE_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;
const DTM = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?$/;

export type TimeResult = { ok: true; value: string } | { ok: false; reason: string };

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** month 1..12, proleptic Gregorian (as JavaScript's Date). */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function rangesOk(y: number, mo?: number, d?: number, h?: number, mi?: number, s?: number): boolean {
  if (mo !== undefined && (mo < 1 || mo > 12)) return false;
  if (d !== undefined && (d < 1 || d > daysInMonth(y, mo ?? 1))) return false;
  if (h !== undefined && h > 23) return false;
  if (mi !== undefined && mi > 59) return false;
  // A leap second (:60) has no place in a UTC DTM; it is refused rather than shifted.
  if (s !== undefined && s > 59) return false;
  return true;
}

const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));

/** FHIR date/dateTime/instant -> XDS DTM (UTC). */
export function fhirToDtm(value: string): TimeResult {
  const m = FHIR_DATE_TIME.exec(value);
  if (!m) return { ok: false, reason: `"${value}" is not a FHIR date or dateTime` };
  const [, ys, mos, ds, hs, mis, ss, zone] = m;
  const y = Number(ys);
  const [mo, d, h, mi, s] = [num(mos), num(ds), num(hs), num(mis), num(ss)];
  if (!rangesOk(y, mo, d, h, mi, s)) return { ok: false, reason: `"${value}" is not a valid date or time` };
  if (h === undefined) return { ok: true, value: `${ys}${mos ?? ''}${ds ?? ''}` };
  if (!zone) return { ok: false, reason: `"${value}" has a time but no time zone, so it cannot be converted to UTC` };

  const offsetMinutes = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const t = new Date(0);
  t.setUTCFullYear(y, (mo ?? 1) - 1, d ?? 1);
  t.setUTCHours(h, mi ?? 0, s ?? 0, 0);
  t.setTime(t.getTime() - offsetMinutes * 60_000);
  const dtm = `${pad(t.getUTCFullYear(), 4)}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}`;
  // Seconds are kept when the source had them (always, for valid FHIR); a lenient hh:mm stays at minutes.
  return { ok: true, value: s === undefined ? dtm : `${dtm}${pad(t.getUTCSeconds())}` };
}

/** XDS DTM (UTC) -> FHIR date (date precision) or dateTime in UTC (`Z`). */
export function dtmToFhir(value: string): TimeResult {
  const m = DTM.exec(value);
  if (!m) return { ok: false, reason: `"${value}" is not an XDS DTM (YYYY[MM[DD[hh[mm[ss]]]]])` };
  const [, ys, mos, ds, hs, mis, ss] = m;
  if (!rangesOk(Number(ys), num(mos), num(ds), num(hs), num(mis), num(ss))) return { ok: false, reason: `"${value}" is not a valid date or time` };
  if (hs === undefined) return { ok: true, value: [ys, mos, ds].filter((p) => p !== undefined).join('-') };
  return { ok: true, value: `${ys}-${mos}-${ds}T${hs}:${mis ?? '00'}:${ss ?? '00'}Z` };
}

/** dtmToFhir for values the registry stored: undefined for a malformed one, so no invalid FHIR is written. */
export function dtmToFhirOrUndefined(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const r = dtmToFhir(value);
  return r.ok ? r.value : undefined;
}
