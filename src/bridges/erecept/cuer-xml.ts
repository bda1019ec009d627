/**
 * The request elements of CÚER messages as XML text. The bridge writes them itself rather than
 * letting the soap package serialize objects: a signed element must reach CÚER byte for byte as
 * it was signed, so it is handed to the soap client as finished XML (`_xml`) and never touched
 * again.
 */
import type { Pacient, PacientKlic, Polozka, Predpis, Vydej } from './cuer-types';

export const CUER_NS = 'http://www.sukl.cz/erp/201704';
/** The message version this interface implements (Zprava/Verze). */
export const CUER_VERSION = '201704A';

type Node = string | undefined | Node[];

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** An element of the CÚER namespace; absent (undefined) text or children leave it out. */
function el(name: string, content: Node | number): string {
  if (content === undefined) return '';
  const inner = typeof content === 'number' ? String(content) : Array.isArray(content) ? content.flat(Infinity as 1).join('') : escapeXml(content);
  return `<erp:${name}>${inner}</erp:${name}>`;
}

export interface Zprava {
  idZpravy: string;
  odeslano: string;
  swKlienta: string;
}

const zprava = (z: Zprava) => el('Zprava', [el('ID_Zpravy', z.idZpravy), el('Verze', CUER_VERSION), el('Odeslano', z.odeslano), el('SW_Klienta', z.swKlienta)]);

const pacient = (p: Pacient) =>
  el('Pacient', [el('Prijmeni', p.prijmeni), el('Jmena', p.jmena), el('DatumNarozeni', p.datumNarozeni), el('RID', p.rid), el('CP', p.cp), el('ZP', p.zp)]);

const polozka = (p: Polozka) =>
  el('PLP', [el('HVLPReg', [el('Kod', p.kod), el('Nazev', p.nazev), el('ATC', p.atc)]), el('Mnozstvi', p.mnozstvi), el('Navod', p.navod)]);

const predpis = (d: Predpis) =>
  el('Doklad', [
    el('DatumVystaveni', d.datumVystaveni),
    el('PlatnostDo', d.platnostDo),
    pacient(d.pacient),
    el('Predepisujici', [el('Lekar', d.predepisujici.lekar), el('ICZ', d.predepisujici.icz), el('ICP', d.predepisujici.icp), el('PZS', d.predepisujici.pzs), el('Odbornost', d.predepisujici.odbornost)]),
    d.polozky.map(polozka),
    el('Pozn', d.pozn),
  ]);

const vydej = (v: Vydej) => el('Vydej', [el('DatumVydeje', v.datumVydeje), el('Lekarnik', v.lekarnik), el('Lekarna', v.lekarna), v.polozky.map(polozka)]);

/** The request element; `signedId` gives it the Id its signature references. */
function request(name: string, children: Node[], signedId?: string): string {
  return `<erp:${name} xmlns:erp="${CUER_NS}"${signedId ? ` Id="${signedId}"` : ''}>${children.flat(Infinity as 1).join('')}</erp:${name}>`;
}

export const cuerRequests = {
  zalozitPredpis: (z: Zprava, d: Predpis, id: string) => request('ZalozeniPredpisuDotaz', [zprava(z), predpis(d)], id),
  nacistPredpis: (z: Zprava, idDokladu: string) => request('NacteniPredpisuDotaz', [zprava(z), el('ID_Dokladu', idDokladu)]),
  zmenitPredpis: (z: Zprava, idDokladu: string, d: Predpis, id: string) => request('ZmenaPredpisuDotaz', [zprava(z), el('ID_Dokladu', idDokladu), predpis(d)], id),
  zrusitPredpis: (z: Zprava, idDokladu: string, duvod: string, id: string) => request('ZruseniPredpisuDotaz', [zprava(z), el('ID_Dokladu', idDokladu), el('DuvodZruseni', duvod)], id),
  nacistSeznam: (z: Zprava, klic: PacientKlic, stav?: string) =>
    request('SeznamPredpisuPacientaDotaz', [zprava(z), 'rid' in klic ? el('RID', klic.rid) : el('CP', klic.cp), el('Stav', stav)]),
  zalozitVydej: (z: Zprava, idDokladu: string, v: Vydej, id: string) => request('ZalozeniVydejeDotaz', [zprava(z), el('ID_Dokladu', idDokladu), vydej(v)], id),
};
