/**
 * XDS identifiers as FHIR Identifiers (ITI TF-2 Appendix Z.9.1, MHD identifier profiles):
 * - uniqueId `OID`            <-> { system: urn:ietf:rfc:3986, value: urn:oid:OID }
 * - uniqueId `OID^extension`  <-> { system: urn:oid:OID, value: extension }
 * - a `urn:uuid:` uniqueId    ->  `2.25.<decimal>` (ITU-T X.667), because XDS uniqueIds
 *   are OID-rooted; it comes back as urn:oid:2.25.… (same identity, OID spelling)
 * - entryUUID `urn:uuid:…`    <-> { use: official, system: urn:ietf:rfc:3986, value: urn:uuid:… }
 * Resource ids are the bare UUID of the entryUUID, so `DocumentReference/<uuid>` names the entry.
 */
import { isOid, isOidSyntax, OID_MAX_LENGTH } from '../../../domain/hl7v2';
import { isUuid, isUuidUrn } from '../../../domain/uuid';
import { URI_SYSTEM } from './canonicals';
import type { Identifier } from './fhir-types';


/** `urn:uuid:…` -> the 2.25 OID of the same UUID. */
export function uuidToOid(uuid: string): string {
  return `2.25.${BigInt(`0x${uuid.replace(/-/g, '')}`).toString(10)}`;
}

export type UniqueIdResult = { ok: true; value: string } | { ok: false; reason: string };

/** FHIR Identifier -> XDS uniqueId. `systemToOid` names the OID of a URI system (e.g. from code-systems.json). */
export function identifierToUniqueId(id: Identifier, systemToOid: (uri: string) => string | undefined): UniqueIdResult {
  const system = id.system;
  const value = id.value;
  if (typeof value !== 'string' || value === '') return { ok: false, reason: 'value is missing' };
  if (system === URI_SYSTEM || system === undefined) {
    if (value.startsWith('urn:oid:') && isOid(value.slice(8))) return { ok: true, value: value.slice(8) };
    if (isUuidUrn(value)) return { ok: true, value: uuidToOid(value.slice(9)) };
    if (value.startsWith('urn:oid:') && isOidSyntax(value.slice(8))) {
      // Well-formed but too long for XDS, which is what the sender needs to hear.
      return { ok: false, reason: `the OID ${value.slice(8)} is longer than ${OID_MAX_LENGTH} characters (${value.length - 8}), the most an XDS uniqueId may have` };
    }
    return { ok: false, reason: `"${value}" is neither urn:oid: nor urn:uuid:` };
  }
  const root = system.startsWith('urn:oid:') ? system.slice(8) : systemToOid(system);
  if (root && !isOid(root) && isOidSyntax(root)) return { ok: false, reason: `the OID ${root} of system ${system} is longer than ${OID_MAX_LENGTH} characters (${root.length})` };
  if (!root || !isOid(root)) return { ok: false, reason: `system ${system} has no known OID, so no OID^extension uniqueId can be formed` };
  return { ok: true, value: `${root}^${value}` };
}

/** XDS uniqueId -> FHIR Identifier (use `usual`, as the MHD uniqueId identifier profile fixes). */
export function uniqueIdToIdentifier(uniqueId: string): Identifier {
  const caret = uniqueId.indexOf('^');
  if (caret > 0) return { use: 'usual', system: `urn:oid:${uniqueId.slice(0, caret)}`, value: uniqueId.slice(caret + 1) };
  return { use: 'usual', system: URI_SYSTEM, value: `urn:oid:${uniqueId}` };
}

export function entryUuidIdentifier(entryUuid: string): Identifier {
  return { use: 'official', system: URI_SYSTEM, value: entryUuid };
}

/** The entryUUID among identifiers (use official, urn:uuid: value), if any. */
export function findEntryUuid(identifiers: Identifier[] | undefined): string | undefined {
  return identifiers?.find((i) => i?.use === 'official' && typeof i.value === 'string' && isUuidUrn(i.value))?.value?.toLowerCase();
}

/** The uniqueId identifier among a List's identifiers: use usual, or failing that the one that is not the entryUUID. */
export function findUniqueIdIdentifier(identifiers: Identifier[] | undefined): { identifier: Identifier; index: number } | undefined {
  const list = Array.isArray(identifiers) ? identifiers : [];
  let index = list.findIndex((i) => i?.use === 'usual');
  if (index < 0) index = list.findIndex((i) => i?.use !== 'official' && !(typeof i?.value === 'string' && isUuidUrn(i.value)));
  const identifier = index >= 0 ? list[index] : undefined;
  return identifier ? { identifier, index } : undefined;
}

/** FHIR resource id of a registered object: the bare UUID of its entryUUID. */
export function resourceIdOf(entryUuid: string): string | undefined {
  return isUuidUrn(entryUuid) ? entryUuid.slice(9).toLowerCase() : undefined;
}

/** entryUUID named by a resource id or a `[base/]Type/<uuid>` reference, if it is a UUID. */
export function entryUuidFromReference(reference: string, type: string): string | undefined {
  if (isUuidUrn(reference)) return reference.toLowerCase();
  const m = new RegExp(`(?:^|/)${type}/([^/?#]+)(?:/_history/[^/?#]+)?$`).exec(reference);
  const id = m?.[1];
  return id && isUuid(id) ? `urn:uuid:${id.toLowerCase()}` : undefined;
}
