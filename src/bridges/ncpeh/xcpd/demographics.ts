/**
 * The demographics a fed patient's FHIR Patient resource gives (the ITI-104 feed keeps it), in
 * the shape XCPD answers with; and the check that a query's demographics fit the patient its
 * identifier found. A national identifier alone would let a typo or a guessed number reach
 * someone else's record: eHDSI's country of affiliation compares the traits it is sent.
 */
import type { Demographics } from './model';

type Json = Record<string, unknown>;

const asArray = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** The official name, else the first one. */
function nameOf(resource: Json): Pick<Demographics, 'given' | 'family'> {
  const names = asArray(resource.name);
  const name = names.find((n) => n.use === 'official') ?? names[0];
  if (!name) return {};
  const given = (Array.isArray(name.given) ? name.given : []).map(str).filter((g): g is string => !!g);
  const family = str(name.family);
  return { ...(given.length ? { given } : {}), ...(family ? { family } : {}) };
}

const GENDER: Readonly<Record<string, Demographics['gender']>> = { male: 'M', female: 'F', other: 'UN', unknown: 'UN' };

function addressOf(resource: Json): Demographics['address'] | undefined {
  const a = asArray(resource.address).find((x) => x.use === 'home') ?? asArray(resource.address)[0];
  if (!a) return undefined;
  const line = (Array.isArray(a.line) ? a.line : []).map(str).filter(Boolean).join(', ');
  const out = {
    ...(line ? { streetAddressLine: line } : {}),
    ...(str(a.city) ? { city: str(a.city)! } : {}),
    ...(str(a.postalCode) ? { postalCode: str(a.postalCode)! } : {}),
    ...(str(a.country) ? { country: str(a.country)! } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

export function demographicsOf(resource: unknown): Demographics {
  if (typeof resource !== 'object' || resource === null) return {};
  const r = resource as Json;
  const gender = typeof r.gender === 'string' ? GENDER[r.gender] : undefined;
  const birthDate = str(r.birthDate);
  const address = addressOf(r);
  return { ...nameOf(r), ...(gender ? { gender } : {}), ...(birthDate && /^\d{4}(-\d{2}){0,2}$/.test(birthDate) ? { birthDate } : {}), ...(address ? { address } : {}) };
}

/**
 * Whether the traits a query states agree with the patient's: birth date and gender, where both
 * sides know them (UN is no statement). Names are not compared: transliteration between
 * alphabets and national conventions (two surnames, diacritics) make them a poor test.
 */
export function demographicsAgree(query: Demographics, patient: Demographics): boolean {
  if (query.birthDate && patient.birthDate) {
    const [a, b] = [query.birthDate, patient.birthDate];
    const n = Math.min(a.length, b.length);
    if (a.slice(0, n) !== b.slice(0, n)) return false;
  }
  if (query.gender && query.gender !== 'UN' && patient.gender && patient.gender !== 'UN' && query.gender !== patient.gender) return false;
  return true;
}
