/**
 * The statement steps that record subscription events with a registry change: the changed
 * objects travel as JSON, each is matched against the subscriptions of its patient and the
 * multi-patient ones of its focus (two index lookups, never a scan of every subscription),
 * the matched subscriptions are locked in id order (two submissions matching the same ones
 * cannot deadlock) and their event counters advanced, and the events inserted numbered from
 * there. The row lock is held to commit, so event numbers commit in increasing order.
 */
import type { RegistryChange } from '../../../domain/subscription';
import type { StatementSteps } from '../table-rows';

const FILTER = `(c.interaction = 'create' OR s.on_update)
  AND (s.type_codes IS NULL OR s.type_codes && c.type)
  AND (s.class_codes IS NULL OR s.class_codes && c.class)
  AND (s.format_codes IS NULL OR s.format_codes && c.format)
  AND (s.facility_codes IS NULL OR s.facility_codes && c.facility)
  AND (s.setting_codes IS NULL OR s.setting_codes && c.setting)
  AND (s.security_codes IS NULL OR s.security_codes && c.security)
  AND (s.event_codes IS NULL OR s.event_codes && c.event)
  AND (s.statuses IS NULL OR c.status = ANY (s.statuses))
  AND (s.authors IS NULL OR EXISTS (SELECT 1 FROM unnest(s.authors) a WHERE strpos(c.authors, a) > 0))
  AND (s.ends_at IS NULL OR s.ends_at > now())`;

const HIT_COLUMNS = 's.id AS sid, c.ord, c.focus, c.id AS fid, c.patient, c.interaction';

export function subscriptionEventSteps(changes: readonly RegistryChange[]): StatementSteps {
  const rows = changes.map((c, ord) => ({
    ord,
    focus: c.focus,
    id: c.id,
    patient: c.patientId,
    interaction: c.interaction,
    status: c.status,
    authors: c.authors,
    ...c.codes,
  }));
  return {
    steps: (param) => [
      {
        name: 'sub_chg',
        sql: `SELECT * FROM jsonb_to_recordset(${param(JSON.stringify(rows))}::jsonb) AS c(ord integer, focus text, id text, patient text, interaction text, status text, authors text,
          type text[], class text[], format text[], facility text[], setting text[], security text[], event text[])`,
      },
      {
        name: 'sub_hit',
        sql: `SELECT ${HIT_COLUMNS} FROM sub_chg c JOIN subscriptions s ON s.patient_id = c.patient AND s.focus = c.focus AND s.status <> 'off' WHERE ${FILTER}
          UNION ALL
          SELECT ${HIT_COLUMNS} FROM sub_chg c JOIN subscriptions s ON s.patient_id IS NULL AND s.focus = c.focus AND s.status <> 'off' WHERE ${FILTER}`,
      },
      { name: 'sub_lock', sql: `SELECT id FROM subscriptions WHERE id IN (SELECT sid FROM sub_hit) ORDER BY id FOR UPDATE` },
      {
        name: 'sub_bump',
        sql: `UPDATE subscriptions s SET events_since_start = s.events_since_start + k.n
          FROM (SELECT l.id, (SELECT count(*) FROM sub_hit h WHERE h.sid = l.id) AS n FROM sub_lock l) k
          WHERE s.id = k.id RETURNING s.id, s.events_since_start - k.n AS base`,
      },
      {
        name: 'sub_ins',
        sql: `INSERT INTO subscription_events (subscription_id, event_number, focus, focus_id, patient_id, interaction)
          SELECT h.sid, b.base + row_number() OVER (PARTITION BY h.sid ORDER BY h.ord), h.focus, h.fid, h.patient, h.interaction
          FROM sub_hit h JOIN sub_bump b ON b.id = h.sid`,
      },
    ],
  };
}
