/**
 * The FHIR id of a fed Patient, derived from its CX so that no id table is needed and
 * GET Patient/{id} finds the patient again: `{tag}-{value}`, where tag is 8 hex digits
 * of the SHA-256 of the assigning authority OID and value the identifier value. The tag
 * is read back by trying the few authorities the registry accepts.
 *
 * A value that does not fit a FHIR id (R4 id: [A-Za-z0-9\-\.]{1,64}, so no `_`, and at most
 * 55 characters after the tag) still gets a stable id, `{tag}.{digest}`: 40 hex digits of
 * the SHA-256 of the value. That form cannot be read back alone; the registry finds the
 * patient whose local id has that digest (see registry/patient-feed.ts).
 */
import { createHash } from 'node:crypto';
import { formatCx, parseCx } from './hl7v2';

const TAG_LENGTH = 8;
const ID_VALUE = /^[A-Za-z0-9.-]{1,55}$/; // 64 - tag - separator

function tagOf(authority: string): string {
  return createHash('sha256').update(authority).digest('hex').slice(0, TAG_LENGTH);
}

const DIGEST_LENGTH = 40;
const DIGEST_ID = new RegExp(`^([0-9a-f]{${TAG_LENGTH}})\\.([0-9a-f]{${DIGEST_LENGTH}})$`);

/** The digest a `{tag}.{digest}` id carries for a value that is no FHIR id. */
function patientValueDigest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, DIGEST_LENGTH);
}

export function patientResourceId(cx: string): string | undefined {
  const parsed = parseCx(cx);
  if (!parsed) return undefined;
  const tag = tagOf(parsed.authority);
  return ID_VALUE.test(parsed.id) ? `${tag}-${parsed.id}` : `${tag}.${patientValueDigest(parsed.id)}`;
}

/** The authority and value digest a `{tag}.{digest}` id names, among the accepted authorities. */
export function digestOfPatientResourceId(id: string, authorities: readonly string[]): { authority: string; digest: string } | undefined {
  const m = DIGEST_ID.exec(id);
  const authority = m ? authorities.find((a) => tagOf(a) === m[1]) : undefined;
  return m && authority ? { authority, digest: m[2]! } : undefined;
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
