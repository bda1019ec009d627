/**
 * CÚER's answers, as the soap package parsed them (objects keyed by element name; a repeated
 * element is an array only when it repeats), read into the bridge's types. Anything the
 * answer lacks that the schema requires is CÚER's fault, not the caller's: CuerProtocolError.
 */
import type { Polozka, StavPredpisu, UlozenyPredpis, UlozenyVydej } from './cuer-types';

export class CuerProtocolError extends Error {
  constructor(what: string) {
    super(`CÚER answered without ${what}`);
    this.name = 'CuerProtocolError';
  }
}

type Parsed = Record<string, unknown>;

function list(v: unknown): Parsed[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as Parsed[];
}

/** Text content; dates the parser turned into Date objects back to their lexical form. */
function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') return (v as { $value?: unknown }).$value === undefined ? undefined : String((v as { $value: unknown }).$value);
  return String(v);
}

function need(v: unknown, what: string): string {
  const t = text(v);
  if (t === undefined || t === '') throw new CuerProtocolError(what);
  return t;
}

const optional = <K extends string>(key: K, v: string | undefined): Partial<Record<K, string>> => (v === undefined ? {} : ({ [key]: v } as Record<K, string>));

function polozka(p: Parsed): Polozka {
  const reg = (p.HVLPReg ?? {}) as Parsed;
  return {
    kod: need(reg.Kod, 'PLP/HVLPReg/Kod'),
    ...optional('nazev', text(reg.Nazev)),
    ...optional('atc', text(reg.ATC)),
    mnozstvi: Number(need(p.Mnozstvi, 'PLP/Mnozstvi')),
    ...optional('navod', text(p.Navod)),
  };
}

function vydej(v: Parsed): UlozenyVydej {
  return {
    idVydeje: need(v.ID_Vydeje, 'Vydej/ID_Vydeje'),
    datumVydeje: need(v.DatumVydeje, 'Vydej/DatumVydeje'),
    lekarnik: need(v.Lekarnik, 'Vydej/Lekarnik'),
    lekarna: need(v.Lekarna, 'Vydej/Lekarna'),
    polozky: list(v.PLP).map(polozka),
  };
}

export function ulozenyPredpis(d: unknown): UlozenyPredpis {
  if (!d || typeof d !== 'object') throw new CuerProtocolError('Doklad');
  const doklad = d as Parsed;
  const p = (doklad.Pacient ?? {}) as Parsed;
  const lekar = (doklad.Predepisujici ?? {}) as Parsed;
  return {
    idDokladu: need(doklad.ID_Dokladu, 'Doklad/ID_Dokladu'),
    stav: need(doklad.Stav, 'Doklad/Stav') as StavPredpisu,
    datumVystaveni: need(doklad.DatumVystaveni, 'Doklad/DatumVystaveni'),
    ...optional('platnostDo', text(doklad.PlatnostDo)),
    pacient: {
      prijmeni: need(p.Prijmeni, 'Pacient/Prijmeni'),
      jmena: need(p.Jmena, 'Pacient/Jmena'),
      datumNarozeni: need(p.DatumNarozeni, 'Pacient/DatumNarozeni'),
      ...optional('rid', text(p.RID)),
      ...optional('cp', text(p.CP)),
      ...optional('zp', text(p.ZP)),
    },
    predepisujici: {
      lekar: need(lekar.Lekar, 'Predepisujici/Lekar'),
      ...optional('icz', text(lekar.ICZ)),
      ...optional('icp', text(lekar.ICP)),
      ...optional('pzs', text(lekar.PZS)),
      ...optional('odbornost', text(lekar.Odbornost)),
    },
    polozky: list(doklad.PLP).map(polozka),
    ...optional('pozn', text(doklad.Pozn)),
    vydeje: list(doklad.Vydej).map(vydej),
  };
}

export function ulozenePredpisy(answer: Parsed): UlozenyPredpis[] {
  return list(answer.Doklad).map(ulozenyPredpis);
}

export function idVydeje(answer: Parsed): string {
  return need(answer.ID_Vydeje, 'ID_Vydeje');
}
