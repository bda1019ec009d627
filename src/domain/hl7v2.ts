/** HL7 v2 data types as XDS uses them (ITI TF-3 Table 4.2.3.1.7-2). */

export interface Cx {
  id: string;
  /** Assigning authority universal id (OID) from CX.4.2. */
  authority: string;
}

/** Parses `id^^^&oid&ISO`; undefined when the form is not a valid XDS patient CX. */
export function parseCx(value: string): Cx | undefined {
  const parts = value.split('^');
  if (parts.length < 4) return undefined;
  const id = parts[0] ?? '';
  const aa = (parts[3] ?? '').split('&');
  const oid = aa[1] ?? '';
  if (!id || !/^[0-2](\.(0|[1-9][0-9]*))+$/.test(oid) || aa[2] !== 'ISO') return undefined;
  // XDS patient IDs carry only CX.1 and CX.4 (and optionally CX.5 type code).
  if ((parts[1] ?? '') !== '' || (parts[2] ?? '') !== '') return undefined;
  return { id, authority: oid };
}

/** The canonical `id^^^&oid&ISO` form used for storage and comparison. */
export function formatCx(cx: Cx): string {
  return `${cx.id}^^^&${cx.authority}&ISO`;
}

export function normalizeCx(value: string): string | undefined {
  const cx = parseCx(value);
  return cx ? formatCx(cx) : undefined;
}

/** XDS DTM: YYYY[MM[DD[hh[mm[ss]]]]] in UTC. */
export function isDtm(value: string): boolean {
  return /^\d{4}(\d{2}){0,5}$/.test(value);
}

/** ASN.1 OID dot notation, whatever its length. */
export function isOidSyntax(value: string): boolean {
  return /^[0-2](\.(0|[1-9][0-9]*))+$/.test(value);
}

/** XDS caps OIDs (uniqueIds, authorities) at 64 characters (ITI TF-3 4.2.3.1.7). */
export const OID_MAX_LENGTH = 64;

/** OID or UUID-as-OID (ITI TF-3 4.2.3.1.7: uniqueId is an OID, optionally with ^extension). */
export function isOid(value: string): boolean {
  return isOidSyntax(value) && value.length <= OID_MAX_LENGTH;
}
