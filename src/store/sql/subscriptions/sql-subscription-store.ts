/**
 * The subscriptions' store (the SubscriptionStore port of subscriptions/ports.ts) on
 * PostgreSQL or PGlite. Delivery is leased per subscription (subscription_delivery): one
 * UPDATE takes it only when nobody holds it or the holder's lease ran out (a process killed
 * mid-send), so several gateway processes never send the same events at once, and no
 * transaction stays open while a notification is on the wire.
 */
import type { DocumentEntry, Folder } from '../../../domain/metadata';
import { documentChange, folderChange } from '../../../domain/registry-changes';
import type { StoreTransaction } from '../../../domain/store-transaction';
import { fromRow as registryObjectOf } from '../registry-rows';
import { topicByUrl, type RegistryChange, type SubscriptionEvent, type SubscriptionRecord, type SubscriptionStatus } from '../../../domain/subscription';
import type { DeliveryClaim, SubscriptionStore } from '../../../subscriptions/ports';
import type { SqlExecutor } from '../database';
import { executorOf, storeRows } from '../store-handles';
import { insertTables } from '../table-rows';
import { subscriptionEventSteps } from './subscription-event-sql';

interface SubscriptionRow {
  id: string;
  owner: string;
  topic: string;
  patient_id: string | null;
  status: SubscriptionStatus;
  type_codes: string[] | null;
  class_codes: string[] | null;
  format_codes: string[] | null;
  facility_codes: string[] | null;
  setting_codes: string[] | null;
  security_codes: string[] | null;
  event_codes: string[] | null;
  authors: string[] | null;
  statuses: string[] | null;
  channel: SubscriptionRecord['channel'];
  resource: Record<string, unknown>;
  fhir_base: string;
  events_since_start: string | number;
  last_error: string | null;
  ends_at: Date | string | null;
}

const SELECT = `SELECT s.*, d.last_error FROM subscriptions s LEFT JOIN subscription_delivery d ON d.subscription_id = s.id`;

function recordOf(r: SubscriptionRow): SubscriptionRecord {
  const topic = topicByUrl(r.topic);
  if (!topic) throw new Error(`subscription ${r.id} names topic ${r.topic}, which this gateway no longer serves`);
  const filter: SubscriptionRecord['filter'] = {};
  const set = <K extends keyof SubscriptionRecord['filter']>(k: K, v: SubscriptionRecord['filter'][K] | null) => {
    if (v !== null && v !== undefined) filter[k] = v;
  };
  set('patientId', r.patient_id);
  set('typeCodes', r.type_codes);
  set('classCodes', r.class_codes);
  set('formatCodes', r.format_codes);
  set('facilityCodes', r.facility_codes);
  set('settingCodes', r.setting_codes);
  set('securityCodes', r.security_codes);
  set('eventCodes', r.event_codes);
  set('authors', r.authors);
  set('statuses', r.statuses);
  return {
    id: r.id,
    owner: r.owner,
    topic,
    filter,
    channel: r.channel,
    status: r.status,
    resource: r.resource,
    fhirBase: r.fhir_base,
    eventsSinceStart: Number(r.events_since_start),
    ...(r.status === 'error' && r.last_error ? { error: r.last_error } : {}),
    ...(r.ends_at ? { endsAt: new Date(r.ends_at).toISOString() } : {}),
  };
}

function eventOf(r: { subscription_id: string; event_number: string | number; focus: SubscriptionEvent['focus']; focus_id: string; patient_id: string; interaction: SubscriptionEvent['interaction']; occurred_at: Date | string }): SubscriptionEvent {
  return {
    subscriptionId: r.subscription_id,
    eventNumber: Number(r.event_number),
    focus: r.focus,
    focusId: r.focus_id,
    patientId: r.patient_id,
    interaction: r.interaction,
    occurredAt: new Date(r.occurred_at).toISOString(),
  };
}

export class SqlSubscriptionStore implements SubscriptionStore {
  constructor(private readonly db: SqlExecutor) {}

