/**
 * Domain RegistryObjects -> ebRIM 3.0 element specs (soap/xml-dom `el`), as ITI-18 returns them
 * in an AdhocQueryResponse: LeafClass gives each object whole, with its slots, classifications
 * and external identifiers nested in it (ebRIM child order: Slot*, Name, Description,
 * VersionInfo, Classification*, ExternalIdentifier*); ObjectRef gives only id and home.
 * The same writer builds SubmitObjectsRequest content, so a round trip through it and the reader
 * is the test that both agree.
 */
import type { Author, Code, ObjectKind, RegistryObject } from '../../domain/metadata';
import { el, type XmlContent, type XmlElementSpec } from '../../soap';
import { AUTHOR_LIST_SLOTS, tableFor, type Fields, type KindTable } from './attribute-tables';
import { FolderUuid, RIM_NS, RIM_PREFIX, RimObjectType, SlotName, SubmissionSetUuid } from './constants';
import { derivedUuid } from './derived-id';

type Attrs = Record<string, string | undefined>;
type Child = XmlContent | undefined;

export interface WriteOptions {
  returnType: 'LeafClass' | 'ObjectRef';
  /** home attribute for objects that carry no homeCommunityId of their own (XCA requires one on every object). */
  homeCommunityId?: string;
}

export function rim(local: string, attrs: Attrs = {}, ...children: Child[]): XmlElementSpec {
  return el(RIM_NS, `${RIM_PREFIX}:${local}`, attrs, ...children);
}

function slot(name: string, values: readonly string[]): XmlElementSpec {
  return rim('Slot', { name }, rim('ValueList', {}, ...values.map((v) => rim('Value', {}, v))));
}

function localized(local: 'Name' | 'Description', value: string | undefined): Child {
  return value === undefined ? undefined : rim(local, {}, rim('LocalizedString', { value }));
}

const MARKER_NODE: Partial<Record<ObjectKind, string>> = {
  SubmissionSet: SubmissionSetUuid.classificationNode,
  Folder: FolderUuid.classificationNode,
};

function slots(o: RegistryObject, table: KindTable<Fields>): XmlElementSpec[] {
  const fields = o as unknown as Fields;
  const known = table.slots.flatMap((spec) => {
    const value = fields[spec.field];
    if (value === undefined) return [];
    const values = spec.type.write(value);
    return spec.alwaysPresent && values.length === 0 ? [] : [slot(spec.slot, values)];
  });
  const names = new Set(table.slots.map((s) => s.slot));
  // An extra slot named like a modelled one would give the object that slot twice; the attribute wins.
  const extra = Object.entries(o.extraSlots ?? {}).filter(([name]) => !names.has(name)).map(([name, values]) => slot(name, values));
  return [...known, ...extra];
}

function classification(owner: string, role: string, attrs: Attrs, ...children: Child[]): XmlElementSpec {
  return rim('Classification', { ...attrs, classifiedObject: owner, id: derivedUuid(owner, role), objectType: RimObjectType.Classification }, ...children);
}

function codeClassification(owner: string, role: string, scheme: string, code: Code): XmlElementSpec {
  return classification(owner, role, { classificationScheme: scheme, nodeRepresentation: code.code }, slot(SlotName.codingScheme, [code.scheme]), localized('Name', code.display));
}

function authorClassification(owner: string, role: string, scheme: string, author: Author): XmlElementSpec {
  const parts = [
    author.person !== undefined ? slot(SlotName.authorPerson, [author.person]) : undefined,
    ...AUTHOR_LIST_SLOTS.map((s) => (author[s.field].length > 0 ? slot(s.slot, author[s.field]) : undefined)),
  ];
  // nodeRepresentation is empty by rule: an author is described by its slots, not a code.
  return classification(owner, role, { classificationScheme: scheme, nodeRepresentation: '' }, ...parts);
}

function classifications(o: RegistryObject, table: KindTable<Fields>): XmlElementSpec[] {
  const fields = o as unknown as Fields;
  const id = o.entryUuid;
  const out: XmlElementSpec[] = [];
  const marker = MARKER_NODE[o.kind];
  if (marker) out.push(classification(id, 'kind', { classificationNode: marker }));
  if (fields.limitedMetadata === true && table.limitedMetadataNode) out.push(classification(id, 'limitedMetadata', { classificationNode: table.limitedMetadataNode }));
  if (table.authorScheme) {
    (fields.authors as Author[] | undefined ?? []).forEach((a, i) => out.push(authorClassification(id, `author#${i}`, table.authorScheme!, a)));
  }
  for (const spec of table.codes) {
    const value = fields[spec.field] as Code | Code[] | undefined;
    const codes = value === undefined ? [] : Array.isArray(value) ? value : [value];
    codes.forEach((c, i) => out.push(codeClassification(id, `${spec.name}#${i}`, spec.classificationScheme, c)));
  }
  return out;
}

function externalIdentifiers(o: RegistryObject, table: KindTable<Fields>): XmlElementSpec[] {
  const fields = o as unknown as Fields;
  return table.identifiers.flatMap((spec) => {
    const value = fields[spec.field] as string | undefined;
    // A Metadata-Limited object may have no patientId; an empty identifier would be invalid ebRIM.
    if (!value) return [];
    return [
      rim(
        'ExternalIdentifier',
        { id: derivedUuid(o.entryUuid, spec.name), identificationScheme: spec.identificationScheme, objectType: RimObjectType.ExternalIdentifier, registryObject: o.entryUuid, value },
        localized('Name', spec.name),
      ),
    ];
  });
}

/** The ebRIM element, its identifying attributes and the attributes particular to its kind. */
function head(o: RegistryObject, home: string | undefined): { local: string; attrs: Attrs } {
  const common: Attrs = { id: o.entryUuid, lid: o.logicalId, status: o.availabilityStatus, home };
  switch (o.kind) {
    case 'DocumentEntry':
      return { local: 'ExtrinsicObject', attrs: { ...common, mimeType: o.mimeType, objectType: o.objectType } };
    case 'SubmissionSet':
    case 'Folder':
      return { local: 'RegistryPackage', attrs: { ...common, objectType: RimObjectType.RegistryPackage } };
    case 'Association':
      return { local: 'Association', attrs: { ...common, associationType: o.type, sourceObject: o.sourceId, targetObject: o.targetId, objectType: RimObjectType.Association } };
  }
}

function leafClass(o: RegistryObject, home: string | undefined): XmlElementSpec {
  const table = tableFor(o.kind);
  const { local, attrs } = head(o, home);
  const described = o.kind === 'Association' ? undefined : o;
  return rim(
    local,
    attrs,
    ...slots(o, table),
    localized('Name', described?.title),
    localized('Description', described?.comments),
    o.version !== undefined ? rim('VersionInfo', { versionName: String(o.version) }) : undefined,
    ...classifications(o, table),
    ...externalIdentifiers(o, table),
  );
}

/** One element spec per object, in the given order. */
export function registryObjectSpecs(objects: readonly RegistryObject[], opts: WriteOptions): XmlElementSpec[] {
  return objects.map((o) => {
    const home = o.homeCommunityId ?? opts.homeCommunityId;
    return opts.returnType === 'ObjectRef' ? rim('ObjectRef', { id: o.entryUuid, home }) : leafClass(o, home);
  });
}
