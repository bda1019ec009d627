/**
 * What the SubmissionSet and Folder Lists share (MHD profile IHE.MHD.List): the list-type
 * code, uniqueId + entryUUID identifiers, note <-> comments, entry items, designationType.
 */
import { isOid } from '../../../domain/hl7v2';
import type { Code } from '../../../domain/metadata';
import { Extensions, ListTypes } from './canonicals';
import { extensionsOf } from './extensions';
import type { Extension, Identifier, List, ListEntry, Reference } from './fhir-types';
import { at, item } from './problems';
import { readConcept, type InboundContext } from './readers';
import type { Terminology } from './terminology';
import { entryUuidIdentifier, findEntryUuid, findUniqueIdIdentifier, identifierToUniqueId, resourceIdOf, uniqueIdToIdentifier } from './unique-ids';
import { isUuid } from '../../../domain/uuid';

export type ListKind = typeof ListTypes.submissionSet | typeof ListTypes.folder;

/** A registered object a List names in its entries. */
export interface ListMember {
  kind: 'DocumentEntry' | 'Folder';
  entryUuid: string;
}

/** A List.entry item as found, for the caller to resolve (Bundle entry or registered object). */
export interface MemberReference {
  reference: Reference;
  path: string;
}

export function listKind(list: List): ListKind | undefined {
  const codings = Array.isArray(list.code?.coding) ? list.code.coding : [];
  const coding = codings.find((c) => c?.system === ListTypes.system) ?? codings.find((c) => c?.system === undefined);
  return coding?.code === ListTypes.submissionSet || coding?.code === ListTypes.folder ? coding.code : undefined;
}

export function listCode(kind: ListKind): List['code'] {
  return { coding: [{ system: ListTypes.system, code: kind }] };
}

export function listIdentifiers(uniqueId: string, entryUuid: string): Identifier[] {
  return [uniqueIdToIdentifier(uniqueId), ...(resourceIdOf(entryUuid) ? [entryUuidIdentifier(entryUuid)] : [])];
}

export function listEntries(members: readonly ListMember[]): ListEntry[] {
  return members.flatMap((m) => {
    const id = resourceIdOf(m.entryUuid);
    return id ? [{ item: { reference: `${m.kind === 'Folder' ? 'List' : 'DocumentReference'}/${id}` } }] : [];
  });
}

export function designationTypeExtensions(codes: readonly Code[], terminology: Terminology): Extension[] {
  return codes.map((c) => ({ url: Extensions.designationType, valueCodeableConcept: terminology.codeToConcept(c) }));
}

export function readDesignationTypes(list: List, path: string, ctx: InboundContext): Code[] {
  return extensionsOf(list, Extensions.designationType).flatMap(({ extension, index }) => {
    const code = readConcept(extension.valueCodeableConcept, at(item(at(path, 'extension'), index), 'valueCodeableConcept'), ctx);
    return code ? [code] : [];
  });
}

/** uniqueId (an OID) and entryUUID of a List; `given` overrides the entryUUID (ITI-65: the entry's fullUrl). */
export function readListIds(list: List, path: string, ctx: InboundContext, given: string | undefined): { uniqueId: string; entryUuid: string } {
  const found = findUniqueIdIdentifier(list.identifier);
  let uniqueId = '';
  if (found) {
    const r = identifierToUniqueId(found.identifier, (uri) => ctx.terminology.identifierSystemOid(uri));
    if (!r.ok) ctx.problems.error(item(at(path, 'identifier'), found.index), r.reason);
    else if (!isOid(r.value)) ctx.problems.error(item(at(path, 'identifier'), found.index), 'a SubmissionSet or Folder uniqueId is a plain OID (urn:oid:), without extension');
    else uniqueId = r.value;
  }
  const entryUuid = given ?? findEntryUuid(list.identifier) ?? (typeof list.id === 'string' && isUuid(list.id) ? `urn:uuid:${list.id.toLowerCase()}` : undefined);
  if (!entryUuid) ctx.problems.error(at(path, 'identifier'), 'needs an entryUUID identifier (use official, urn:uuid:) or a UUID resource id');
  return { uniqueId, entryUuid: entryUuid ?? '' };
}

export function readNote(list: List, path: string, ctx: InboundContext): string | undefined {
  if (list.note === undefined) return undefined;
  if (!Array.isArray(list.note)) {
    ctx.problems.error(at(path, 'note'), 'must be a list');
    return undefined;
  }
  // XDS comments is one text; several notes are joined rather than dropped.
  const texts = list.note.map((n) => n?.text).filter((t): t is string => typeof t === 'string' && t !== '');
  return texts.length ? texts.join('\n') : undefined;
}

export function readMembers(list: List, path: string, ctx: InboundContext): MemberReference[] {
  if (list.entry === undefined) return [];
  if (!Array.isArray(list.entry)) {
    ctx.problems.error(at(path, 'entry'), 'must be a list');
    return [];
  }
  return list.entry.flatMap((e, i) => {
    const where = at(item(at(path, 'entry'), i), 'item');
    if (!e?.item || typeof e.item !== 'object') {
      ctx.problems.error(where, 'is required');
      return [];
    }
    return [{ reference: e.item, path: where }];
  });
}
