import type { Association, DocumentEntry, Folder, SubmissionSet } from './metadata';
import type { RegistryErrorDetail } from './registry-error';

/** One submission set with everything it registers, as both front ends produce it. */
export interface Submission {
  submissionSet: SubmissionSet;
  documents: DocumentEntry[];
  folders: Folder[];
  associations: Association[];
}

export type ResponseStatus = 'Success' | 'PartialSuccess' | 'Failure';

/**
 * Status of a request made of independent items (ITI-43, ITI-86): Success when no item
 * failed, PartialSuccess when some succeeded, Failure when none did.
 */
export function itemsStatus(succeeded: number, errors: readonly RegistryErrorDetail[]): ResponseStatus {
  if (!errors.some((e) => e.severity === 'Error')) return 'Success';
  return succeeded > 0 ? 'PartialSuccess' : 'Failure';
}

export interface SubmitResult {
  status: ResponseStatus;
  /** Errors (status Failure) or warnings (Success/PartialSuccess). */
  errors: RegistryErrorDetail[];
  /** Id given in the submission (symbolic or UUID) -> registered entryUUID. */
  ids: Record<string, string>;
}

/** The ids the submission itself gives its objects (what its associations may name locally). */
export function entryIdsOf(s: Submission): Set<string> {
  return new Set<string>([s.submissionSet.entryUuid, ...s.documents.map((d) => d.entryUuid), ...s.folders.map((f) => f.entryUuid), ...s.associations.map((a) => a.entryUuid)]);
}

/** A rejected submission: nothing registered. */
export function failedSubmission(errors: RegistryErrorDetail[]): SubmitResult {
  return { status: 'Failure', errors, ids: {} };
}
