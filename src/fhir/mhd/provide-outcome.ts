/**
 * How ITI-65 reports problems in FHIR terms:
 * - a core location (submission id, entryUUID or uniqueId of an object of the Bundle)
 *   becomes the path of the Bundle entry it came from;
 * - warnings of a successful submission go into Bundle.entry.response.outcome of the
 *   entry they are about (MHD 4.2 ITI-65 2:3.65.4.2.2), else of the SubmissionSet entry.
 */
import type { RegistryErrorDetail } from '../../domain/registry-error';
import type { Bundle, ProvideBundlePlan } from './mapping';
import { operationOutcome } from '../http/operation-outcome';
import { registryIssue, type Locate } from './registry-outcome';

const OBJECT_ROLES = new Set(['SubmissionSet', 'DocumentReference', 'Folder']);

export function planLocator(plan: ProvideBundlePlan): Locate {
  const entryOf = new Map<string, number>();
  for (const e of plan.entries) if (e.objectId && OBJECT_ROLES.has(e.role) && !entryOf.has(e.objectId)) entryOf.set(e.objectId, e.index);
  const { submissionSet, documents, folders } = plan.submission;
  for (const o of [submissionSet, ...documents, ...folders]) {
    const index = entryOf.get(o.entryUuid);
    if (index !== undefined && o.uniqueId) entryOf.set(o.uniqueId, index);
  }
  return (location) => {
    const index = entryOf.get(location);
    return index === undefined ? undefined : `Bundle.entry[${index}].resource`;
  };
}

const ENTRY_PATH = /^Bundle\.entry\[(\d+)\]/;

type ResponseEntry = NonNullable<Bundle['entry']>[number] & { response?: { outcome?: object } };

/** Adds each warning as an OperationOutcome to the response entry it concerns. */
export function attachWarnings(response: Bundle, plan: ProvideBundlePlan, warnings: readonly RegistryErrorDetail[], locate: Locate): void {
  if (warnings.length === 0 || !response.entry) return;
  const fallback = plan.entries.findIndex((e) => e.role === 'SubmissionSet');
  const byEntry = new Map<number, ReturnType<typeof registryIssue>[]>();
  for (const w of warnings) {
    const issue = registryIssue(w, locate);
    const at = Number(ENTRY_PATH.exec(issue.expression?.[0] ?? '')?.[1] ?? fallback);
    const position = plan.entries.findIndex((e) => e.index === at);
    const key = position >= 0 ? position : Math.max(fallback, 0);
    byEntry.set(key, [...(byEntry.get(key) ?? []), issue]);
  }
  for (const [position, issues] of byEntry) {
    const entry = response.entry[position] as ResponseEntry | undefined;
    if (entry?.response) entry.response.outcome = operationOutcome(issues);
  }
}
