/**
 * Component handling shared by the HL7 v2 data types XDS uses (CX, XCN, XON, XTN, CWE):
 * `^` separates components, `&` sub-components; trailing empty components are dropped
 * so the strings come out in the short form XDS registries store and compare.
 * HL7 escape sequences are not interpreted: XDS metadata rarely carries them and a value
 * is passed through unchanged rather than half-decoded.
 */
import { isOid } from '../../../domain/hl7v2';

export function components(value: string): string[] {
  return value.split('^');
}

export function joinComponents(parts: Array<string | undefined>): string {
  const out = parts.map((p) => p ?? '');
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('^');
}

/** HD assigning authority in the ISO form XDS requires: `&OID&ISO`. */
export function isoAuthority(oid: string): string {
  return `&${oid}&ISO`;
}

/** OID of an `&OID&ISO` HD, if that is what it is. */
export function parseIsoAuthority(hd: string | undefined): string | undefined {
  if (!hd) return undefined;
  const [, oid, type] = hd.split('&');
  return oid && type === 'ISO' && isOid(oid) ? oid : undefined;
}
