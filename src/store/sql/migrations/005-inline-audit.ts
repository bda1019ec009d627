/**
 * An audit record's AuditEvent is about 3 KB of JSON, which put its row just over
 * PostgreSQL's default 2 KB TOAST target: every insert then compressed the resource with
 * pglz first, on the path of every audited request (the rows came out at about 2 KB). With a
 * target near the page size the row is stored as it is; larger events still compress.
 */
export const sql = `
ALTER TABLE audit_events SET (toast_tuple_target = 4080);
`;
