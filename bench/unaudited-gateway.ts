// A benchmark-only variant of the gateway process: dist/src/main.js with the audit trail's
// writes taken out (events are still built, nothing is stored or forwarded). Only
// audit-overhead-http.ts starts it, beside the real gateway, to measure what auditing costs.
// Patching the prototype here keeps every switch that could turn auditing off out of the
// gateway's own code and configuration.
import { AuditTrail } from '../src/audit/audit-trail';
import type { AuditInput } from '../src/audit/audit-input';

AuditTrail.prototype.rows = () => [];
AuditTrail.prototype.record = async function record(this: AuditTrail, input: AuditInput) {
  return this.event(input);
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../src/main');
