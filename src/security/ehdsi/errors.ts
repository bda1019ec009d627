/**
 * A refused eHDSI security header. It is an XuaError (the reason is for logs and audit only) that
 * also says which WS-Security fault answers it: InvalidSecurity when an assertion the
 * transaction needs is missing, FailedAuthentication when one is there and fails a check.
 */
import type { SecurityFaultCode } from '../../soap';
import { XuaError } from '../saml';

export class EhdsiSecurityError extends XuaError {
  constructor(
    reason: string,
    readonly fault: Extract<SecurityFaultCode, 'InvalidSecurity' | 'FailedAuthentication'> = 'FailedAuthentication',
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'EhdsiSecurityError';
  }
}
