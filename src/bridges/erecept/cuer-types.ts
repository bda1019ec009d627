/**
 * CÚER's prescription and dispense as the bridge handles them: the content of the Doklad and
 * Vydej elements of wsdl/erecept/cuer-erecept.xsd, in SÚKL's terms (FHIR is mapped onto these
 * in src/fhir/erecept). Plain data.
 */

/** ASSUMED state codes (cuer-erecept.xsd StavPredpisu). */
export type StavPredpisu = 'PREDEPSANY' | 'CASTECNE_VYDANY' | 'VYDANY' | 'ZRUSENY';

export interface Pacient {
  prijmeni: string;
  jmena: string;
  /** YYYY-MM-DD */
  datumNarozeni: string;
  rid?: string;
  /** Číslo pojištěnce (usually the rodné číslo). */
  cp?: string;
  /** Insurer code. */
  zp?: string;
}

export interface Predepisujici {
  lekar: string;
  icz?: string;
  icp?: string;
  pzs?: string;
  odbornost?: string;
}

/** One prescribed item: a registered product by its SÚKL code. */
export interface Polozka {
  kod: string;
  nazev?: string;
  atc?: string;
  mnozstvi: number;
  navod?: string;
}

export interface Predpis {
  datumVystaveni: string;
  platnostDo?: string;
  pacient: Pacient;
  predepisujici: Predepisujici;
  polozky: Polozka[];
  pozn?: string;
}

export interface Vydej {
  datumVydeje: string;
  lekarnik: string;
  lekarna: string;
  polozky: Polozka[];
}

export interface UlozenyVydej extends Vydej {
  idVydeje: string;
}

export interface UlozenyPredpis extends Predpis {
  idDokladu: string;
  stav: StavPredpisu;
  vydeje: UlozenyVydej[];
}

/** Who the list operation asks about: RID or číslo pojištěnce. */
export type PacientKlic = { rid: string } | { cp: string };
