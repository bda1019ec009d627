/** Audit Record Repository senders for the configured destinations. */
import type { AuditConfig } from './audit-config';
import type { PatientIdSystems } from './patient-identifier';
import { FhirAuditSender } from './senders/fhir-sender';
import type { AuditSender } from './senders/sender';
import { syslogHeader, type SyslogFormat } from './senders/syslog-message';
import { TlsSyslogSender } from './senders/tls-syslog-sender';
import { outboundTlsOptions } from '../security/tls';
import { UdpSyslogSender } from './senders/udp-syslog-sender';

export function createAuditSenders(config: AuditConfig, patientIdSystems: PatientIdSystems): AuditSender[] {
  const needsTls = config.destinations.some((d) => d.kind === 'syslog-tls' || (d.kind === 'fhir' && d.url.startsWith('https:')));
  // The files are read now, so a missing key fails the start rather than the first send.
  const tls = needsTls ? outboundTlsOptions(config.tls) : {};
  const format: SyslogFormat = { header: syslogHeader(config.hostname, config.appName), patientIdSystems };
  return config.destinations.map((d): AuditSender => {
    switch (d.kind) {
      case 'syslog-tls':
        return new TlsSyslogSender({ name: d.name, host: d.host, port: d.port, tls, format, timeoutMs: config.sendTimeoutMs });
      case 'syslog-udp':
        return new UdpSyslogSender({ name: d.name, host: d.host, port: d.port, format, maxBytes: config.udpMaxBytes });
      case 'fhir':
        return new FhirAuditSender({ name: d.name, baseUrl: d.url, tls, timeoutMs: config.sendTimeoutMs, ...(config.fhirBearerToken ? { bearerToken: config.fhirBearerToken } : {}) });
    }
  });
}
