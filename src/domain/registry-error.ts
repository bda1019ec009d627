import type { XdsErrorCode } from './error-codes';

export type Severity = 'Error' | 'Warning';

/** One entry of a RegistryErrorList (ITI TF-3 4.2.4.1) / OperationOutcome issue. */
export interface RegistryErrorDetail {
  code: XdsErrorCode;
  severity: Severity;
  /** Human-readable text (codeContext). */
  context: string;
  /** Where: the object's entryUUID/uniqueId or the attribute path. */
  location?: string;
}

/** Thrown by the core to reject a whole request; front ends map it to a RegistryResponse, OperationOutcome or SOAP fault. */
export class RegistryError extends Error {
  readonly errors: RegistryErrorDetail[];

  constructor(errors: RegistryErrorDetail | RegistryErrorDetail[]) {
    const list = Array.isArray(errors) ? errors : [errors];
    super(list.map((e) => `${e.code}: ${e.context}`).join('; '));
    this.name = 'RegistryError';
    this.errors = list;
  }

  static of(code: XdsErrorCode, context: string, location?: string): RegistryError {
    return new RegistryError({ code, severity: 'Error', context, ...(location ? { location } : {}) });
  }
}
