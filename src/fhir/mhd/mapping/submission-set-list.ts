/**
 * SubmissionSet <-> MHD SubmissionSet List (IHE.MHD.*.SubmissionSet, code `submissionset`):
 * sourceId, designationType (contentTypeCode) and intendedRecipient extensions; List.date
 * is submissionTime, List.source the author (an Organization author in the authorOrg
 * extension), List.note the comments, List.entry the members.
 * List.source holds one author; further XDS authors of a SubmissionSet have no place in
 * the List and are not written.
 */
import { isOid } from '../../../domain/hl7v2';
import type { SubmissionSet } from '../../../domain/metadata';
import { Extensions, ListTypes, Profiles, URI_SYSTEM, requiresContained } from './canonicals';
import type { OutboundContext } from './document-reference';
import { extensionsOf, homeCommunityIdExtensions, readHomeCommunityId } from './extensions';
import type { Extension, FhirResource, List, Reference } from './fhir-types';
import { designationTypeExtensions, listCode, listEntries, listIdentifiers, listKind, readDesignationTypes, readListIds, readMembers, readNote, type ListMember, type MemberReference } from './list-common';
import { authorToResources, recipientToResources, referenceToAuthor, referenceToRecipient, type PartyScope } from './parties';
import { cxToIdentifier } from './patient-ids';
import { at, item } from './problems';
import { readPatient, readString, readTime, type InboundContext, withDefined } from './readers';
import { checkRequired, SUBMISSION_SET_REQUIREMENTS } from './requirements';
import { dtmToFhirOrUndefined } from './time';
import { resourceIdOf } from './unique-ids';

function sourceOf(ss: SubmissionSet, ctx: OutboundContext): { source?: Reference; contained: FhirResource[] } {
  const first = ss.authors[0];
  const author = first ? authorToResources(first, 'author', ctx.terminology) : undefined;
  if (!author) return { contained: [] };
  const source: Reference =
    author.top.resourceType === 'Organization' ? { extension: [{ url: Extensions.authorOrg, valueReference: author.reference }] } : author.reference;
  return { source, contained: author.contained };
}

/** A registered SubmissionSet as an MHD List; `members` become List.entry. */
export function submissionSetToList(ss: SubmissionSet, ctx: OutboundContext, members: readonly ListMember[] = []): List {
  const t = ctx.terminology;
  const { source, contained } = sourceOf(ss, ctx);
  const recipients = ss.intendedRecipients.map((r, i) => recipientToResources(r, `recipient${i + 1}`, t)).filter((r) => !!r);
  const extension: Extension[] = [
    { url: Extensions.sourceId, valueIdentifier: { system: URI_SYSTEM, value: `urn:oid:${ss.sourceId}` } },
    ...designationTypeExtensions(ss.contentTypeCode ? [ss.contentTypeCode] : [], t),
    ...recipients.map((r) => ({ url: Extensions.intendedRecipient, valueReference: r.reference })),
    ...homeCommunityIdExtensions(ss.homeCommunityId),
  ];
  const all: FhirResource[] = [...contained, ...recipients.flatMap((r) => r.contained)];
  const id = resourceIdOf(ss.entryUuid);
  const subject = cxToIdentifier(ss.patientId, t);
  const date = dtmToFhirOrUndefined(ss.submissionTime);
  const entry = listEntries(members);
  return {
    resourceType: 'List',
    ...(id ? { id } : {}),
    meta: { profile: [ss.limitedMetadata ? Profiles.SubmissionSet.Minimal : Profiles.SubmissionSet.Comprehensive] },
    ...(all.length ? { contained: all } : {}),
    extension,
    identifier: listIdentifiers(ss.uniqueId, ss.entryUuid),
    status: 'current',
    mode: 'working',
    ...(ss.title ? { title: ss.title } : {}),
    code: listCode(ListTypes.submissionSet),
    subject: subject ? { type: 'Patient', identifier: subject } : { type: 'Patient', display: ss.patientId },
    ...(date ? { date } : {}),
    ...(source ? { source } : {}),
    ...(ss.comments ? { note: [{ text: ss.comments }] } : {}),
    ...(entry.length ? { entry } : {}),
  };
}

