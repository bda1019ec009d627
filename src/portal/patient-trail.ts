/**
 * What the portal asks the core for, always about the signed-in patient: the audit trail's
 * search (scopePatientId from the session, never from the request) and the registry's
 * documents of that patient (the principal is patient-scoped, so the registry limits them too).
 */
import type { AuditTrail } from '../audit/audit-trail';
import type { AuditQuery } from '../audit/audit-query';
import type { AuditScope } from '../audit/audit-scope';
import type { AuditEvent } from '../audit/fhir-audit-event';
import { AvailabilityStatus, DocumentEntryType, type DocumentEntry } from '../domain/metadata';
import { StoredQueryId } from '../domain/stored-query-catalog';
import type { Registry } from '../registry/registry';
import type { PortalDocument } from './portal-document';
import type { SignedIn } from './sessions';
import { eventRow } from './event-row';
import type { TrailRow } from './trail-row';
import { ACCESS_KINDS, type AccessKind } from './trail-row';

export interface TrailFilter {
  /** ISO instants; `to` is also the end of the view (pinned when the page loaded). */
  from?: string;
  to: string;
  kind?: AccessKind;
  organization?: string;
}


export interface TrailPage {
  total: number;
  page: number;
  pageSize: number;
  rows: TrailRow[];
}

export const PAGE_SIZE = 20;
/** The most rows one export (CSV, print) holds: a complaint names a period, not a decade. */
export const EXPORT_MAX = 10_000;
const SUMMARY_DAYS = 30;
/** Events the summary reads to name the organizations; the count itself is exact. */
const SUMMARY_SAMPLE = 2_000;
const DAY_MS = 86_400_000;
const CZ_ATC = 'https://hl7.cz/fhir/hie/CodeSystem/cz-atc-cs';

function xcnName(xcn: string | undefined): string | undefined {
  if (!xcn) return undefined;
  const [, family, given, , , prefix] = xcn.split('^');
  const name = [prefix, given, family].filter(Boolean).join(' ');
  return name || xcn;
}

/** XDS DTM (YYYYMMDDhhmmss, UTC) -> ISO, so the page shows dates one way. */
function dtmToIso(dtm: string): string {
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?/.exec(dtm);
  if (!m) return dtm;
  return `${m[1]}-${m[2] ?? '01'}-${m[3] ?? '01'}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}Z`;
}

function documentOf(d: DocumentEntry): PortalDocument {
  const author = d.authors[0];
  const dtm = d.creationTime ?? d.serviceStartTime;
  const date = dtm ? dtmToIso(dtm) : undefined;
  const type = d.typeCode?.display ?? d.classCode?.display ?? d.typeCode?.code;
  const authorName = xcnName(author?.person);
  const org = author?.institutions[0]?.split('^')[0];
  return {
    uniqueId: d.uniqueId,
    ...(d.title ? { title: d.title } : {}),
    ...(type ? { type } : {}),
    ...(date ? { date } : {}),
    ...(authorName ? { author: authorName } : {}),
    ...(org ? { organization: org } : {}),
  };
}

export class PatientTrail {
  constructor(
    private readonly audit: AuditTrail,
    private readonly registry: Registry,
    private readonly communityName: (homeCommunityId: string) => string | undefined,
  ) {}

  private query(user: SignedIn, filter: TrailFilter, count: number, offset: number): AuditQuery {
    return {
      scopePatientId: user.principal.patientId,
      ...(filter.from ? { from: filter.from } : {}),
      to: filter.to,
      ...(filter.kind && ACCESS_KINDS.includes(filter.kind) ? { subtype: [[`${CZ_ATC}|${filter.kind}`]] } : {}),
      ...(filter.organization ? { agent: [[filter.organization]] } : {}),
      count,
      offset,
    };
  }

  private rows(events: readonly AuditEvent[]): TrailRow[] {
    return events.map((e) => eventRow(e, this.communityName));
  }

