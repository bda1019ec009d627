/**
 * Which elements each MHD 4.2 option requires (the 1..x cardinalities of the Minimal and
 * Comprehensive profiles, plus what XDS needs that MHD leaves 0..1, e.g. the uniqueId of
 * a List). Kept as data so the table reads like the profiles; checked before mapping so
 * a missing element is reported once, at its FHIR path.
 */
import { EXTENSION_SLICES, isComprehensive, type MhdOption } from './canonicals';
import { at, type Problems } from './problems';
import { findEntryUuid, findUniqueIdIdentifier } from './unique-ids';

interface Requirement {
  /** Element path relative to the resource; `name:slice` for extension and identifier slices. */
  path: string;
  level: 'Minimal' | 'Comprehensive';
  /** Alternatives that satisfy the requirement as well. */
  orPath?: string;
  why?: string;
  /** Not required of an On-Demand document (XDS needs no creationTime for one). */
  notForOnDemand?: true;
}

export const DOCUMENT_REFERENCE_REQUIREMENTS: readonly Requirement[] = [
  { path: 'masterIdentifier', level: 'Minimal' },
  { path: 'status', level: 'Minimal' },
  { path: 'content', level: 'Minimal' },
  { path: 'content[0].attachment', level: 'Minimal' },
  { path: 'content[0].attachment.contentType', level: 'Minimal' },
  // MHD 4.2 requires url and forbids data; data is read too (as Simplified Publish sends it).
  { path: 'content[0].attachment.url', level: 'Minimal', orPath: 'content[0].attachment.data' },
  { path: 'type', level: 'Comprehensive' },
  { path: 'category', level: 'Comprehensive' },
  { path: 'subject', level: 'Comprehensive' },
  { path: 'securityLabel', level: 'Comprehensive' },
  { path: 'content[0].attachment.language', level: 'Comprehensive' },
  { path: 'content[0].attachment.creation', level: 'Comprehensive', notForOnDemand: true },
  { path: 'content[0].format', level: 'Comprehensive' },
  { path: 'context', level: 'Comprehensive' },
  { path: 'context.facilityType', level: 'Comprehensive' },
  { path: 'context.practiceSetting', level: 'Comprehensive' },
  { path: 'context.sourcePatientInfo', level: 'Comprehensive' },
];

export const SUBMISSION_SET_REQUIREMENTS: readonly Requirement[] = [
  { path: 'identifier:uniqueId', level: 'Minimal', why: 'XDS requires the SubmissionSet uniqueId' },
  { path: 'extension:sourceId', level: 'Minimal' },
  { path: 'date', level: 'Minimal' },
  { path: 'subject', level: 'Comprehensive' },
  { path: 'extension:designationType', level: 'Comprehensive' },
];

export const FOLDER_REQUIREMENTS: readonly Requirement[] = [
  { path: 'identifier:uniqueId', level: 'Minimal', why: 'XDS requires the Folder uniqueId' },
  { path: 'subject', level: 'Comprehensive' },
  { path: 'extension:designationType', level: 'Comprehensive' },
  { path: 'title', level: 'Comprehensive' },
];

function slice(value: unknown, name: string, sliceName: string): unknown {
  if (name === 'extension') {
    const url = EXTENSION_SLICES[sliceName];
    return Array.isArray(value) ? value.filter((e) => e && typeof e === 'object' && (e as { url?: unknown }).url === url) : undefined;
  }
  if (name === 'identifier' && sliceName === 'uniqueId') return findUniqueIdIdentifier(Array.isArray(value) ? value : undefined)?.identifier;
  if (name === 'identifier' && sliceName === 'entryUUID') return findEntryUuid(Array.isArray(value) ? value : undefined);
  return undefined;
}

/** Value at a path like `content[0].attachment.url` or `extension:sourceId`. */
function valueAt(resource: unknown, path: string): unknown {
  let current: unknown = resource;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    const m = /^([A-Za-z]+)(?::([A-Za-z]+))?(?:\[(\d+)\])?$/.exec(segment);
    if (!m) return undefined;
    const [, name, sliceName, index] = m;
    let next: unknown = (current as Record<string, unknown>)[name!];
    if (sliceName) next = slice(next, name!, sliceName);
    if (index !== undefined) next = Array.isArray(next) ? next[Number(index)] : undefined;
    current = next;
  }
  return current;
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** Reports each required element that is missing, skipping the children of a missing parent. */
export function checkRequired(resource: unknown, table: readonly Requirement[], option: MhdOption, basePath: string, problems: Problems, onDemand = false): void {
  const missing: string[] = [];
  for (const r of table) {
    if (r.level === 'Comprehensive' && !isComprehensive(option)) continue;
    if (r.notForOnDemand && onDemand) continue;
    if (missing.some((m) => r.path.startsWith(`${m}.`) || r.path.startsWith(`${m}[`))) continue;
    if (isPresent(valueAt(resource, r.path)) || (r.orPath && isPresent(valueAt(resource, r.orPath)))) continue;
    missing.push(r.path);
    const needs = r.level === 'Minimal' ? 'MHD' : `the ${option === 'Comprehensive' ? 'Comprehensive' : 'UnContained Comprehensive'} Metadata option`;
    problems.error(at(basePath, r.path), `is required by ${needs}${r.why ? ` (${r.why})` : ''}`);
  }
}
