/**
 * DSUBm subscriptions (subscriptions/). `subscriptions` holds each Subscription, its filter as
 * columns the matching statement compares (a NULL array: any value), and the count of events
 * recorded for it; `subscription_events` one row per event, numbered per subscription, written
 * in the statement of the registry change that caused it. Delivery progress lives in
 * `subscription_delivery`, a row of its own so that a send in flight never holds the row a
 * submission updates; last_sent_at times heartbeats. Matching reads the two partial indexes: by patient, and the
 * multi-patient subscriptions by focus.
 */
export const sql = `
CREATE TABLE subscriptions (
  id text PRIMARY KEY,
  owner text NOT NULL,
  topic text NOT NULL,
  focus text NOT NULL,
  on_update boolean NOT NULL,
  patient_id text,
  status text NOT NULL,
  type_codes text[],
  class_codes text[],
  format_codes text[],
  facility_codes text[],
  setting_codes text[],
  security_codes text[],
  event_codes text[],
  authors text[],
  statuses text[],
  channel jsonb NOT NULL,
  resource jsonb NOT NULL,
  fhir_base text NOT NULL,
  events_since_start bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  ends_at timestamptz
);
CREATE INDEX subscriptions_by_patient ON subscriptions (patient_id, focus) WHERE patient_id IS NOT NULL AND status <> 'off';
CREATE INDEX subscriptions_multi_patient ON subscriptions (focus) WHERE patient_id IS NULL AND status <> 'off';
CREATE INDEX subscriptions_by_owner ON subscriptions (owner);

CREATE TABLE subscription_events (
  subscription_id text NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  event_number bigint NOT NULL,
  focus text NOT NULL,
  focus_id text NOT NULL,
  patient_id text NOT NULL,
  interaction text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subscription_id, event_number)
);

CREATE TABLE subscription_delivery (
  subscription_id text PRIMARY KEY REFERENCES subscriptions (id) ON DELETE CASCADE,
  delivered_through bigint NOT NULL DEFAULT 0,
  failures integer NOT NULL DEFAULT 0,
  last_error text,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_sent_at timestamptz NOT NULL DEFAULT now(),
  lease_owner text,
  lease_until timestamptz
);
`;
