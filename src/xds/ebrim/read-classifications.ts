/**
 * The Classifications of one XDS object -> its codes, authors and limitedMetadata flag.
 * A coded attribute is a Classification whose classificationScheme names the attribute,
 * nodeRepresentation holds the code, Slot codingScheme the scheme and Name the display name;
 * an author is a Classification of the author scheme whose Slots hold the author's parts
 * (ITI TF-3 4.2.3.1.4, 4.1.3.4).
 */
import type { Author, Code } from '../../domain/metadata';
import { AUTHOR_LIST_SLOTS, type CodeAttribute, type Fields, type KindTable } from './attribute-tables';
import { SlotName } from './constants';
import type { Problems } from './problems';
import type { RimClassification, RimObject } from './rim-index';
import { text } from './value-types';

function readCode(c: RimClassification, attributeName: string, owner: string, problems: Problems): Code | undefined {
  const where = `${attributeName} classification ${c.label} of ${owner}`;
  let ok = true;
  if (!c.nodeRepresentation) {
    problems.error(owner, `${where} has no nodeRepresentation (the code)`);
    ok = false;
  }
  const schemeValues = c.slots.get(SlotName.codingScheme);
  const scheme = schemeValues === undefined ? undefined : text.read(schemeValues);
  if (scheme === undefined) {
    problems.error(owner, `${where} has no ${SlotName.codingScheme} slot`);
    ok = false;
  } else if ('problem' in scheme) {
    problems.error(owner, `Slot ${SlotName.codingScheme} of ${where} ${scheme.problem}`);
    ok = false;
  }
  for (const name of c.slots.keys()) {
    if (name !== SlotName.codingScheme) problems.ignored(owner, `Slot ${name} of ${where} is not part of a code; ignored`);
  }
  if (!ok || !scheme || 'problem' in scheme) return undefined;
  return { code: c.nodeRepresentation!, scheme: scheme.value, ...(c.name !== undefined ? { display: c.name } : {}) };
}

function readAuthor(c: RimClassification, owner: string, problems: Problems): Author {
  const author: Author = { institutions: [], roles: [], specialties: [], telecommunications: [] };
  const where = `author classification ${c.label} of ${owner}`;
  for (const [name, values] of c.slots) {
    const list = AUTHOR_LIST_SLOTS.find((s) => s.slot === name);
    if (list) author[list.field] = [...values];
    else if (name === SlotName.authorPerson) {
      // authorPerson is the one single-valued author slot (ITI TF-3 4.2.3.1.4.2).
      const person = text.read(values);
      if ('problem' in person) problems.error(owner, `Slot ${name} of ${where} ${person.problem}`);
      else author.person = person.value;
    } else problems.ignored(owner, `Slot ${name} of ${where} is not an author attribute; ignored`);
  }
  return author;
}

function storeCode(fields: Fields, spec: CodeAttribute<Fields>, code: Code, owner: string, problems: Problems): void {
  if (spec.multiple) (fields[spec.field] as Code[]).push(code);
  else if (fields[spec.field] !== undefined) problems.error(owner, `${owner} has more than one ${spec.name}; it takes one code`);
  else fields[spec.field] = code;
}

/**
 * Reads every classification of `o` into `fields`. `markerNode` is the classificationNode that
 * made a RegistryPackage a SubmissionSet or Folder; it was consumed by the caller.
 */
export function readClassifications(o: RimObject, table: KindTable<Fields>, fields: Fields, problems: Problems, markerNode?: string): void {
  for (const spec of table.codes) if (spec.multiple) fields[spec.field] = [];
  if (table.authorScheme) fields.authors = [];
  for (const c of o.classifications) {
    if (c.classificationNode !== undefined) {
      if (c.classificationNode === markerNode) continue;
      if (c.classificationNode === table.limitedMetadataNode) fields.limitedMetadata = true;
      else problems.ignored(o.id, `classificationNode ${c.classificationNode} of ${c.label} has no meaning for ${o.id}; ignored`);
      continue;
    }
    const scheme = c.classificationScheme;
    if (scheme === undefined) {
      problems.error(o.id, `Classification ${c.label} of ${o.id} has neither classificationScheme nor classificationNode`);
    } else if (scheme === table.authorScheme) {
      (fields.authors as Author[]).push(readAuthor(c, o.id, problems));
    } else {
      const spec = table.codes.find((s) => s.classificationScheme === scheme);
      const code = spec && readCode(c, spec.name, o.id, problems);
      if (!spec) problems.ignored(o.id, `classificationScheme ${scheme} of ${c.label} is not an attribute of ${o.id}; ignored`);
      else if (code) storeCode(fields, spec, code, o.id, problems);
    }
  }
}
