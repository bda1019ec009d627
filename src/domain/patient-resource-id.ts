/**
 * The FHIR id of a fed Patient, derived from its CX so that no id table is needed and
 * GET Patient/{id} finds the patient again: `{tag}-{value}`, where tag is 8 hex digits
 * of the SHA-256 of the assigning authority OID and value the identifier value. The tag
 * is read back by trying the few authorities the registry accepts. A value that does not
 * fit a FHIR id ([A-Za-z0-9.-], at most 64 characters in all) gets no id.
 */
import { createHash } from 'node:crypto';
import { formatCx, parseCx } from './hl7v2';

const TAG_LENGTH = 8;
const ID_VALUE = /^[A-Za-z0-9.-]{1,55}$/; // 64 - tag - separator

function tagOf(authority: string): string {
  return createHash('sha256').update(authority).digest('hex').slice(0, TAG_LENGTH);
}

export function patientResourceId(cx: string): string | undefined {
  const parsed = parseCx(cx);
  if (!parsed || !ID_VALUE.test(parsed.id)) return undefined;
  return `${tagOf(parsed.authority)}-${parsed.id}`;
}

/** The CX a Patient id names, among the accepted authorities; undefined if it names none. */
export function cxOfPatientResourceId(id: string, authorities: readonly string[]): string | undefined {
  const sep = id.indexOf('-');
  if (sep !== TAG_LENGTH) return undefined;
  const tag = id.slice(0, sep);
  const value = id.slice(sep + 1);
  if (!ID_VALUE.test(value)) return undefined;
  const authority = authorities.find((a) => tagOf(a) === tag);
  return authority ? formatCx({ id: value, authority }) : undefined;
}
