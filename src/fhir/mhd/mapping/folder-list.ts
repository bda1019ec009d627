/**
 * Folder <-> MHD Folder List (IHE.MHD.*.Folder, code `folder`): designationType
 * extensions are the codeList, List.date the lastUpdateTime, List.status the
 * availabilityStatus (current = Approved, retired = Deprecated), List.entry the documents.
 * Containment never applies to folders, so Minimal and Comprehensive differ only in what
 * is required.
 */
import { AvailabilityStatus, type Folder } from '../../../domain/metadata';
import { ListTypes, Profiles } from './canonicals';
import type { OutboundContext } from './document-reference';
import { homeCommunityIdExtensions, readHomeCommunityId } from './extensions';
import type { Extension, List } from './fhir-types';
import { designationTypeExtensions, listCode, listEntries, listIdentifiers, listKind, readDesignationTypes, readListIds, readMembers, readNote } from './list-common';
import { cxToIdentifier } from './patient-ids';
import { at } from './problems';
import { readPatient, readString, readTime, type InboundContext, withDefined } from './readers';
import { checkRequired, FOLDER_REQUIREMENTS } from './requirements';
import type { ReadListResult } from './submission-set-list';
import { dtmToFhirOrUndefined } from './time';
import { resourceIdOf } from './unique-ids';

/** A registered Folder as an MHD List; `documents` (entryUUIDs) become List.entry. */
export function folderToList(folder: Folder, ctx: OutboundContext, documents: readonly string[] = []): List {
  const t = ctx.terminology;
  const extension: Extension[] = [...designationTypeExtensions(folder.codes, t), ...homeCommunityIdExtensions(folder.homeCommunityId)];
  const id = resourceIdOf(folder.entryUuid);
  const subject = cxToIdentifier(folder.patientId, t);
  const date = dtmToFhirOrUndefined(folder.lastUpdateTime);
  const entry = listEntries(documents.map((entryUuid) => ({ kind: 'DocumentEntry', entryUuid })));
  return {
    resourceType: 'List',
    ...(id ? { id } : {}),
    meta: { profile: [folder.limitedMetadata ? Profiles.Folder.Minimal : Profiles.Folder.Comprehensive] },
    ...(extension.length ? { extension } : {}),
    identifier: listIdentifiers(folder.uniqueId, folder.entryUuid),
    status: folder.availabilityStatus === AvailabilityStatus.Deprecated ? 'retired' : 'current',
    mode: 'working',
    ...(folder.title ? { title: folder.title } : {}),
    code: listCode(ListTypes.folder),
    subject: subject ? { type: 'Patient', identifier: subject } : { type: 'Patient', display: folder.patientId },
    ...(date ? { date } : {}),
    ...(folder.comments ? { note: [{ text: folder.comments }] } : {}),
    ...(entry.length ? { entry } : {}),
  };
}

function readFolderStatus(list: List, path: string, ctx: InboundContext): Folder['availabilityStatus'] {
  if (list.status === undefined) return undefined;
  if (list.status === 'current') return AvailabilityStatus.Approved;
  if (list.status === 'retired') return AvailabilityStatus.Deprecated;
  ctx.problems.error(at(path, 'status'), `"${String(list.status)}" has no XDS availabilityStatus (current, retired)`);
  return undefined;
}

/** An MHD Folder List as a Folder, reporting into ctx.problems. */
export function readFolderList(list: List, path: string, ctx: InboundContext, entryUuid?: string): ReadListResult<Folder> {
  checkRequired(list, FOLDER_REQUIREMENTS, ctx.option, path, ctx.problems);
  if (listKind(list) !== ListTypes.folder) ctx.problems.error(at(path, 'code'), `a Folder List has code ${ListTypes.system}#${ListTypes.folder}`);
  const folder: Folder = {
    ...readListIds(list, path, ctx, entryUuid),
    patientId: readPatient(list.subject, at(path, 'subject'), ctx, list) ?? '',
    codes: readDesignationTypes(list, path, ctx),
  };
  const optional: Partial<Folder> = {
    availabilityStatus: readFolderStatus(list, path, ctx),
    title: readString(list.title, at(path, 'title'), ctx),
    comments: readNote(list, path, ctx),
    lastUpdateTime: readTime(list.date, at(path, 'date'), ctx),
    homeCommunityId: readHomeCommunityId(list, path, ctx.problems),
    limitedMetadata: ctx.option === 'Minimal' ? true : undefined,
  };
  withDefined(folder, optional);
  return { value: folder, members: readMembers(list, path, ctx) };
}