export interface ReadListResult<T> {
  value: T;
  /** List.entry items, for the caller to turn into HasMember associations. */
  members: MemberReference[];
}

function readSourceId(list: List, path: string, ctx: InboundContext): string | undefined {
  const found = extensionsOf(list, Extensions.sourceId)[0];
  if (!found) return undefined;
  const where = at(item(at(path, 'extension'), found.index), 'valueIdentifier');
  const value = found.extension.valueIdentifier?.value;
  const oid = typeof value === 'string' ? (value.startsWith('urn:oid:') ? value.slice(8) : value) : undefined;
  if (oid && isOid(oid)) return oid;
  ctx.problems.error(where, 'sourceId must be an OID (urn:oid:…)');
  return undefined;
}

function readSource(list: List, path: string, ctx: InboundContext, scope: PartyScope) {
  const source = list.source;
  if (source === undefined) return [];
  const where = at(path, 'source');
  const org = Array.isArray(source?.extension) ? source.extension.findIndex((e) => e?.url === Extensions.authorOrg) : -1;
  const orgRef = org >= 0 ? source.extension?.[org]?.valueReference : undefined;
  const person = typeof source?.reference === 'string' || source?.identifier || source?.display ? referenceToAuthor(source, scope, where, ctx.problems, ctx.terminology) : undefined;
  const organization = orgRef ? referenceToAuthor(orgRef, scope, at(item(at(where, 'extension'), org), 'valueReference'), ctx.problems, ctx.terminology) : undefined;
  if (person && organization) person.institutions.push(...organization.institutions);
  const author = person ?? organization;
  return author ? [author] : [];
}

/** An MHD SubmissionSet List as a SubmissionSet, reporting into ctx.problems. */
export function readSubmissionSetList(list: List, path: string, ctx: InboundContext, entryUuid?: string): ReadListResult<SubmissionSet> {
  checkRequired(list, SUBMISSION_SET_REQUIREMENTS, ctx.option, path, ctx.problems);
  if (listKind(list) !== ListTypes.submissionSet) ctx.problems.error(at(path, 'code'), `a SubmissionSet List has code ${ListTypes.system}#${ListTypes.submissionSet}`);
  const ids = readListIds(list, path, ctx, entryUuid);
  const scope: PartyScope = { container: list, requireContained: requiresContained(ctx.option), ...(ctx.bundle ? { bundle: ctx.bundle } : {}), ...(ctx.lookup ? { lookup: ctx.lookup } : {}) };
  // MHD constrains only List.source to contained; recipients may be referenced anywhere.
  const recipientScope: PartyScope = { ...scope, requireContained: false };
  const designation = readDesignationTypes(list, path, ctx);
  if (designation.length > 1) ctx.problems.error(at(path, 'extension:designationType'), 'a SubmissionSet has one contentTypeCode');
  const intendedRecipients = extensionsOf(list, Extensions.intendedRecipient).flatMap(({ extension, index }) => {
    const r = referenceToRecipient(extension.valueReference, recipientScope, at(item(at(path, 'extension'), index), 'valueReference'), ctx.problems, ctx.terminology);
    return r ? [r] : [];
  });
  const ss: SubmissionSet = {
    ...ids,
    sourceId: readSourceId(list, path, ctx) ?? '',
    patientId: readPatient(list.subject, at(path, 'subject'), ctx, list) ?? '',
    submissionTime: readTime(list.date, at(path, 'date'), ctx) ?? '',
    authors: readSource(list, path, ctx, scope),
    intendedRecipients,
  };
  const optional: Partial<SubmissionSet> = {
    contentTypeCode: designation[0],
    title: readString(list.title, at(path, 'title'), ctx),
    comments: readNote(list, path, ctx),
    homeCommunityId: readHomeCommunityId(list, path, ctx.problems),
    limitedMetadata: ctx.option === 'Minimal' ? true : undefined,
  };
  withDefined(ss, optional);
  return { value: ss, members: readMembers(list, path, ctx) };
}
