/**
 * The RESTful transactions' AuditEvents (MHD ITI-66/67/68, PIXm ITI-104) now have BALP's type
 * `rest`, while their syslog copy keeps the DICOM event ID of ITI TF-2. dicom_type holds that
 * DICOM event ID (`system|code`), so an ITI-81 `type=` search by a DICOM code finds new events
 * as it finds the events stored before, which are kept as they were recorded: their type was
 * already their DICOM event ID, so the backfill copies type_code.
 *
 * On a populated trail: the column is added without a default (no table rewrite); the backfill
 * rewrites each row once and the index builds while writes wait.
 */
export const sql = `
ALTER TABLE audit_events ADD COLUMN dicom_type text;
UPDATE audit_events SET dicom_type = type_code;
ALTER TABLE audit_events ALTER COLUMN dicom_type SET NOT NULL;
CREATE INDEX audit_events_dicom_type ON audit_events (dicom_type, recorded);
`;
