/**
 * `status` tokens -> availabilityStatus URNs (MHD ITI-67 Table 2:3.67.4.1.3.1-1, ITI-66
 * Table 2:3.66.4.1.2.1-1). A List status follows the Folder mapping (retired = Deprecated)
 * and MHD's table (superseded = Deprecated). entered-in-error is a valid FHIR status
 * no XDS object has: it matches nothing. Repeated occurrences AND, so their
 * intersection is searched.
 */
import { AvailabilityStatus } from '../../../domain/metadata';
import type { ParamGroup } from './query-params';
import { invalidValue } from './search-error';
import { parseToken } from './values';

export interface StatusTable {
  /** FHIR code -> availabilityStatus; null for codes no registry object can have. */
  codes: Readonly<Record<string, AvailabilityStatus | null>>;
  /** The FHIR status code system, accepted as the token's system. */
  system: string;
}

export const DOCUMENT_STATUSES: StatusTable = {
  codes: { current: AvailabilityStatus.Approved, superseded: AvailabilityStatus.Deprecated, 'entered-in-error': null },
  system: 'http://hl7.org/fhir/document-reference-status',
};

export const LIST_STATUSES: StatusTable = {
  codes: { current: AvailabilityStatus.Approved, retired: AvailabilityStatus.Deprecated, superseded: AvailabilityStatus.Deprecated, 'entered-in-error': null },
  system: 'http://hl7.org/fhir/list-status',
};

function statusOf(escaped: string, table: StatusTable): AvailabilityStatus | null {
  const { system, code } = parseToken(escaped);
  if (system && system !== table.system) throw invalidValue('status', `system ${system} is not ${table.system} (MHD: leave the system empty)`);
  if (!Object.hasOwn(table.codes, code)) throw invalidValue('status', `"${code}" is not one of ${Object.keys(table.codes).join(', ')}`);
  return table.codes[code]!;
}

/** The statuses every occurrence allows ([] when none can match); undefined without a status parameter. */
export function searchedStatuses(groups: readonly ParamGroup[], table: StatusTable): AvailabilityStatus[] | undefined {
  if (groups.length === 0) return undefined;
  const sets = groups.map((g) => new Set(g.values.map((v) => statusOf(v, table)).filter((s): s is AvailabilityStatus => s !== null)));
  return [...sets[0]!].filter((s) => sets.every((set) => set.has(s)));
}
