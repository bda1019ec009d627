/**
 * ITI-20 over syslog: RFC 5424 messages whose MSG is the DICOM audit XML, with the
 * header IHE asks for (facility 10 security/authorization, MSGID IHE+RFC-3881, no
 * structured data), and RFC 5425 octet-counting frames for stream transports.
 */
import { dicomAuditXml } from '../dicom-xml';
import type { AuditEvent, AuditOutcome } from '../fhir-audit-event';
import type { PatientIdSystems } from '../patient-identifier';

export interface SyslogHeader {
  hostname: string;
  appName: string;
  procId: string;
}

/** authpriv: "security/authorization messages" (RFC 5424 facility 10), as ATNA requires. */
const AUDIT_FACILITY = 10;
const MSGID = 'IHE+RFC-3881';

/** Success is a notice; failures get louder with their DICOM outcome (minor, serious, major). */
const SEVERITY: Record<AuditOutcome, number> = { '0': 5, '4': 4, '8': 3, '12': 2 };

export function priority(outcome: AuditOutcome | undefined): number {
  return AUDIT_FACILITY * 8 + SEVERITY[outcome ?? '0'];
}

/** RFC 5424 header fields are printable US-ASCII without spaces, of bounded length; '-' is the nil value. */
export function headerField(value: string, maxLength: number): string {
  const cleaned = value.replace(/[^\x21-\x7E]/g, '_').slice(0, maxLength);
  return cleaned === '' ? '-' : cleaned;
}

export function syslogHeader(hostname: string, appName: string, pid: number = process.pid): SyslogHeader {
  return { hostname: headerField(hostname, 255), appName: headerField(appName, 48), procId: headerField(String(pid), 128) };
}

/**
 * `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG`. TIMESTAMP is when the event
 * was recorded, so a message delivered late still says when it happened. No BOM before
 * the XML (IHE CP-477 dropped it; the XML declaration names the encoding).
 */
function syslogMessage(event: AuditEvent, xml: string, header: SyslogHeader): Buffer {
  const head = `<${priority(event.outcome)}>1 ${event.recorded} ${header.hostname} ${header.appName} ${header.procId} ${MSGID} - `;
  return Buffer.from(head + xml, 'utf8');
}

/** RFC 5425 / RFC 6587 octet counting: the length in bytes (not characters), a space, the message. */
export function octetCounted(message: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${message.length} `, 'ascii'), message]);
}

/** What both syslog transports need to turn a stored AuditEvent into a message. */
export interface SyslogFormat {
  header: SyslogHeader;
  patientIdSystems: PatientIdSystems;
}

export function auditSyslogMessage(event: AuditEvent, format: SyslogFormat): Buffer {
  return syslogMessage(event, dicomAuditXml(event, format.patientIdSystems), format.header);
}
