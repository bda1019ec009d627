/**
 * First pass over a rim:RegistryObjectList: the registry objects XDS uses (ExtrinsicObject,
 * RegistryPackage, Association), each with the Classifications and ExternalIdentifiers that
 * describe it. ebRIM lets a sender nest those inside their object or list them next to it
 * pointing back by id (IHE examples do both, typically the SubmissionSet classification at top
 * level); after this pass the two forms are indistinguishable.
 */
import type { Element } from '@xmldom/xmldom';
import { elementChildren, hasName } from '../../soap';
import { RIM_NS } from './constants';
import type { Problems } from './problems';
import { attribute, readSlots, localizedText, rimChildren, type SlotMap } from './rim-dom';

export type ObjectTag = 'ExtrinsicObject' | 'RegistryPackage' | 'Association';

export interface RimClassification {
  /** The classification's own id, or a description of it when it has none (for messages). */
  label: string;
  classificationScheme?: string;
  classificationNode?: string;
  nodeRepresentation?: string;
  slots: SlotMap;
  name?: string;
}

export interface RimIdentifier {
  label: string;
  identificationScheme?: string;
  value?: string;
}

export interface RimObject {
  tag: ObjectTag;
  element: Element;
  id: string;
  slots: SlotMap;
  classifications: RimClassification[];
  identifiers: RimIdentifier[];
}

const OBJECT_TAGS: ReadonlySet<string> = new Set<ObjectTag>(['ExtrinsicObject', 'RegistryPackage', 'Association']);

function readClassification(el: Element, problems: Problems): RimClassification {
  const label = attribute(el, 'id') ?? `Classification of ${attribute(el, 'classifiedObject') ?? '(no classifiedObject)'}`;
  const out: RimClassification = { label, slots: readSlots(el, label, problems) };
  const scheme = attribute(el, 'classificationScheme');
  const node = attribute(el, 'classificationNode');
  // nodeRepresentation is not trimmed to undefined: author classifications carry it empty on purpose.
  const representation = el.getAttribute('nodeRepresentation');
  const name = localizedText(el, 'Name');
  if (scheme) out.classificationScheme = scheme;
  if (node) out.classificationNode = node;
  if (representation !== null) out.nodeRepresentation = representation.trim();
  if (name !== undefined) out.name = name;
  return out;
}

function readIdentifier(el: Element): RimIdentifier {
  const out: RimIdentifier = { label: attribute(el, 'id') ?? `ExternalIdentifier of ${attribute(el, 'registryObject') ?? '(no registryObject)'}` };
  const scheme = attribute(el, 'identificationScheme');
  const value = attribute(el, 'value');
  if (scheme) out.identificationScheme = scheme;
  if (value) out.value = value;
  return out;
}

/** A nested Classification/ExternalIdentifier may repeat its owner's id, but may not name another object. */
function checkOwner(el: Element, pointer: 'classifiedObject' | 'registryObject', owner: string, problems: Problems): boolean {
  const named = attribute(el, pointer);
  if (named === undefined || named === owner) return true;
  problems.error(attribute(el, 'id') ?? owner, `${el.localName} inside ${owner} has ${pointer} ${named}; a nested ${el.localName} must describe the object it is in`);
  return false;
}

function readObject(el: Element, tag: ObjectTag, id: string, problems: Problems): RimObject {
  const object: RimObject = { tag, element: el, id, slots: readSlots(el, id, problems), classifications: [], identifiers: [] };
  for (const c of rimChildren(el, 'Classification')) {
    if (checkOwner(c, 'classifiedObject', id, problems)) object.classifications.push(readClassification(c, problems));
  }
  for (const x of rimChildren(el, 'ExternalIdentifier')) {
    if (checkOwner(x, 'registryObject', id, problems)) object.identifiers.push(readIdentifier(x));
  }
  if (rimChildren(el, 'RegistryObjectList').length > 0) {
    // ebRIM allows packages to contain objects; XDS links members by HasMember associations only.
    problems.error(id, `${tag} ${id} contains a RegistryObjectList; XDS members are linked by HasMember associations`);
  }
  return object;
}

/** Indexes the list; problems are recorded, never thrown, so the caller can report them all. */
export function indexRegistryObjectList(list: Element, problems: Problems): RimObject[] {
  if (!hasName(list, RIM_NS, 'RegistryObjectList')) {
    problems.error('RegistryObjectList', `expected rim:RegistryObjectList, got {${list.namespaceURI ?? ''}}${list.localName}`);
    return [];
  }
  const objects: RimObject[] = [];
  const byId = new Map<string, RimObject>();
  const looseClassifications: Element[] = [];
  const looseIdentifiers: Element[] = [];

  elementChildren(list).forEach((el, index) => {
    const local = el.localName ?? '';
    if (el.namespaceURI !== RIM_NS) {
      problems.error(`RegistryObjectList[${index + 1}]`, `{${el.namespaceURI ?? ''}}${local} is not an ebRIM 3.0 registry object`);
    } else if (OBJECT_TAGS.has(local)) {
      const id = attribute(el, 'id');
      if (!id) problems.error(`${local}[${index + 1}]`, `${local} number ${index + 1} of the RegistryObjectList has no id`);
      else if (byId.has(id)) problems.error(id, `id ${id} is used by more than one object`);
      else {
        const object = readObject(el, local as ObjectTag, id, problems);
        objects.push(object);
        byId.set(id, object);
      }
    } else if (local === 'Classification') looseClassifications.push(el);
    else if (local === 'ExternalIdentifier') looseIdentifiers.push(el);
    else if (local !== 'ObjectRef') {
      // ObjectRef only names an object already registered; anything else is a class XDS does not use.
      problems.error(attribute(el, 'id') ?? `${local}[${index + 1}]`, `rim:${local} is not an object XDS metadata uses`);
    }
  });

  attachLoose(looseClassifications, 'classifiedObject', byId, problems, (o, el) => o.classifications.push(readClassification(el, problems)));
  attachLoose(looseIdentifiers, 'registryObject', byId, problems, (o, el) => o.identifiers.push(readIdentifier(el)));
  return objects;
}

/** Top-level Classifications/ExternalIdentifiers join the object they point at, which must be in this list. */
function attachLoose(
  elements: readonly Element[],
  pointer: 'classifiedObject' | 'registryObject',
  byId: ReadonlyMap<string, RimObject>,
  problems: Problems,
  attach: (owner: RimObject, el: Element) => void,
): void {
  for (const el of elements) {
    const target = attribute(el, pointer);
    const label = attribute(el, 'id') ?? target ?? el.localName ?? 'RegistryObjectList';
    const owner = target === undefined ? undefined : byId.get(target);
    if (target === undefined) problems.error(label, `${el.localName} ${label} has no ${pointer}`);
    else if (!owner) problems.error(label, `${el.localName} ${label} points at ${target}, which is not an object of this message`);
    else attach(owner, el);
  }
}
