/**
 * Registry and repository index. Every stored-query parameter reads an indexed or
 * patient-narrowed column; the full object is kept as JSONB for the response.
 * Coded values are stored as `code^^^scheme` (the ITI-18 code parameter form);
 * availability status in its short form (Approved, Deprecated, Submitted).
 * `seq` gives a stable order for paging.
 */
export const sql = `
CREATE TABLE document_entries (
  entry_uuid            text PRIMARY KEY,
  logical_id            text NOT NULL,
  version               integer NOT NULL DEFAULT 1,
  unique_id             text NOT NULL,
  patient_id            text NOT NULL,
  status                text NOT NULL,
  object_type           text NOT NULL,
  class_code            text,
  type_code             text,
  format_code           text,
  facility_type_code    text,
  practice_setting_code text,
  confidentiality_codes text[] NOT NULL DEFAULT '{}',
  event_codes           text[] NOT NULL DEFAULT '{}',
  author_persons        text[] NOT NULL DEFAULT '{}',
  reference_ids         text[] NOT NULL DEFAULT '{}',
  creation_time         text,
  service_start_time    text,
  service_stop_time     text,
  repository_unique_id  text,
  hash                  text,
  size                  bigint,
  home_community_id     text,
  seq                   bigserial NOT NULL,
  metadata              jsonb NOT NULL
);
CREATE UNIQUE INDEX document_entries_unique_version ON document_entries (unique_id, version);
CREATE UNIQUE INDEX document_entries_logical_version ON document_entries (logical_id, version);
CREATE INDEX document_entries_patient ON document_entries (patient_id, status, seq);
CREATE INDEX document_entries_reference_ids ON document_entries USING gin (reference_ids);

CREATE TABLE submission_sets (
  entry_uuid          text PRIMARY KEY,
  unique_id           text NOT NULL UNIQUE,
  patient_id          text NOT NULL,
  status              text NOT NULL,
  source_id           text NOT NULL,
  submission_time     text NOT NULL,
  content_type_code   text,
  author_persons      text[] NOT NULL DEFAULT '{}',
  intended_recipients text[] NOT NULL DEFAULT '{}',
  home_community_id   text,
  seq                 bigserial NOT NULL,
  metadata            jsonb NOT NULL
);
CREATE INDEX submission_sets_patient ON submission_sets (patient_id, status, seq);
CREATE INDEX submission_sets_source ON submission_sets (source_id);

CREATE TABLE folders (
  entry_uuid        text PRIMARY KEY,
  logical_id        text NOT NULL,
  version           integer NOT NULL DEFAULT 1,
  unique_id         text NOT NULL,
  patient_id        text NOT NULL,
  status            text NOT NULL,
  codes             text[] NOT NULL DEFAULT '{}',
  last_update_time  text,
  home_community_id text,
  seq               bigserial NOT NULL,
  metadata          jsonb NOT NULL
);
CREATE UNIQUE INDEX folders_unique_version ON folders (unique_id, version);
CREATE UNIQUE INDEX folders_logical_version ON folders (logical_id, version);
CREATE INDEX folders_patient ON folders (patient_id, status, seq);

CREATE TABLE associations (
  entry_uuid text PRIMARY KEY,
  type       text NOT NULL,
  source_id  text NOT NULL,
  target_id  text NOT NULL,
  status     text NOT NULL,
  seq        bigserial NOT NULL,
  metadata   jsonb NOT NULL
);
CREATE INDEX associations_source ON associations (source_id, type);
CREATE INDEX associations_target ON associations (target_id, type);

-- The repository's own index: which blob holds a document's bytes.
CREATE TABLE repository_documents (
  repository_unique_id text NOT NULL,
  document_unique_id   text NOT NULL,
  blob_key             text NOT NULL UNIQUE,
  key_id               text NOT NULL,
  size                 bigint NOT NULL,
  hash                 text NOT NULL,
  mime_type            text NOT NULL,
  stored_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (repository_unique_id, document_unique_id)
);

-- Patient identity feed: the patients the registry knows (ITI-104 / ITI-8 style feed).
CREATE TABLE patients (
  patient_id  text PRIMARY KEY,
  authority   text NOT NULL,
  local_id    text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  resource    jsonb,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
`;