  async insert(s: SubscriptionRecord): Promise<void> {
    const f = s.filter;
    await this.db.query(
      `WITH s AS (INSERT INTO subscriptions (id, owner, topic, focus, on_update, patient_id, status, type_codes, class_codes, format_codes, facility_codes,
         setting_codes, security_codes, event_codes, authors, statuses, channel, resource, ends_at, fhir_base)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id)
       INSERT INTO subscription_delivery (subscription_id) SELECT id FROM s`,
      [
        s.id, s.owner, s.topic.url, s.topic.focus, s.topic.onUpdate, f.patientId ?? null, s.status,
        f.typeCodes ?? null, f.classCodes ?? null, f.formatCodes ?? null, f.facilityCodes ?? null, f.settingCodes ?? null,
        f.securityCodes ?? null, f.eventCodes ?? null, f.authors ?? null, f.statuses ?? null,
        JSON.stringify(s.channel), JSON.stringify(s.resource), s.endsAt ?? null, s.fhirBase,
      ],
    );
  }

  async get(id: string): Promise<SubscriptionRecord | undefined> {
    const r = await this.db.query<SubscriptionRow>(`${SELECT} WHERE s.id = $1`, [id]);
    return r.rows[0] ? recordOf(r.rows[0]) : undefined;
  }

  async listByOwner(owner: string, limit: number): Promise<SubscriptionRecord[]> {
    const r = await this.db.query<SubscriptionRow>(`${SELECT} WHERE s.owner = $1 ORDER BY s.created_at DESC, s.id LIMIT $2`, [owner, limit]);
    return r.rows.map(recordOf);
  }

  async remove(id: string): Promise<boolean> {
    const r = await this.db.query('DELETE FROM subscriptions WHERE id = $1', [id]);
    return r.rowCount > 0;
  }

  async setStatus(id: string, status: SubscriptionStatus, error?: string): Promise<void> {
    await this.db.query(
      `WITH s AS (UPDATE subscriptions SET status = $2 WHERE id = $1 AND status <> $2 RETURNING id)
       UPDATE subscription_delivery SET last_error = $3 WHERE subscription_id = $1`,
      [id, status, error ?? null],
    );
  }

  eventRows(changes: readonly RegistryChange[]) {
    return changes.length === 0 ? [] : storeRows([subscriptionEventSteps(changes)]);
  }

  async recordUpdates(tx: StoreTransaction, changed: ReadonlyArray<{ kind: 'DocumentEntry' | 'Folder'; entryUuid: string }>): Promise<void> {
    const sql = executorOf(tx);
    const ids = (kind: string) => changed.filter((c) => c.kind === kind).map((c) => c.entryUuid);
    const changes: RegistryChange[] = [];
    const documents = ids('DocumentEntry');
    if (documents.length > 0) {
      const r = await sql.query<{ metadata: unknown; status: string }>('SELECT metadata, status FROM document_entries WHERE entry_uuid = ANY($1)', [documents]);
      changes.push(...r.rows.map((row) => documentChange(registryObjectOf<DocumentEntry>(row), 'update')));
    }
    const folders = ids('Folder');
    if (folders.length > 0) {
      const r = await sql.query<{ metadata: unknown; status: string }>('SELECT metadata, status FROM folders WHERE entry_uuid = ANY($1)', [folders]);
      changes.push(...r.rows.map((row) => folderChange(registryObjectOf<Folder>(row), 'update')));
    }
    if (changes.length > 0) await insertTables(sql, [subscriptionEventSteps(changes)]);
  }

  async due(limit: number): Promise<string[]> {
    const r = await this.db.query<{ id: string }>(
      `SELECT s.id FROM subscriptions s JOIN subscription_delivery d ON d.subscription_id = s.id
       WHERE s.events_since_start > d.delivered_through AND s.status <> 'off' AND d.next_attempt_at <= now()
         AND (d.lease_until IS NULL OR d.lease_until < now())
       ORDER BY d.next_attempt_at LIMIT $1`,
      [limit],
    );
    return r.rows.map((x) => x.id);
  }

