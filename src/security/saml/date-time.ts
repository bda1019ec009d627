/**
 * xs:dateTime as SAML uses it. Parsed by hand rather than with Date.parse because Date.parse
 * reads a value without a zone as local time and quietly accepts impossible dates; a validity
 * window must mean the same instant on every server.
 */
import { XuaError } from './errors';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * SAML core 1.3.3 wants UTC with a `Z`; an explicit offset is accepted too (same instant,
 * unambiguous), a missing zone is not. Fractions finer than milliseconds are truncated.
 */
export function parseDateTime(value: string, what: string): Date {
  const m = DATE_TIME.exec(value.trim());
  if (!m) throw new XuaError(`${what} "${value.slice(0, 40)}" is not an xs:dateTime with a time zone`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const millis = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw new XuaError(`${what} "${value.slice(0, 40)}" is not a valid date and time`);
  }
  const zone = m[8]!;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000);
}
