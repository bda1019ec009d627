/**
 * ATNA audit trail. audit_events keeps every AuditEvent (our own and, later, ones other
 * actors feed us), searchable for ITI-81 by time, patient, type, subtype and outcome; the
 * full resource is JSONB. audit_outbox holds one row per event and Audit Record
 * Repository until delivered (at-least-once forwarding, ITI-20). audit_destinations keeps
 * each repository's last success and last error for /health.
 *
 * audit_outbox.event_id has no foreign key on purpose: the outbox rows are written in
 * the same statement as their event (and with every submission), and a per-row
 * referential check is a measurable part of that cost. Whatever deletes events must
 * delete their outbox rows too.
 *
 * patient_id is the XDS CX (`id^^^&OID&ISO`) like the registry's, so a patient
 * principal's scope is the same string. type_code is `system|code`; subtypes holds each
 * subtype both as `code` and as `system|code`, so an ITI-81 token in either form is one
 * GIN lookup.
 */
export const sql = `
CREATE TABLE audit_events (
  id          text PRIMARY KEY,
  recorded    timestamptz NOT NULL,
  patient_id  text,
  type_code   text NOT NULL,
  subtypes    text[] NOT NULL DEFAULT '{}',
  action      text,
  outcome     text NOT NULL,
  stored_at   timestamptz NOT NULL DEFAULT now(),
  resource    jsonb NOT NULL
);
CREATE INDEX audit_events_recorded ON audit_events (recorded);
CREATE INDEX audit_events_patient ON audit_events (patient_id, recorded) WHERE patient_id IS NOT NULL;
CREATE INDEX audit_events_type ON audit_events (type_code, recorded);
CREATE INDEX audit_events_subtypes ON audit_events USING gin (subtypes);
CREATE INDEX audit_events_failures ON audit_events (outcome, recorded) WHERE outcome <> '0';

CREATE TABLE audit_outbox (
  event_id        text NOT NULL,
  destination     text NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- Due time while pending; a claim pushes it out by the lease, so a crashed sender's rows come back.
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_attempt_at timestamptz,
  PRIMARY KEY (destination, event_id)
);
CREATE INDEX audit_outbox_due ON audit_outbox (destination, next_attempt_at) WHERE status = 'pending';
CREATE INDEX audit_outbox_failed ON audit_outbox (destination) WHERE status = 'failed';
CREATE INDEX audit_outbox_sent ON audit_outbox (last_attempt_at) WHERE status = 'sent';

CREATE TABLE audit_destinations (
  name          text PRIMARY KEY,
  last_sent_at  timestamptz,
  last_error    text,
  last_error_at timestamptz
);
`;
