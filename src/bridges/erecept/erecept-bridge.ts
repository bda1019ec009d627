/**
 * The eRecept bridge: prescriptions and dispenses in CÚER's terms, sent to CÚER, each recorded
 * in the request's audit scope. This is the bridge's core: the FHIR facade (src/fhir/erecept)
 * only translates, opens the scope and answers; here every call names its patient and writes
 * the success record once CÚER has answered and before the caller is (a failure is recorded by
 * the front end's audit wrapper with the patient already noted).
 *
 * Signed messages (create, change, cancel, dispense) are signed once, here, and handed on as
 * finished XML.
 */
import { randomUUID } from 'node:crypto';
import type { AuditScope } from '../../audit/audit-scope';
import { AccessDeniedError } from '../../domain/access-denied';
import { reachesPatient, type Principal } from '../../domain/principal';
import { CuerClient, type CuerService } from './cuer-client';
import { idVydeje, ulozenePredpisy, ulozenyPredpis } from './cuer-response';
import type { Pacient, PacientKlic, Predpis, StavPredpisu, UlozenyPredpis, Vydej } from './cuer-types';
import { cuerRequests, type Zprava } from './cuer-xml';
import type { EreceptConfig } from './erecept-config';
import { signRequest } from './message-signature';

/** One request to the bridge: its audit record and its caller. */
export interface BridgeRequest {
  audit: AuditScope;
  principal: Principal;
}

/** The audit record's patient (a CX) for a CÚER patient, or undefined when it has no identifier the affinity domain knows. */
export type AuditPatientOf = (p: Pacient | PacientKlic) => string | undefined;

export class EreceptBridge {
  readonly client: CuerClient;

  constructor(
    readonly config: EreceptConfig,
    private readonly auditPatientOf: AuditPatientOf,
    client?: CuerClient,
  ) {
    this.client = client ?? new CuerClient(config);
  }

  /** The CÚER user the gateway acts as: the prescriber in Predepisujici/Lekar, the pharmacist in Vydej/Lekarnik. */
  get user(): string {
    return this.config.user;
  }

  private zprava(): Zprava {
    return { idZpravy: randomUUID(), odeslano: new Date().toISOString(), swKlienta: this.config.clientSoftware };
  }

  private sign(build: (id: string) => string): string {
    const id = `erp-${randomUUID()}`;
    return signRequest(build(id), id, { cert: this.config.signing.cert, key: this.config.signing.key.reveal() });
  }

  /** Notes the patient for the audit record; a caller bound to one patient reaches that patient alone. */
  private notePatient(req: BridgeRequest, p: Pacient | PacientKlic, resource?: string): void {
    const patientId = this.auditPatientOf(p);
    req.audit.note({ ...(patientId ? { patientId } : {}), ...(resource ? { resource } : {}) });
    if (!reachesPatient(req.principal, patientId)) throw new AccessDeniedError("a prescription of another patient than the caller's");
  }

  /** Prescribing, changing and dispensing are done by professionals: a caller bound to one patient may only read. */
  private professional(req: BridgeRequest): void {
    if (req.principal.patientId !== undefined) throw new AccessDeniedError('a patient-context caller may not change prescriptions');
  }

  private async written(req: BridgeRequest, service: CuerService, operation: string, xml: string): Promise<UlozenyPredpis> {
    const answer = await this.client.send(service, operation, xml);
    const predpis = ulozenyPredpis(answer.Doklad);
    this.notePatient(req, predpis.pacient, `MedicationRequest/${predpis.idDokladu}`);
    await req.audit.succeeded();
    return predpis;
  }

  /** ZalozitPredpis: CÚER answers with the prescription's ID_Dokladu. */
  async prescribe(predpis: Predpis, req: BridgeRequest): Promise<UlozenyPredpis> {
    this.professional(req);
    this.notePatient(req, predpis.pacient);
    const xml = this.sign((id) => cuerRequests.zalozitPredpis(this.zprava(), predpis, id));
    return this.written(req, 'CUERLekar', 'ZalozitPredpis', xml);
  }

  /** ZmenitPredpis: the whole prescription again. */
  async change(idDokladu: string, predpis: Predpis, req: BridgeRequest): Promise<UlozenyPredpis> {
    this.professional(req);
    this.notePatient(req, predpis.pacient, `MedicationRequest/${idDokladu}`);
    const xml = this.sign((id) => cuerRequests.zmenitPredpis(this.zprava(), idDokladu, predpis, id));
    return this.written(req, 'CUERLekar', 'ZmenitPredpis', xml);
  }

  /** ZrusitPredpis. */
  async cancel(idDokladu: string, duvod: string, req: BridgeRequest): Promise<UlozenyPredpis> {
    this.professional(req);
    req.audit.note({ resource: `MedicationRequest/${idDokladu}` });
    const xml = this.sign((id) => cuerRequests.zrusitPredpis(this.zprava(), idDokladu, duvod, id));
    return this.written(req, 'CUERLekar', 'ZrusitPredpis', xml);
  }

  /** NacistPredpis (a read: retried while CÚER cannot be reached). */
  async read(idDokladu: string, req: BridgeRequest): Promise<UlozenyPredpis> {
    req.audit.note({ resource: `MedicationRequest/${idDokladu}` });
    const answer = await this.client.read('CUERLekar', 'NacistPredpis', cuerRequests.nacistPredpis(this.zprava(), idDokladu));
    const predpis = ulozenyPredpis(answer.Doklad);
    this.notePatient(req, predpis.pacient);
    await req.audit.succeeded();
    return predpis;
  }

  /** NacistSeznamPredpisuPacienta (ASSUMED operation): a patient's prescriptions, optionally in one state. */
  async list(klic: PacientKlic, stav: StavPredpisu | undefined, req: BridgeRequest): Promise<UlozenyPredpis[]> {
    this.notePatient(req, klic);
    const answer = await this.client.read('CUERLekar', 'NacistSeznamPredpisuPacienta', cuerRequests.nacistSeznam(this.zprava(), klic, stav));
    const predpisy = ulozenePredpisy(answer);
    await req.audit.succeeded();
    return predpisy;
  }

  /** ZalozitVydej: the pharmacist's dispense against prescription `idDokladu`. */
  async dispense(idDokladu: string, vydej: Vydej, req: BridgeRequest): Promise<{ idVydeje: string; predpis: UlozenyPredpis }> {
    this.professional(req);
    const xml = this.sign((id) => cuerRequests.zalozitVydej(this.zprava(), idDokladu, vydej, id));
    const answer = await this.client.send('CUERLekarnik', 'ZalozitVydej', xml);
    const predpis = ulozenyPredpis(answer.Doklad);
    const id = idVydeje(answer);
    this.notePatient(req, predpis.pacient, `MedicationDispense/${id}`);
    await req.audit.succeeded();
    return { idVydeje: id, predpis };
  }

  close(): void {
    this.client.close();
  }
}
