/**
 * Registry objects as the changes subscriptions match (domain/subscription.ts): the codes a
 * filter compares, in both the forms it may name them by.
 */
import type { AvailabilityStatus, DocumentEntry, Folder, SubmissionSet } from './metadata';
import { shortStatus } from './short-status';
import type { Submission } from './submission';
import { codeTokens, type RegistryChange } from './subscription';

const NO_CODES: RegistryChange['codes'] = { type: [], class: [], format: [], facility: [], setting: [], security: [], event: [] };

const statusOf = (o: { availabilityStatus?: AvailabilityStatus }): string => (o.availabilityStatus ? shortStatus(o.availabilityStatus) : 'Approved');

export function documentChange(d: DocumentEntry, interaction: RegistryChange['interaction']): RegistryChange {
  return {
    interaction,
    focus: 'DocumentEntry',
    id: d.entryUuid,
    patientId: d.patientId,
    status: statusOf(d),
    codes: {
      type: codeTokens([d.typeCode]),
      class: codeTokens([d.classCode]),
      format: codeTokens([d.formatCode]),
      facility: codeTokens([d.healthcareFacilityTypeCode]),
      setting: codeTokens([d.practiceSettingCode]),
      security: codeTokens(d.confidentialityCodes),
      event: codeTokens(d.eventCodes),
    },
    authors: d.authors.map((a) => a.person ?? '').join(' ').toLowerCase(),
  };
}

export function submissionSetChange(s: SubmissionSet): RegistryChange {
  return { interaction: 'create', focus: 'SubmissionSet', id: s.entryUuid, patientId: s.patientId, status: statusOf(s), codes: NO_CODES, authors: s.authors.map((a) => a.person ?? '').join(' ').toLowerCase() };
}

export function folderChange(f: Folder, interaction: RegistryChange['interaction']): RegistryChange {
  return { interaction, focus: 'Folder', id: f.entryUuid, patientId: f.patientId, status: statusOf(f), codes: { ...NO_CODES, event: codeTokens(f.codes) }, authors: '' };
}

/** What a registered submission creates, in submission order. */
export function submissionChanges(s: Submission): RegistryChange[] {
  return [submissionSetChange(s.submissionSet), ...s.documents.map((d) => documentChange(d, 'create')), ...s.folders.map((f) => folderChange(f, 'create'))];
}
