/** Audit Record Repository senders for the configured destinations. */
import fs from 'node:fs';
import type { AuditConfig } from './audit-config';
import type { PatientIdSystems } from './patient-identifier';
import { FhirAuditSender } from './senders/fhir-sender';
import type { AuditSender } from './senders/sender';
import { syslogHeader, type SyslogFormat } from './senders/syslog-message';
import { TlsSyslogSender, type TlsOptions } from './senders/tls-syslog-sender';
import { UdpSyslogSender } from './senders/udp-syslog-sender';

/** Reads the PEM files now, so a missing key file fails the start rather than the first send. */
export function loadTlsOptions(tls: AuditConfig['tls']): TlsOptions {
  return {
    ...(tls.caFile ? { ca: fs.readFileSync(tls.caFile) } : {}),
    ...(tls.certFile ? { cert: fs.readFileSync(tls.certFile) } : {}),
    ...(tls.keyFile ? { key: fs.readFileSync(tls.keyFile) } : {}),
    ...(tls.servername ? { servername: tls.servername } : {}),
  };
}

export function createAuditSenders(config: AuditConfig, patientIdSystems: PatientIdSystems): AuditSender[] {
  const needsTls = config.destinations.some((d) => d.kind === 'syslog-tls' || (d.kind === 'fhir' && d.url.startsWith('https:')));
  const tls = needsTls ? loadTlsOptions(config.tls) : {};
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