  /** One page, newest first; with `audit` (a page load), the audit trail writes that scope's record (ATC_LOG_READ) before answering. */
  async page(user: SignedIn, filter: TrailFilter, page: number, audit?: AuditScope): Promise<TrailPage> {
    const query = this.query(user, filter, PAGE_SIZE, page * PAGE_SIZE);
    const result = audit ? await this.audit.searchFor(user.principal, query, audit) : await this.audit.search(query);
    return { total: result.total, page, pageSize: PAGE_SIZE, rows: this.rows(result.events) };
  }

  async all(user: SignedIn, filter: TrailFilter): Promise<TrailRow[]> {
    return this.rows((await this.audit.search(this.query(user, filter, EXPORT_MAX, 0))).events);
  }

  /** The last 30 days: how many accesses, by how many organizations, and accesses per day (for the chart). */
  async summary(user: SignedIn, to: string): Promise<{ days: number; total: number; organizations: { id: string; name?: string }[]; organizationsComplete: boolean; perDay: { day: string; count: number }[] }> {
    const end = Date.parse(to);
    const startOfToday = Math.floor(end / DAY_MS) * DAY_MS;
    const start = startOfToday - (SUMMARY_DAYS - 1) * DAY_MS;
    const period = { from: new Date(start).toISOString(), to };
    const [sample, ...perDay] = await Promise.all([
      this.audit.search(this.query(user, period, SUMMARY_SAMPLE, 0)),
      ...Array.from({ length: SUMMARY_DAYS }, (_, i) => {
        const from = new Date(start + i * DAY_MS).toISOString();
        const dayEnd = Math.min(start + (i + 1) * DAY_MS, end);
        return this.audit.search(this.query(user, { from, to: new Date(dayEnd).toISOString() }, 0, 0)).then((r) => ({ day: from.slice(0, 10), count: r.total }));
      }),
    ]);
    const organizations = new Map<string, { id: string; name?: string }>();
    for (const row of this.rows(sample!.events)) if (row.organization) organizations.set(row.organization.id, row.organization);
    return { days: SUMMARY_DAYS, total: sample!.total, organizations: [...organizations.values()], organizationsComplete: sample!.total <= SUMMARY_SAMPLE, perDay };
  }

  async documents(user: SignedIn): Promise<PortalDocument[]> {
    const result = await this.registry.query(
      {
        name: 'FindDocuments',
        queryId: StoredQueryId.FindDocuments,
        returnType: 'LeafClass',
        metadataLevel: 1,
        documents: { patientIds: [user.principal.patientId!], statuses: [AvailabilityStatus.Approved], objectTypes: [DocumentEntryType.Stable] },
      },
      user.principal,
    );
    return result.objects
      .filter((o): o is DocumentEntry & { kind: 'DocumentEntry' } => o.kind === 'DocumentEntry')
      .map(documentOf)
      .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
  }

  /** The accesses to one of the patient's documents; undefined when the registry lists no such document for this patient. */
  async documentHistory(user: SignedIn, uniqueId: string, to: string): Promise<TrailRow[] | undefined> {
    // The registry shows a patient-bound caller only that patient's entries: another patient's document is not found.
    const listed = await this.registry.query(
      { name: 'GetDocuments', queryId: StoredQueryId.GetDocuments, returnType: 'LeafClass', metadataLevel: 1, documentIds: { by: 'uniqueId', values: [uniqueId] } },
      user.principal,
    );
    if (listed.objects.length === 0) return undefined;
    // Audit records name an OID uniqueId as urn:oid:… (audit/entities.ts); either form is the document.
    const names = /^\d+(\.\d+)+$/.test(uniqueId) ? [uniqueId, `urn:oid:${uniqueId}`] : [uniqueId];
    const result = await this.audit.search({ ...this.query(user, { to }, 100, 0), entity: [names] });
    return this.rows(result.events);
  }
}
