/**
 * Ids for the Classifications and ExternalIdentifiers written in query results. ebRIM requires
 * every one of them to have an id, but the domain model keeps codes, authors and identifiers as
 * attributes of their object, so there is no stored id to give back. A name-based UUID (RFC 4122
 * version 5 layout over SHA-1) of the owning object's id and the attribute's role is unique per
 * object and attribute, and the same in every response, so two queries for one object agree.
 */
import { createHash } from 'node:crypto';

export function derivedUuid(ownerId: string, role: string): string {
  const h = createHash('sha1').update(`${ownerId}\u0000${role}`, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