  async claim(id: string, owner: string, leaseMs: number): Promise<DeliveryClaim | undefined> {
    const r = await this.db.query<SubscriptionRow & { delivered_through: string | number; failures: number; events: Array<Parameters<typeof eventOf>[0]> }>(
      `WITH c AS (UPDATE subscription_delivery SET lease_owner = $2, lease_until = now() + make_interval(secs => $3::double precision / 1000)
         WHERE subscription_id = $1 AND (lease_until IS NULL OR lease_until < now())
         RETURNING subscription_id, delivered_through, failures, last_error)
       SELECT s.*, c.delivered_through, c.failures, c.last_error,
         (SELECT coalesce(json_agg(e ORDER BY e.event_number), '[]'::json) FROM (
            SELECT * FROM subscription_events WHERE subscription_id = c.subscription_id AND event_number > c.delivered_through
            ORDER BY event_number LIMIT (s.channel->>'maxCount')::integer) e) AS events
       FROM c JOIN subscriptions s ON s.id = c.subscription_id`,
      [id, owner, leaseMs],
    );
    const row = r.rows[0];
    return row ? { subscription: recordOf(row), deliveredThrough: Number(row.delivered_through), failures: row.failures, events: row.events.map(eventOf) } : undefined;
  }

  async events(id: string, after: number, limit: number, through?: number): Promise<SubscriptionEvent[]> {
    const r = await this.db.query<Parameters<typeof eventOf>[0]>(
      `SELECT * FROM subscription_events WHERE subscription_id = $1 AND event_number > $2 AND ($3::bigint IS NULL OR event_number <= $3)
       ORDER BY event_number LIMIT $4`,
      [id, after, through ?? null, limit],
    );
    return r.rows.map(eventOf);
  }

  async delivered(id: string, owner: string, through: number, leaseMs: number, limit: number): Promise<SubscriptionEvent[]> {
    // An event recorded after this statement's snapshot finds the lease released: its commit wakes delivery again.
    const r = await this.db.query<Parameters<typeof eventOf>[0]>(
      `WITH n AS (SELECT * FROM subscription_events WHERE subscription_id = $1 AND event_number > $3 ORDER BY event_number LIMIT $5),
       d AS (UPDATE subscription_delivery SET delivered_through = GREATEST(delivered_through, $3), failures = 0, last_error = NULL, next_attempt_at = now(), last_sent_at = now(),
           lease_owner = CASE WHEN EXISTS (SELECT 1 FROM n) THEN lease_owner END,
           lease_until = CASE WHEN EXISTS (SELECT 1 FROM n) THEN now() + make_interval(secs => $4::double precision / 1000) END
         WHERE subscription_id = $1 AND lease_owner = $2 RETURNING subscription_id)
       SELECT n.* FROM n JOIN d ON d.subscription_id = n.subscription_id ORDER BY n.event_number`,
      [id, owner, through, leaseMs, limit],
    );
    return r.rows.map(eventOf);
  }

  async failed(id: string, owner: string, error: string, retryAt: Date): Promise<number> {
    const r = await this.db.query<{ failures: number }>(
      `UPDATE subscription_delivery SET failures = failures + 1, last_error = $3, next_attempt_at = $4, lease_owner = NULL, lease_until = NULL
       WHERE subscription_id = $1 AND lease_owner = $2 RETURNING failures`,
      [id, owner, error.slice(0, 1000), retryAt.toISOString()],
    );
    return r.rows[0]?.failures ?? 0;
  }

  async release(id: string, owner: string): Promise<void> {
    await this.db.query('UPDATE subscription_delivery SET lease_owner = NULL, lease_until = NULL WHERE subscription_id = $1 AND lease_owner = $2', [id, owner]);
  }

  async heartbeatsDue(limit: number): Promise<string[]> {
    const r = await this.db.query<{ id: string }>(
      `SELECT s.id FROM subscriptions s JOIN subscription_delivery d ON d.subscription_id = s.id
       WHERE (s.channel->>'heartbeatSeconds')::integer > 0 AND s.channel->>'type' <> 'websocket' AND s.status <> 'off'
         AND d.last_sent_at + make_interval(secs => (s.channel->>'heartbeatSeconds')::double precision) <= now()
         AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now())
       LIMIT $1`,
      [limit],
    );
    return r.rows.map((x) => x.id);
  }

  async heartbeatSent(id: string, owner: string): Promise<void> {
    await this.db.query(
      `UPDATE subscription_delivery SET last_sent_at = now(), failures = 0, last_error = NULL, lease_owner = NULL, lease_until = NULL
       WHERE subscription_id = $1 AND lease_owner = $2`,
      [id, owner],
    );
  }

  async deliveredThrough(id: string): Promise<number> {
    const r = await this.db.query<{ delivered_through: string | number }>('SELECT delivered_through FROM subscription_delivery WHERE subscription_id = $1', [id]);
    return Number(r.rows[0]?.delivered_through ?? 0);
  }
}
