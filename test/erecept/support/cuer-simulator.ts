// TEST ONLY, not product code: a stand-in for SÚKL's CÚER, built by the `soap` package's server
// from the same wsdl/erecept files the bridge's client uses. HTTPS on a free loopback port,
// requiring a client certificate from the test CA; HTTP Basic checked against one user and
// password; the XML signature of every changing message checked against the one signing
// certificate it trusts (and its Reference must be the request element itself). Prescriptions
// live in memory. Its rules are just enough to give each Chyba code of the interface a cause:
//   CUER_NEPLATNY_PODPIS  signature missing, not verifying, or by another certificate
//   CUER_NEOPRAVNENY      changing or cancelling a prescription of another Lekar
//   CUER_NEPLATNA_DATA    a SÚKL code not in the simulator's product list (UNKNOWN_PRODUCT)
//   CUER_NENALEZENO       an ID_Dokladu it does not keep
//   CUER_NEPOVOLENY_STAV  changing a dispensed or cancelled one, cancelling twice, dispensing a cancelled one
//   CUER_NEDOSTUPNE       while `unavailable` is set
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { listen, type Server as SoapServer } from 'soap';
import { SignedXml } from 'xml-crypto';
import { WSDL_DIR } from '../../../src/bridges/erecept/cuer-client';

export const UNKNOWN_PRODUCT = '9999999';

export interface SimulatorOptions {
  serverCert: Buffer;
  serverKey: Buffer;
  /** CA whose client certificates are accepted. */
  clientCa: Buffer;
  user: string;
  password: string;
  /** The one certificate whose signatures are accepted (PEM). */
  signingCert: Buffer;
}

type Doklad = Record<string, unknown> & { ID_Dokladu: string; Stav: string; Predepisujici: { Lekar: string }; Vydej: unknown[] };

class Chyba {
  constructor(
    readonly kod: string,
    readonly popis: string,
  ) {}
}

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

/** The soap server parses xs:date into Date objects; kept, they would be answered in Date.toString() form. */
function lexicalDates(v: unknown): any {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (Array.isArray(v)) return v.map(lexicalDates);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lexicalDates(x)]));
  return v;
}

export class CuerSimulator {
  readonly prescriptions = new Map<string, Doklad>();
  /** Every request that reached an operation, by operation name (after transport checks). */
  readonly calls: string[] = [];
  /** While set, every operation answers CUER_NEDOSTUPNE; each such answer is noted in `unavailableAnswers`. */
  unavailable = false;
  readonly unavailableAnswers: string[] = [];
  /** While above 0, every operation waits this long, then does its work and answers (to whoever still listens). */
  stallMs = 0;
  port = 0;
  private server?: https.Server;

