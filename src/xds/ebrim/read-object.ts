/**
 * One indexed ebRIM object -> one domain RegistryObject: the object's kind from its ebRIM class
 * (and, for RegistryPackages, its classification node), then the attributes every object has,
 * its slots, classifications and external identifiers through the attribute tables, then the
 * few attributes particular to one kind. Problems are recorded; the result is undefined only
 * when not even the kind could be told.
 */
import type { Element } from '@xmldom/xmldom';
import { childNamed } from '../../soap';
import { AvailabilityStatus, type ObjectKind, type RegistryObject } from '../../domain/metadata';
import { tableFor, type Fields, type KindTable } from './attribute-tables';
import { DOCUMENT_ENTRY_OBJECT_TYPES, FolderUuid, RIM_NS, SubmissionSetUuid } from './constants';
import type { Problems } from './problems';
import { attribute, localizedText } from './rim-dom';
import type { RimObject } from './rim-index';
import { readClassifications } from './read-classifications';
import { integer, oneOf } from './value-types';

const PACKAGE_KINDS: ReadonlyArray<{ node: string; kind: 'SubmissionSet' | 'Folder' }> = [
  { node: SubmissionSetUuid.classificationNode, kind: 'SubmissionSet' },
  { node: FolderUuid.classificationNode, kind: 'Folder' },
];

const statusType = oneOf(Object.values(AvailabilityStatus));

function kindOf(o: RimObject, problems: Problems): { kind: ObjectKind; markerNode?: string } | undefined {
  if (o.tag === 'ExtrinsicObject') return { kind: 'DocumentEntry' };
  if (o.tag === 'Association') return { kind: 'Association' };
  const found = PACKAGE_KINDS.filter((p) => o.classifications.some((c) => c.classificationNode === p.node));
  if (found.length === 1) return { kind: found[0]!.kind, markerNode: found[0]!.node };
  problems.error(
    o.id,
    found.length === 0
      ? `RegistryPackage ${o.id} is classified neither as SubmissionSet (${SubmissionSetUuid.classificationNode}) nor as Folder (${FolderUuid.classificationNode})`
      : `RegistryPackage ${o.id} is classified both as SubmissionSet and as Folder`,
  );
  return undefined;
}

/** id, lid, status, home and VersionInfo: what every RegistryObject carries as attributes. */
function readCommon(o: RimObject, fields: Fields, problems: Problems): void {
  fields.entryUuid = o.id;
  const lid = attribute(o.element, 'lid');
  const status = attribute(o.element, 'status');
  const home = attribute(o.element, 'home');
  if (lid) fields.logicalId = lid;
  if (home) fields.homeCommunityId = home;
  if (status) {
    const read = statusType.read([status]);
    if ('problem' in read) problems.error(o.id, `status of ${o.id}: ${read.problem}`);
    else fields.availabilityStatus = read.value;
  }
  const versionInfo = childNamed(o.element, RIM_NS, 'VersionInfo');
  const versionName = versionInfo && attribute(versionInfo, 'versionName');
  if (versionName !== undefined) {
    const read = integer.read([versionName]);
    if ('problem' in read || read.value < 1) problems.error(o.id, `VersionInfo/@versionName of ${o.id} is not a version number: "${versionName}"`);
    else fields.version = read.value;
  }
}

function readSlotAttributes(o: RimObject, table: KindTable<Fields>, fields: Fields, problems: Problems): void {
  const extra: Record<string, string[]> = {};
  for (const [name, values] of o.slots) {
    const spec = table.slots.find((s) => s.slot === name);
    if (!spec) {
      // Slots the model does not name are kept verbatim so they come back out on a query.
      extra[name] = values;
      continue;
    }
    const read = spec.type.read(values);
    if ('problem' in read) problems.error(o.id, `Slot ${name} of ${o.id} ${read.problem}`);
    else fields[spec.field] = read.value;
  }
  for (const spec of table.slots) if (spec.alwaysPresent && fields[spec.field] === undefined) fields[spec.field] = [];
  if (Object.keys(extra).length > 0) fields.extraSlots = extra;
}

function readIdentifiers(o: RimObject, table: KindTable<Fields>, fields: Fields, problems: Problems): void {
  const seen = new Set<string>();
  for (const x of o.identifiers) {
    const spec = table.identifiers.find((i) => i.identificationScheme === x.identificationScheme);
    if (!spec) {
      if (x.identificationScheme === undefined) problems.error(o.id, `ExternalIdentifier ${x.label} of ${o.id} has no identificationScheme`);
      else problems.ignored(o.id, `ExternalIdentifier ${x.label} (identificationScheme ${x.identificationScheme}) is not an attribute of ${o.id}; ignored`);
    } else if (seen.has(spec.field)) {
      problems.error(o.id, `${o.id} has more than one ${spec.name} ExternalIdentifier`);
    } else {
      seen.add(spec.field);
      if (x.value === undefined) problems.error(o.id, `ExternalIdentifier ${spec.name} of ${o.id} has no value`);
      else fields[spec.field] = x.value;
    }
  }
  for (const spec of table.identifiers) {
    if (seen.has(spec.field)) continue;
    // Kept as '' so the domain object is complete; validation then reports it if the profile needs it.
    if (spec.optionalWhenLimited && fields.limitedMetadata === true) fields[spec.field] = '';
    else problems.error(o.id, `${o.id} has no ExternalIdentifier ${spec.name} (identificationScheme ${spec.identificationScheme})`);
  }
}

function requiredAttribute(el: Element, name: string, owner: string, problems: Problems): string {
  const value = attribute(el, name);
  if (value === undefined) problems.error(owner, `${el.localName} ${owner} has no ${name} attribute`);
  return value ?? '';
}

/** Attributes particular to one kind: ExtrinsicObject's mimeType/objectType, Association's ends, titles. */
function readKindAttributes(o: RimObject, kind: ObjectKind, fields: Fields, problems: Problems): void {
  if (kind === 'Association') {
    fields.type = requiredAttribute(o.element, 'associationType', o.id, problems);
    fields.sourceId = requiredAttribute(o.element, 'sourceObject', o.id, problems);
    fields.targetId = requiredAttribute(o.element, 'targetObject', o.id, problems);
    return;
  }
  if (kind === 'DocumentEntry') {
    fields.mimeType = requiredAttribute(o.element, 'mimeType', o.id, problems);
    const objectType = requiredAttribute(o.element, 'objectType', o.id, problems);
    if (objectType && !DOCUMENT_ENTRY_OBJECT_TYPES.has(objectType)) {
      problems.error(o.id, `objectType ${objectType} of ${o.id} is neither a stable nor an on-demand DocumentEntry`);
    }
    fields.objectType = objectType;
  }
  const title = localizedText(o.element, 'Name');
  const comments = localizedText(o.element, 'Description');
  if (title !== undefined) fields.title = title;
  if (comments !== undefined) fields.comments = comments;
}

export function readRegistryObject(o: RimObject, problems: Problems): RegistryObject | undefined {
  const found = kindOf(o, problems);
  if (!found) return undefined;
  const table = tableFor(found.kind);
  const fields: Fields = {};
  readCommon(o, fields, problems);
  readKindAttributes(o, found.kind, fields, problems);
  readSlotAttributes(o, table, fields, problems);
  // Classifications first: limitedMetadata decides whether a missing patientId is an error.
  readClassifications(o, table, fields, problems, found.markerNode);
  readIdentifiers(o, table, fields, problems);
  return { kind: found.kind, ...fields } as RegistryObject;
}
