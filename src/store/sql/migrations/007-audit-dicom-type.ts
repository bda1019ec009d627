/**
 * The RESTful transactions' AuditEvents (MHD ITI-66/67/68, PIXm ITI-104) now have BALP's type
 * `rest`, while their syslog copy keeps the DICOM event ID of ITI TF-2. dicom_type holds that
 * DICOM event ID (`system|code`), so an ITI-81 `type=` search by a DICOM code finds new events
 * as it finds the events stored before.
 *
 * Those are kept as they were recorded, with no dicom_type: their type was already their DICOM
 * event ID, which type_code matches. So the upgrade rewrites no row: the nullable column is
 * added without a table rewrite, and the partial index starts empty.
 */
export const sql = `
ALTER TABLE audit_events ADD COLUMN dicom_type text;
CREATE INDEX audit_events_dicom_type ON audit_events (dicom_type, recorded) WHERE dicom_type IS NOT NULL;
`;