  constructor(private readonly options: SimulatorOptions) {}

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<void> {
    const server = https.createServer({ cert: this.options.serverCert, key: this.options.serverKey, ca: this.options.clientCa, requestCert: true, rejectUnauthorized: true });
    await Promise.all([this.mount(server, 'CUERLekar', '/cuer/Lekar'), this.mount(server, 'CUERLekarnik', '/cuer/Lekarnik')]);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** Stores a prescription of another prescriber (for CUER_NEOPRAVNENY). */
  seedForeign(idDokladu: string, doklad: Record<string, unknown>): void {
    this.prescriptions.set(idDokladu, { ...doklad, ID_Dokladu: idDokladu, Stav: 'PREDEPSANY', Predepisujici: { Lekar: 'jiny-lekar' }, Vydej: [] } as Doklad);
  }

  private mount(server: https.Server, service: 'CUERLekar' | 'CUERLekarnik', urlPath: string): Promise<SoapServer> {
    const wsdlFile = path.join(WSDL_DIR, `${service}.wsdl`);
    const ops = this.operations();
    const port = service === 'CUERLekar' ? { ZalozitPredpis: ops.ZalozitPredpis, NacistPredpis: ops.NacistPredpis, ZmenitPredpis: ops.ZmenitPredpis, ZrusitPredpis: ops.ZrusitPredpis, NacistSeznamPredpisuPacienta: ops.NacistSeznamPredpisuPacienta } : { NacistPredpis: ops.NacistPredpis, ZalozitVydej: ops.ZalozitVydej };
    return new Promise((resolve, reject) => {
      const soapServer: SoapServer = listen(server, {
        path: urlPath,
        services: { [service]: { [`${service}Port`]: port } },
        xml: fs.readFileSync(wsdlFile, 'utf8'),
        uri: wsdlFile,
        callback: (err: unknown) => (err ? reject(err) : resolve(soapServer)),
      } as never);
      // The raw request, for the signature check (the operation sees only the parsed object).
      soapServer.log = (type: string, data: unknown, req: unknown) => {
        if (type === 'received' && req) (req as { rawXml?: string }).rawXml = String(data);
      };
      soapServer.authorizeConnection = (req, res) => {
        const expected = `Basic ${Buffer.from(`${this.options.user}:${this.options.password}`).toString('base64')}`;
        if (req.headers.authorization !== expected) {
          res!.statusCode = 401;
          res!.setHeader('WWW-Authenticate', 'Basic realm="CUER"');
          return false;
        }
        return true;
      };
    });
  }

  private checkSignature(rawXml: string | undefined, requestElement: string): void {
    if (!rawXml) throw new Chyba('CUER_NEPLATNY_PODPIS', 'zpráva bez podpisu');
    const doc = new DOMParser().parseFromString(rawXml, 'text/xml');
    const request = doc.getElementsByTagNameNS('http://www.sukl.cz/erp/201704', requestElement)[0];
    const signature = request ? Array.from(request.childNodes).find((n) => n.namespaceURI === DSIG && n.localName === 'Signature') : undefined;
    if (!request || !signature) throw new Chyba('CUER_NEPLATNY_PODPIS', 'zpráva bez podpisu');
    const sig = new SignedXml({ publicCert: this.options.signingCert, getCertFromKeyInfo: () => null });
    sig.loadSignature(signature as never);
    let valid = false;
    try {
      valid = sig.checkSignature(rawXml);
    } catch {
      valid = false;
    }
    const id = (request as unknown as { getAttribute(name: string): string | null }).getAttribute('Id');
    const refs = sig.getReferences();
    if (!valid || refs.length !== 1 || refs[0]!.uri !== `#${id}` || sig.signatureAlgorithm !== 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256') {
      throw new Chyba('CUER_NEPLATNY_PODPIS', 'podpis zprávy neodpovídá jejímu obsahu');
    }
  }

  private zprava(): Record<string, string> {
    return { ID_Zpravy: randomUUID(), ID_Podani: randomUUID(), Prijato: new Date().toISOString() };
  }

  private found(id: string): Doklad {
    const d = this.prescriptions.get(id);
    if (!d) throw new Chyba('CUER_NENALEZENO', `předpis ${id} neexistuje`);
    return d;
  }

  private products(doklad: { PLP?: unknown }): void {
    const items = Array.isArray(doklad.PLP) ? doklad.PLP : [doklad.PLP];
    for (const item of items as Array<{ HVLPReg?: { Kod?: string } }>) {
      if (!item?.HVLPReg?.Kod || item.HVLPReg.Kod === UNKNOWN_PRODUCT) throw new Chyba('CUER_NEPLATNA_DATA', `neznámý kód SÚKL ${item?.HVLPReg?.Kod ?? ''}`);
    }
  }

  private operations() {
    const answerOf = (name: string, signedElement: string | undefined, body: (args: Record<string, any>) => Record<string, unknown>, args: Record<string, any>, req: { rawXml?: string }) => {
      try {
        if (this.unavailable) {
          this.unavailableAnswers.push(name);
          throw new Chyba('CUER_NEDOSTUPNE', 'CÚER je dočasně nedostupné');
        }
        if (signedElement) this.checkSignature(req?.rawXml, signedElement);
        this.calls.push(name);
        return { Zprava: this.zprava(), ...body(lexicalDates(args)) };
      } catch (err) {
        if (!(err instanceof Chyba)) throw err;
        throw { Fault: { faultcode: 'soap:Client', faultstring: err.popis, detail: { Chyba: { Kod: err.kod, Popis: err.popis } } } };
      }
    };
    /** An operation as the soap server calls it (args, callback, headers, req); a promise answers later. */
    const op =
      (name: string, signedElement: string | undefined, body: (args: Record<string, any>) => Record<string, unknown>) =>
      (args: Record<string, any>, _callback: unknown, _headers: unknown, req: { rawXml?: string }): unknown => {
        if (this.stallMs <= 0) return answerOf(name, signedElement, body, args, req);
        const ms = this.stallMs;
        return new Promise((resolve, reject) => {
          setTimeout(() => {
            try {
              resolve(answerOf(name, signedElement, body, args, req));
            } catch (err) {
              reject(err);
            }
          }, ms).unref();
        });
      };
    const lekar = this.options.user;
    return {
      ZalozitPredpis: op('ZalozitPredpis', 'ZalozeniPredpisuDotaz', (a) => {
        this.products(a.Doklad);
        const id = randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase();
        const doklad = { ...a.Doklad, ID_Dokladu: id, Stav: 'PREDEPSANY', Vydej: [] } as Doklad;
        this.prescriptions.set(id, doklad);
        return { Doklad: doklad };
      }),
      NacistPredpis: op('NacistPredpis', undefined, (a) => ({ Doklad: this.found(a.ID_Dokladu) })),
      ZmenitPredpis: op('ZmenitPredpis', 'ZmenaPredpisuDotaz', (a) => {
        const d = this.found(a.ID_Dokladu);
        if (d.Predepisujici.Lekar !== lekar) throw new Chyba('CUER_NEOPRAVNENY', 'předpis vystavil jiný lékař');
        if (d.Stav !== 'PREDEPSANY') throw new Chyba('CUER_NEPOVOLENY_STAV', `předpis ve stavu ${d.Stav} nelze změnit`);
        this.products(a.Doklad);
        const changed = { ...a.Doklad, ID_Dokladu: d.ID_Dokladu, Stav: d.Stav, Vydej: d.Vydej } as Doklad;
        this.prescriptions.set(d.ID_Dokladu, changed);
        return { Doklad: changed };
      }),
      ZrusitPredpis: op('ZrusitPredpis', 'ZruseniPredpisuDotaz', (a) => {
        const d = this.found(a.ID_Dokladu);
        if (d.Predepisujici.Lekar !== lekar) throw new Chyba('CUER_NEOPRAVNENY', 'předpis vystavil jiný lékař');
        if (d.Stav !== 'PREDEPSANY') throw new Chyba('CUER_NEPOVOLENY_STAV', `předpis ve stavu ${d.Stav} nelze zrušit`);
        d.Stav = 'ZRUSENY';
        return { Doklad: d };
      }),
      NacistSeznamPredpisuPacienta: op('NacistSeznamPredpisuPacienta', undefined, (a) => {
        const mine = [...this.prescriptions.values()].filter((d) => {
          const p = d.Pacient as { RID?: string; CP?: string };
          return (a.RID !== undefined && p.RID === a.RID) || (a.CP !== undefined && p.CP === a.CP);
        });
        return { Doklad: mine.filter((d) => a.Stav === undefined || d.Stav === a.Stav) };
      }),
      ZalozitVydej: op('ZalozitVydej', 'ZalozeniVydejeDotaz', (a) => {
        const d = this.found(a.ID_Dokladu);
        if (d.Stav === 'ZRUSENY' || d.Stav === 'VYDANY') throw new Chyba('CUER_NEPOVOLENY_STAV', `na předpis ve stavu ${d.Stav} nelze vydat`);
        this.products(a.Vydej);
        const idVydeje = randomUUID();
        d.Vydej = [...d.Vydej, { ...a.Vydej, ID_Vydeje: idVydeje }];
        d.Stav = 'VYDANY';
        return { ID_Vydeje: idVydeje, Doklad: d };
      }),
    };
  }
}
