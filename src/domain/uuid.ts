/** UUIDs as XDS and FHIR write them: entryUUIDs are `urn:uuid:` + the RFC 4122 text form, any hex case. */

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** An id of the form `urn:uuid:…`; every other id is symbolic (ITI TF-3 4.2.3.1.6). */
export function isUuidUrn(value: string): boolean {
  return value.startsWith('urn:uuid:') && isUuid(value.slice(9));
}
