/**
 * Purpose-of-use codes that mean break-the-glass access, across the vocabularies callers use:
 * HL7 v3 ActReason (ETREAT, BTG), IHE/eHDSI XSPA ("EMERGENCY"), the Czech guide's EMER.
 */
const EMERGENCY_CODES = new Set(['ETREAT', 'BTG', 'EMERGENCY', 'EMER']);

export function isEmergencyPurpose(codes: readonly { code: string }[]): boolean {
  return codes.some((c) => EMERGENCY_CODES.has(c.code.toUpperCase()));
}
