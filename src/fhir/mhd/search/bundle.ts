/**
 * The searchset Bundle (FHIR R4 Bundle, ITI TF-2x Appendix Z.1): total, paging links,
 * one `match` entry per resource, and an `outcome` entry holding an OperationOutcome when
 * there are warnings (ignored parameters, values that match nothing, communities not searched).
 */
import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, FhirResource } from '../mapping';
import { issue, operationOutcome, type OperationOutcome } from '../../http/operation-outcome';
import type { BundleLink } from './paging';
import type { SearchIssue } from './search-error';

export interface SearchEntry extends BundleEntry {
  search: { mode: 'match' | 'outcome' };
}

export interface SearchsetBundle extends Bundle {
  type: 'searchset';
  total: number;
  link: BundleLink[];
  entry: SearchEntry[];
}

/** `outcomes`: further OperationOutcome entries of their own (one per community that could not be searched). */
export function searchsetBundle(args: { base: string; total: number; links: BundleLink[]; resources: readonly FhirResource[]; issues: readonly SearchIssue[]; outcomes?: readonly OperationOutcome[] }): SearchsetBundle {
  const entry: SearchEntry[] = args.resources.map((resource) => ({
    fullUrl: `${args.base}/${resource.resourceType}/${resource.id}`,
    resource,
    search: { mode: 'match' },
  }));
  if (args.issues.length) {
    entry.push({ fullUrl: `urn:uuid:${randomUUID()}`, resource: operationOutcome(args.issues.map((i) => issue(i.severity, i.code, i.diagnostics, i.expression))), search: { mode: 'outcome' } });
  }
  for (const outcome of args.outcomes ?? []) entry.push({ fullUrl: `urn:uuid:${randomUUID()}`, resource: outcome, search: { mode: 'outcome' } });
  return { resourceType: 'Bundle', id: randomUUID(), type: 'searchset', total: args.total, link: args.links, entry };
}
