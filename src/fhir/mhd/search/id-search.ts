/**
 * Searches by `_id` / `identifier` (ITI-18 Get… queries instead of Find…). Besides the
 * identifiers only the parameters that ITI-67/66 make mandatory may be given (patient,
 * status, and for Lists code) plus `hcid`; they filter the handful of objects found.
 * Any other criterion would have to be re-implemented outside the registry's query
 * engine, so it is refused instead.
 */
import type { AvailabilityStatus, RegistryObject } from '../../../domain/metadata';
import type { SearchContext } from './context';
import { idCriteria, matchesCriteria, mergeCriteria, type IdCriteria } from './id-lookup';
import { searchedPatient } from './patient';
import type { SearchPlan } from './plan';
import { groupsOf, type ParsedSearch } from './query-params';
import type { RegistryReader } from './registry-reads';
import { notSupported } from './search-error';
import { searchedStatuses, type StatusTable } from './statuses';

const ALLOWED = new Set(['_id', 'identifier', 'patient', 'patient.identifier', 'status', 'hcid']);

export function isIdSearch(search: ParsedSearch): boolean {
  return search.groups.has('_id') || search.groups.has('identifier');
}

export interface IdSearchOptions {
  statuses: StatusTable;
  /** Further parameters allowed (List: code) and the filter they make. */
  also?: { parameters: string[]; keep: (object: RegistryObject) => boolean };
  load: (reader: RegistryReader, criteria: IdCriteria) => Promise<RegistryObject[]>;
}

export function idSearchPlan(search: ParsedSearch, ctx: SearchContext, options: IdSearchOptions): SearchPlan {
  const allowed = new Set([...ALLOWED, ...(options.also?.parameters ?? [])]);
  for (const name of search.groups.keys()) {
    if (!allowed.has(name)) throw notSupported(name, `cannot be combined with _id or identifier; beside them only ${[...allowed].join(', ')} are supported`);
  }
  const criteria = idCriteria(search, ctx.terminology);
  const patient = searchedPatient(search, ctx);
  const statuses = searchedStatuses(groupsOf(search, 'status'), options.statuses);
  const keepAlso = options.also?.keep ?? (() => true);
  const keep = (o: RegistryObject): boolean =>
    criteria.every((c) => matchesCriteria(o, c)) &&
    (patient === undefined || ('patientId' in o && patient.includes(o.patientId))) &&
    (statuses === undefined || statuses.includes(o.availabilityStatus as AvailabilityStatus)) &&
    keepAlso(o);
  return { kind: 'ids', warnings: [], load: (reader) => options.load(reader, mergeCriteria(criteria)), keep };
}
