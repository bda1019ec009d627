/**
 * The one error the XUA verifier throws for a refused assertion.
 *
 * Its message (also available as `reason`) says which check failed, for the log and the audit
 * record. It must never reach the client: telling a client why its assertion was refused (which
 * check, which key was tried) helps an attacker probe the verifier, so the SOAP fault stays generic.
 */
export class XuaError extends Error {
  /** Why the assertion was refused (same as message): for logs and audit only, never for the client. */
  readonly reason: string;

  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'XuaError';
    this.reason = reason;
  }
}
