/**
 * The faults WS-Security 1.1 (SOAP Message Security, section 12) defines for a message whose
 * security cannot be accepted: Sender faults with a wsse: subcode and the standard's own
 * reason text. Callers learn that much and no more, whatever the actual reason was (that goes
 * to the audit trail).
 */
import { SoapFault } from './fault';
import { NS } from './namespaces';

const REASONS = {
  InvalidSecurity: 'An error was discovered processing the <wsse:Security> header',
  InvalidSecurityToken: 'An invalid security token was provided',
  FailedAuthentication: 'The security token could not be authenticated or authorized',
} as const;

export type SecurityFaultCode = keyof typeof REASONS;

export function securityFault(code: SecurityFaultCode, cause?: unknown): SoapFault {
  return new SoapFault({ code: 'Sender', subcodes: [{ ns: NS.wsse, local: code }], reason: REASONS[code], ...(cause !== undefined ? { cause } : {}) });
}
